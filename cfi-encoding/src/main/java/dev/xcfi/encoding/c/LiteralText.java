package dev.xcfi.encoding.c;

/**
 * What a C string or character literal stands for, its escape sequences decoded as C decodes
 * them. A {@code cfi_salt("…")} is hashed as the string's value, not as it is spelled:
 * {@code "a\"b"} salts with {@code a"b} (clang 22, checked against {@code !kcfi_type}).
 */
final class LiteralText {
    private LiteralText() {}

    /** The characters of one literal token ({@code "…"} or {@code '…'}, after any encoding prefix). */
    static String decode(String token) {
        char quote = token.charAt(token.length() - 1);
        int end = token.length() - 1;
        StringBuilder out = new StringBuilder(end);
        for (int i = token.indexOf(quote) + 1; i < end; i++) {
            char c = token.charAt(i);
            if (c != '\\' || i + 1 >= end) {
                out.append(c);
                continue;
            }
            char e = token.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case 'e', 'E' -> out.append('\u001b');   // GNU
                case 'x' -> {
                    int value = 0, j = i + 1;
                    for (; j < end && Character.digit(token.charAt(j), 16) >= 0; j++) value = value * 16 + Character.digit(token.charAt(j), 16);
                    out.append((char) (value & 0xff));
                    i = j - 1;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int value = 0, j = i;
                    for (; j < end && j < i + 3 && token.charAt(j) >= '0' && token.charAt(j) <= '7'; j++) value = value * 8 + token.charAt(j) - '0';
                    out.append((char) (value & 0xff));
                    i = j - 1;
                }
                case 'u', 'U' -> {
                    int digits = e == 'u' ? 4 : 8, value = 0, j = i + 1;
                    for (; j < end && j < i + 1 + digits && Character.digit(token.charAt(j), 16) >= 0; j++) value = value * 16 + Character.digit(token.charAt(j), 16);
                    if (Character.isValidCodePoint(value)) out.appendCodePoint(value);
                    i = j - 1;
                }
                default -> out.append(e);   // \\ \' \" \? (and what C leaves undefined: the character itself)
            }
        }
        return out.toString();
    }
}
