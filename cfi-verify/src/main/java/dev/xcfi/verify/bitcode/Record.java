package dev.xcfi.verify.bitcode;

import java.nio.charset.StandardCharsets;

/**
 * One record's code and operands, refilled in place for every record a reader keeps (so reading
 * does not allocate per record). A blob operand stays in the file: {@link #blobOffset} and
 * {@link #blobLength} are byte positions in it.
 */
final class Record {
    int code;
    long position;
    int size;
    long[] ops = new long[64];
    int blobOffset = -1, blobLength;

    void clear(int code, long position) {
        this.code = code;
        this.position = position;
        this.size = 0;
        this.blobOffset = -1;
        this.blobLength = 0;
    }

    void add(long op) {
        if (size == ops.length) ops = java.util.Arrays.copyOf(ops, size * 2);
        ops[size++] = op;
    }

    /** Operand {@code i}, or the error that names this record when it is missing. */
    long op(int i) throws BitcodeException {
        if (i >= size) throw new BitcodeException("record " + code + " has " + size + " operands, needs more than " + i, position);
        return ops[i];
    }

    /** Operands {@code from..size} as the bytes of a string (names, triples). */
    String chars(int from) {
        return chars(from, StandardCharsets.UTF_8);
    }

    String chars(int from, java.nio.charset.Charset charset) {
        byte[] b = new byte[Math.max(0, size - from)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) ops[from + i];
        return new String(b, charset);
    }
}
