package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.bitcode.BitstreamCursorTest.Bits;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Skipping a record ({@link BlockReader#skip()}, which passes over runs of fields by its
 * abbreviation's precomputed steps) must end where reading it does, and fail exactly where and
 * how passing over it field by field fails ({@code read(r, code, 0)} keeps nothing and walks the
 * operands one at a time), for any abbreviation: random abbreviations of every encoding, random
 * records, and the same block cut short at every 32-bit word.
 */
class BlockReaderSkipTest {
    private static final int WIDTH = 6;   // abbreviation id width inside the block

    /** One abbreviation operand: encoding (Abbreviation.LITERAL ...) and its value or width. */
    private record Op(int encoding, int value) {}

    @Test
    void skippingEndsAndFailsWhereReadingDoes() throws BitcodeException {
        Random random = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            byte[] block = block(random);
            // whole block: every record skipped ends where it is read to
            assertThat(walk(block, block.length, Mode.SKIP)).isEqualTo(walk(block, block.length, Mode.READ)).endsWith("end");
            compare(block, block.length);
            // cut short at every word (the header claims the shorter length): same outcome, same error
            for (int words = 3; words * 4 < block.length; words++) {
                byte[] cut = Arrays.copyOf(block, words * 4);
                int length = words - 2;   // content words after the 8-byte header
                cut[4] = (byte) length;
                cut[5] = (byte) (length >>> 8);
                cut[6] = (byte) (length >>> 16);
                cut[7] = (byte) (length >>> 24);
                compare(cut, cut.length);
            }
        }
    }

    private enum Mode { READ, FIELD_BY_FIELD, SKIP }

    /** Passes over every record of the block field by field and by skip steps; positions and errors must agree. */
    private static void compare(byte[] bytes, int to) {
        assertThat(walk(bytes, to, Mode.SKIP)).isEqualTo(walk(bytes, to, Mode.FIELD_BY_FIELD));
    }

    private static String walk(byte[] bytes, int to, Mode mode) {
        StringBuilder trace = new StringBuilder();
        try {
            BlockReader blocks = new BlockReader(new BitstreamCursor(bytes, 0, to));
            if (blocks.next() != BlockReader.SUB_BLOCK) return "no block";
            blocks.enter();
            Record r = new Record();
            for (int code; (code = blocks.next()) != BlockReader.END; ) {
                switch (mode) {
                    case READ -> blocks.read(r, code);
                    case FIELD_BY_FIELD -> blocks.read(r, code, 0);
                    case SKIP -> blocks.skip();
                }
                trace.append(code).append('@').append(blocks.cursor().position()).append(' ');
            }
            return trace.append("end").toString();
        } catch (BitcodeException e) {
            return trace.append(e.getMessage()).toString();
        }
    }

    /** A block with a few random abbreviations and records using them (and some unabbreviated ones). */
    private static byte[] block(Random random) {
        Bits content = new Bits();
        List<List<Op>> abbreviations = new ArrayList<>();
        for (int record = 0; record < 60; record++) {
            if (abbreviations.isEmpty() || random.nextInt(8) == 0) {
                List<Op> a = abbreviation(random);
                abbreviations.add(a);
                content.fixed(2, WIDTH);   // DEFINE_ABBREV
                content.vbr(a.size(), 5);
                for (Op op : a) {
                    if (op.encoding() == Abbreviation.LITERAL) {
                        content.fixed(1, 1);
                        content.vbr(op.value(), 8);
                    } else {
                        content.fixed(0, 1);
                        content.fixed(op.encoding(), 3);
                        if (op.encoding() == Abbreviation.FIXED || op.encoding() == Abbreviation.VBR) content.vbr(op.value(), 5);
                    }
                }
            } else if (random.nextInt(6) == 0) {
                content.fixed(3, WIDTH);   // UNABBREV_RECORD: code, count, operands
                content.vbr(random.nextInt(40), 6);
                int n = random.nextInt(6);
                content.vbr(n, 6);
                for (int i = 0; i < n; i++) content.vbr(random.nextInt(1 << random.nextInt(20)), 6);
            } else {
                int id = random.nextInt(abbreviations.size());
                content.fixed(4 + id, WIDTH);
                record(content, abbreviations.get(id), random);
            }
        }
        content.fixed(0, WIDTH);   // END_BLOCK
        while (content.written % 32 != 0) content.bit(0);
        byte[] body = content.bytes();
        Bits out = new Bits();
        out.fixed(1, 2);           // ENTER_SUBBLOCK at the top level
        out.vbr(8, 8);
        out.vbr(WIDTH, 4);
        while (out.written % 32 != 0) out.bit(0);
        out.fixed(body.length / 4, 32);
        for (byte b : body) out.fixed(b & 0xff, 8);
        return out.bytes();
    }

    private static List<Op> abbreviation(Random random) {
        List<Op> ops = new ArrayList<>();
        // the code: a literal, as LLVM writes it, or now and then a field
        ops.add(random.nextInt(5) == 0 ? new Op(Abbreviation.FIXED, 4 + random.nextInt(6)) : new Op(Abbreviation.LITERAL, random.nextInt(60)));
        int n = random.nextInt(7);
        for (int i = 0; i < n; i++) ops.add(scalar(random));
        switch (random.nextInt(4)) {
            case 0 -> {
                ops.add(new Op(Abbreviation.ARRAY, 0));
                ops.add(random.nextBoolean() ? new Op(Abbreviation.CHAR6, 0) : scalarField(random));
            }
            case 1 -> ops.add(new Op(Abbreviation.BLOB, 0));
            default -> { }
        }
        return ops;
    }

    private static Op scalar(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> new Op(Abbreviation.LITERAL, random.nextInt(100));
            case 1 -> new Op(Abbreviation.CHAR6, 0);
            default -> scalarField(random);
        };
    }

    private static Op scalarField(Random random) {
        return random.nextBoolean() ? new Op(Abbreviation.FIXED, 1 + random.nextInt(40)) : new Op(Abbreviation.VBR, 2 + random.nextInt(12));
    }

    private static void record(Bits out, List<Op> ops, Random random) {
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            switch (op.encoding()) {
                case Abbreviation.ARRAY -> {
                    Op element = ops.get(++i);
                    int n = random.nextInt(9);
                    out.vbr(n, 6);
                    for (int k = 0; k < n; k++) value(out, element, random);
                }
                case Abbreviation.BLOB -> {
                    int n = random.nextInt(12);
                    out.vbr(n, 6);
                    while (out.written % 32 != 0) out.bit(0);
                    for (int k = 0; k < n; k++) out.fixed(random.nextInt(256), 8);
                    while (out.written % 32 != 0) out.bit(0);
                }
                default -> value(out, op, random);
            }
        }
    }

    private static void value(Bits out, Op op, Random random) {
        switch (op.encoding()) {
            case Abbreviation.LITERAL -> { }
            case Abbreviation.FIXED -> out.fixed(random.nextLong() & ((1L << op.value()) - 1), op.value());
            case Abbreviation.VBR -> out.vbr(random.nextLong() >>> random.nextInt(64), op.value());
            default -> out.fixed(random.nextInt(64), 6);   // char6
        }
    }
}
