package dev.xcfi.encoding;

/**
 * A cursor over a mangled type id and the Itanium primitives both decoders read with: numbers,
 * {@code <length><name>}, {@code S[<base36>]_} references, and errors that name the offset.
 */
abstract class IdReader {
    protected final String s;
    protected int pos;

    protected IdReader(String s, int pos) {
        this.s = s;
        this.pos = pos;
    }

    /** {@code S_} is 0, {@code S<base36 n>_} is n+1; the index must be below {@code size}. */
    protected int substitutionIndex(int size) {
        expect('S');
        int index = 0;
        if (peek() != '_') {
            int v = 0;
            while (peek() != '_') {
                char c = next();
                int digit = Character.isDigit(c) ? c - '0' : (c >= 'A' && c <= 'Z') ? c - 'A' + 10 : -1;
                if (digit < 0) throw error("bad substitution digit '" + c + "'");
                v = v * 36 + digit;
            }
            index = v + 1;
        }
        expect('_');
        if (index >= size) throw error("substitution refers to nothing yet");
        return index;
    }

    protected String sourceName() {
        int n = (int) number();
        if (pos + n > s.length()) throw error("name length " + n + " runs past the end");
        String name = s.substring(pos, pos + n);
        pos += n;
        return name;
    }

    protected long number() {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
        if (start == pos) throw error("expected a number");
        return Long.parseLong(s.substring(start, pos));
    }

    protected char peek() {
        if (pos >= s.length()) throw error("unexpected end of id");
        return s.charAt(pos);
    }

    protected char next() {
        char c = peek();
        pos++;
        return c;
    }

    protected void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    protected IllegalArgumentException error(String message) {
        return new IllegalArgumentException("cannot decode '" + s + "' at offset " + pos + ": " + message);
    }
}
