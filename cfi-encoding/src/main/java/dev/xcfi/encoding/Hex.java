package dev.xcfi.encoding;

/** {@code 0x} and a fixed number of lower-case hex digits; String.format is too slow for 100k-row outputs. */
final class Hex {
    private Hex() {}

    /** Appends {@code 0x} and {@code digits} lower-case hex digits of {@code value}. */
    static void append(StringBuilder out, long value, int digits) {
        out.append('0').append('x');
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out.append(DIGITS[(int) (value >>> shift) & 0xF]);
    }

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    static String of(long value, int digits) {
        char[] c = new char[digits + 2];
        c[0] = '0';
        c[1] = 'x';
        for (int i = digits + 1; i >= 2; i--) {
            c[i] = Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
        return new String(c);
    }
}
