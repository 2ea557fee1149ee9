package dev.xcfi.verify.bitcode;

import java.util.Arrays;

/**
 * LLVM's value numbering, kept as one kind byte and one int per value: globals in record order,
 * then module constants; inside a function, its arguments, its constants and every instruction
 * that produces a value. Only what the facts need is remembered: which values are functions,
 * integer constants (their value) and arguments (their position).
 */
final class ValueTable {
    static final byte OTHER = 0, FUNCTION = 1, INTEGER = 2, ARGUMENT = 3;
    private byte[] kinds = new byte[1024];
    private int[] data = new int[1024];
    private long[] integers = new long[256];
    private int size, integerCount;

    int size() {
        return size;
    }

    int integerCount() {
        return integerCount;
    }

    void add(byte kind, int value) {
        if (size == kinds.length) {
            kinds = Arrays.copyOf(kinds, size * 2);
            data = Arrays.copyOf(data, size * 2);
        }
        kinds[size] = kind;
        data[size++] = value;
    }

    void addInteger(long value) {
        if (integerCount == integers.length) integers = Arrays.copyOf(integers, integerCount * 2);
        integers[integerCount] = value;
        add(INTEGER, integerCount++);
    }

    /** Drops a function's values when its body ends. */
    void truncate(int values, int integers) {
        size = values;
        integerCount = integers;
    }

    byte kind(long id) {
        return id >= 0 && id < size ? kinds[(int) id] : OTHER;
    }

    /** The function index, argument position or integer slot of value {@code id}. */
    int data(long id) {
        return data[(int) id];
    }

    long integer(long id) {
        return integers[data[(int) id]];
    }
}
