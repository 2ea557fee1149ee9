package dev.xcfi.verify.bitcode;

import java.util.ArrayList;
import java.util.List;

/**
 * A DEFINE_ABBREV, flattened to pairs of (encoding, value) in a long[]: literal, fixed(w),
 * vbr(w), array (its element encoding follows), char6, blob.
 */
final class Abbreviation {
    static final int LITERAL = 0, FIXED = 1, VBR = 2, ARRAY = 3, CHAR6 = 4, BLOB = 5;
    private static final String CHAR6_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._";

    private Abbreviation() {}

    static long[] define(BitstreamCursor in) throws BitcodeException {
        int n = (int) in.vbr(5);
        if (n < 1 || n > 1024) throw new BitcodeException("abbreviation with " + n + " operands", in.position());
        long[] ops = new long[2 * n];
        for (int i = 0; i < n; i++) {
            if (in.fixed(1) == 1) {
                ops[2 * i] = LITERAL;
                ops[2 * i + 1] = in.vbr(8);
                continue;
            }
            int encoding = (int) in.fixed(3);
            ops[2 * i] = encoding;
            switch (encoding) {
                case FIXED, VBR -> ops[2 * i + 1] = in.vbr(5);
                case ARRAY, CHAR6, BLOB -> { }
                default -> throw new BitcodeException("unknown abbreviation encoding " + encoding, in.position());
            }
        }
        return ops;
    }

    /** Reads one record with {@code ops}; the record code is element 0 of the result. */
    static long[] read(BitstreamCursor in, long[] ops) throws BitcodeException {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < ops.length; i += 2) {
            int encoding = (int) ops[i];
            if (encoding == ARRAY) {
                if (i + 2 >= ops.length) throw new BitcodeException("array abbreviation without an element type", in.position());
                long n = in.vbr(6);
                if (n > 1 << 20) throw new BitcodeException("array of " + n + " elements", in.position());
                for (long k = 0; k < n; k++) out.add(scalar(in, (int) ops[i + 2], ops[i + 3]));
                i += 2;
            } else if (encoding == BLOB) {
                long n = in.vbr(6);
                in.align32();
                for (long k = 0; k < n; k++) out.add(in.fixed(8));
                in.align32();
            } else {
                out.add(scalar(in, encoding, ops[i + 1]));
            }
        }
        long[] record = new long[out.size()];
        for (int i = 0; i < record.length; i++) record[i] = out.get(i);
        return record;
    }

    private static long scalar(BitstreamCursor in, int encoding, long value) throws BitcodeException {
        return switch (encoding) {
            case LITERAL -> value;
            case FIXED -> in.fixed((int) value);
            case VBR -> in.vbr((int) value);
            case CHAR6 -> CHAR6_ALPHABET.charAt((int) in.fixed(6));
            default -> throw new BitcodeException("abbreviation encoding " + encoding + " cannot be an array element", in.position());
        };
    }
}
