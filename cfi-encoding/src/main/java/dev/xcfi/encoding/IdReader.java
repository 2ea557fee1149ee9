package dev.xcfi.encoding;

/**
 * A cursor over a mangled type id and the Itanium primitives both decoders read with: numbers,
 * {@code <length><name>}, {@code S[<base36>]_} references, and errors that name the offset.
 */
abstract class IdReader {
    protected final String s;
    protected int pos;
    /** Types nested inside types: a real id is a few levels deep, and a hostile one must end in an error, not a StackOverflowError. */
    private final dev.xcfi.encoding.source.RecursionLimit nesting = new dev.xcfi.encoding.source.RecursionLimit(256);

    protected IdReader(String s, int pos) {
        this(s, pos, LONGEST);
    }

    /** {@code forced}: the splits of ambiguous array lengths a previous reading asked for ({@link #retry}). */
    protected IdReader(String s, int pos, int[] forced) {
        this.s = s;
        this.pos = pos;
        this.forced = forced;
    }

    /** Reads a type one level deeper than the caller's ({@code P…}, a function's parameters …), within the bound. */
    protected final <T> T nested(java.util.function.Supplier<T> readType) {
        if (!nesting.enter()) throw error("type nested more than " + nesting.max() + " levels deep");
        try {
            return readType.get();
        } finally {
            nesting.exit();
        }
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
                if (v >= size) throw error("substitution refers to nothing yet");   // (and before v * 36 overflows)
                v = v * 36 + digit;
            }
            index = v + 1;
        }
        expect('_');
        if (index >= size) throw error("substitution refers to nothing yet");
        return index;
    }

    /** The decoder's registrations so far (its dictionary's size, say): what a reading that failed is undone to. */
    protected long mark() {
        return 0;
    }

    /** Undoes the registrations made since {@code mark}. */
    protected void reset(long mark) {}

    /** No array length forced: each ambiguous length is read longest first. */
    protected static final int[] LONGEST = {};
    /** How many readings of one id {@link #retry} allows before it gives up (a pathological id has exponentially many). */
    private static final int MAX_ATTEMPTS = 64;
    /** Per ambiguous array length met so far, in reading order: the digits it left to its element (0: none) … */
    private final int[] forced;
    private int[] taken = new int[4];
    /** … and how many other splits it had. */
    private int[] splits = new int[4];
    private int arrays;

    /**
     * rustc writes an array as {@code A<n><T>} with no separator, so when T is a name
     * ({@code A48CGeneric}) the digits are ambiguous. The longest length is tried first, then
     * shorter ones, each failed reading undone ({@link #reset}); when the element reads but the
     * id fails later, {@link #retry} reads the id again with the next split.
     */
    protected final <A> A unseparatedArray(java.util.function.LongFunction<A> ofLength) {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
        int end = pos;
        if (start == end) throw error("expected an array length");
        int k = arrays++;
        IllegalArgumentException last = null;
        for (int choice = k < forced.length ? forced[k] : 0; choice < end - start; choice++) {
            pos = end - choice;
            long mark = mark();
            try {
                A array = ofLength.apply(Long.parseLong(s.substring(start, end - choice)));
                if (k >= taken.length) {
                    taken = java.util.Arrays.copyOf(taken, 2 * k + 2);
                    splits = java.util.Arrays.copyOf(splits, 2 * k + 2);
                }
                taken[k] = choice;
                splits[k] = end - start;
                return array;
            } catch (IllegalArgumentException e) {
                last = e;
                reset(mark);
                arrays = k + 1;   // forget the arrays met inside the element
            }
        }
        arrays = k;
        throw last;
    }

    /**
     * The forced splits for the next reading after this one failed with {@code failure}: the last
     * ambiguous length that has another split takes it.
     *
     * @throws IllegalArgumentException {@code failure}, when no split is left to try
     */
    protected final int[] retry(IllegalArgumentException failure, int attempt) {
        if (attempt >= MAX_ATTEMPTS) throw failure;
        for (int k = Math.min(arrays, taken.length) - 1; k >= 0; k--) {
            if (taken[k] + 1 < splits[k]) {
                int[] next = java.util.Arrays.copyOf(taken, k + 1);
                next[k]++;
                return next;
            }
        }
        throw failure;
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
