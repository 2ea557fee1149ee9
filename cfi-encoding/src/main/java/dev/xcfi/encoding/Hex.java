package dev.xcfi.encoding;

/** {@code 0x} and a fixed number of lower-case hex digits; String.format is too slow for 100k-row outputs. */
final class Hex {
    private Hex() {}

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
