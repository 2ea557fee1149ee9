package dev.xcfi.verify.bitcode;

/**
 * A DEFINE_ABBREV: its operands flattened to pairs of (encoding, value) in {@link #ops} (literal(value),
 * fixed(width), vbr(width), array (its element encoding follows), char6, blob), and the steps that
 * pass over a record's operands after its code when the record is skipped. Checked when defined,
 * so that reading with it can neither loop without consuming bits nor run past a record.
 */
final class Abbreviation {
    static final int LITERAL = 0, FIXED = 1, VBR = 2, ARRAY = 3, CHAR6 = 4, BLOB = 5;
    /** Skip steps, each {@code (step, width, count, first operand pair)}. */
    static final int SKIP_BITS = 0, SKIP_VBRS = 1, SKIP_FIXED_ARRAY = 2, SKIP_VBR_ARRAY = 3, SKIP_BLOB = 4;
    static final String CHAR6_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._";
    private static final int MAX_OPERANDS = 1024;

    /** (encoding, value) pairs, the record's code first. */
    final long[] ops;
    /**
     * How a skipped record's operands after the code are passed over, in steps of four ints:
     * runs of fixed fields as one jump ({@code width} bits in all), runs of VBRs of one width as
     * one pass ({@code count} of them), an array, a blob; literals take no step. Most records of a
     * function body are abbreviated and skipped: a step per run instead of a dispatch per operand.
     */
    final int[] skip;
    /** The record code when the abbreviation spells it as a literal (as LLVM's always do), else -1. */
    final int literalCode;

    private Abbreviation(long[] ops) {
        this.ops = ops;
        this.skip = skipSteps(ops);
        this.literalCode = ops[0] == LITERAL && ops[1] <= Integer.MAX_VALUE ? (int) ops[1] : -1;
    }

    private static int[] skipSteps(long[] ops) {
        int[] steps = new int[2 * ops.length];
        int n = 0;
        for (int i = 2; i < ops.length; i += 2) {
            int encoding = (int) ops[i];
            int width = (int) ops[i + 1];
            int last = n - 4;
            switch (encoding) {
                case LITERAL -> { }
                case FIXED, CHAR6 -> {
                    int bits = encoding == CHAR6 ? 6 : width;
                    if (last >= 0 && steps[last] == SKIP_BITS) {
                        steps[last + 1] += bits;
                        steps[last + 2]++;
                    } else {
                        n = step(steps, n, SKIP_BITS, bits, i);
                    }
                }
                case VBR -> {
                    if (last >= 0 && steps[last] == SKIP_VBRS && steps[last + 1] == width) steps[last + 2]++;
                    else n = step(steps, n, SKIP_VBRS, width, i);
                }
                case ARRAY -> {
                    int element = (int) ops[i + 2];
                    n = step(steps, n, element == VBR ? SKIP_VBR_ARRAY : SKIP_FIXED_ARRAY, minimumBits(element, ops[i + 3]), i);
                    i += 2;
                }
                default -> n = step(steps, n, SKIP_BLOB, 0, i);
            }
        }
        return java.util.Arrays.copyOf(steps, n);
    }

    private static int step(int[] steps, int n, int step, int width, int firstOp) {
        steps[n] = step;
        steps[n + 1] = width;
        steps[n + 2] = 1;
        steps[n + 3] = firstOp;
        return n + 4;
    }

    static Abbreviation define(BitstreamCursor in) throws BitcodeException {
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
        return new Abbreviation(ops);
    }

    /** Bits one array element of this encoding takes at least; never 0 (checked in {@link #define}). */
    static int minimumBits(int encoding, long width) {
        return encoding == CHAR6 ? 6 : (int) width;
    }
}
