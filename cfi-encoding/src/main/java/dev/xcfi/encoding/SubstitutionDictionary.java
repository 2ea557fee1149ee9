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

    /** Empties the dictionary; stale keys past {@code size} are never read and are overwritten later. */
    void clear() {
        size = 0;
    }

    /** The sequence index of {@code key}, or -1. */
    int indexOf(Object key) {
        Class<?> kind = key.getClass();
        for (int i = 0; i < size; i++) {
            Object k = keys[i];
            if (k == key || (k.getClass() == kind && k.equals(key))) return i;
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
}
