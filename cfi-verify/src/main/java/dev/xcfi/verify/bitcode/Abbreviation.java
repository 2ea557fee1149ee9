package dev.xcfi.verify.bitcode;

/**
 * A DEFINE_ABBREV, flattened to pairs of (encoding, value) in a long[]: literal(value),
 * fixed(width), vbr(width), array (its element encoding follows), char6, blob. Checked when
 * defined, so that reading with it can neither loop without consuming bits nor run past a record.
 */
final class Abbreviation {
    static final int LITERAL = 0, FIXED = 1, VBR = 2, ARRAY = 3, CHAR6 = 4, BLOB = 5;
    static final String CHAR6_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._";
    private static final int MAX_OPERANDS = 1024;

    private Abbreviation() {}

    static long[] define(BitstreamCursor in) throws BitcodeException {
        long at = in.position();
        long n = in.vbr(5);
        if (n < 1 || n > MAX_OPERANDS) throw new BitcodeException("abbreviation with " + n + " operands", at);
        long[] ops = new long[2 * (int) n];
        for (int i = 0; i < n; i++) {
            if (in.fixed(1) == 1) {
                ops[2 * i] = LITERAL;
                ops[2 * i + 1] = in.vbr(8);
                continue;
            }
            int encoding = (int) in.fixed(3);
            switch (encoding) {
                case FIXED, VBR -> {
                    long width = in.vbr(5);
                    if (width == 0) {   // LLVM reads fixed(0) and vbr(0) as a literal zero
                        ops[2 * i] = LITERAL;
                        continue;
                    }
                    if (encoding == FIXED ? width > 64 : width < 2 || width > 32) {
                        throw new BitcodeException("abbreviation operand width " + width + " is out of range", at);
                    }
                    ops[2 * i + 1] = width;
                }
                case ARRAY -> {
                    if (i != n - 2) throw new BitcodeException("array must be the next-to-last abbreviation operand", at);
                }
                case BLOB -> {
                    if (i != n - 1) throw new BitcodeException("blob must be the last abbreviation operand", at);
                }
                case CHAR6 -> { }
                default -> throw new BitcodeException("unknown abbreviation encoding " + encoding, at);
            }
            ops[2 * i] = encoding;
        }
        if (n >= 2 && ops[2 * (int) n - 4] == ARRAY) {
            long element = ops[2 * (int) n - 2];
            if (element != FIXED && element != VBR && element != CHAR6) {
                throw new BitcodeException("array elements must be fixed, vbr or char6", at);
            }
        }
        if (ops[0] == ARRAY || ops[0] == BLOB) throw new BitcodeException("abbreviation starts with an array or a blob", at);
        return ops;
    }

    /** Bits one array element of this encoding takes at least; never 0 (checked in {@link #define}). */
    static int minimumBits(int encoding, long width) {
        return encoding == CHAR6 ? 6 : (int) width;
    }
}
