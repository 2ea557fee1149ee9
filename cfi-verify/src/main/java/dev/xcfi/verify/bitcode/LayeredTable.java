package dev.xcfi.verify.bitcode;

import java.util.Arrays;

/**
 * Entries numbered as LLVM numbers values and metadata: a module's first, then, in a table layered
 * over the module's, one function's, whose ids continue where the module's end. Each entry is a
 * kind byte and an int whose meaning the kind gives. A function's table reads the module's and
 * never copies it, so function bodies can be read side by side; it is emptied, arrays kept, for
 * the thread's next body.
 *
 * @param <T> the table kind, so a function's table asks a module table of its own kind
 */
abstract class LayeredTable<T extends LayeredTable<T>> {
    /** What an id outside the table, or an entry that is not remembered, is. */
    static final byte OTHER = 0;

    /** The module's table under a function's, or null; ids below {@link #base} are its. */
    final T module;
    final int base;
    private byte[] kinds;
    private int[] data;
    private int size;

    LayeredTable(T module, int capacity) {
        this.module = module;
        this.base = module == null ? 0 : module.size();
        this.kinds = new byte[capacity];
        this.data = new int[capacity];
    }

    /** The next id: the module's entries and this table's. */
    final int size() {
        return base + size;
    }

    /** Gives the next id to an entry. */
    final void add(byte kind, int value) {
        if (size == kinds.length) {
            kinds = Arrays.copyOf(kinds, size * 2);
            data = Arrays.copyOf(data, size * 2);
        }
        kinds[size] = kind;
        data[size++] = value;
    }

    final byte kind(long id) {
        if (id < base) return id < 0 ? OTHER : module.kind(id);
        return id < base + size ? kinds[(int) (id - base)] : OTHER;
    }

    /** The int kept with entry {@code id} (which must exist). */
    final int data(long id) {
        return id < base ? module.data(id) : data[(int) (id - base)];
    }

    /** Empties a function's table for the next body. */
    void reset() {
        size = 0;
    }
}
