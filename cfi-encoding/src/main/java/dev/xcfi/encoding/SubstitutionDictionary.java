package dev.xcfi.encoding;

import java.util.Arrays;

/**
 * The Itanium substitution dictionary: components already mangled in this id, in the order they
 * were completed, so a repeat can be written {@code S_}, {@code S0_} … {@code S9_}, {@code SA_} …
 * {@code SZ_}, {@code S10_} ….
 *
 * <p>Keys are semantic values (the C or Rust type plus whatever the language's rules add), never
 * printed strings: clang and rustc both key by type identity. Dictionaries are tiny (rarely more
 * than a few dozen entries), so a flat array with {@code equals} beats hashing and allocates
 * nothing once grown.
 */
final class SubstitutionDictionary {
    private Object[] keys = new Object[32];
    private int size;

    void clear() {
        Arrays.fill(keys, 0, size, null);
        size = 0;
    }

    /** The sequence index of {@code key}, or -1. */
    int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) return i;
        }
        return -1;
    }

    void add(Object key) {
        if (size == keys.length) keys = Arrays.copyOf(keys, size * 2);
        keys[size++] = key;
    }

    int size() {
        return size;
    }

    /** Appends the back-reference to entry {@code index}: {@code S_} for 0, else {@code S<base36(index-1)>_}. */
    static void appendReference(StringBuilder out, int index) {
        out.append('S');
        if (index > 0) appendBase36(out, index - 1);
        out.append('_');
    }

    private static void appendBase36(StringBuilder out, int value) {
        if (value >= 36) appendBase36(out, value / 36);
        int digit = value % 36;
        out.append((char) (digit < 10 ? '0' + digit : 'A' + digit - 10));
    }
}
