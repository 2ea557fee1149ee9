package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.bitcode.BitstreamCursorTest.Bits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Leaving a block part-read (a function's METADATA_ATTACHMENT after its own attachments): the
 * reader goes on in the block around it with the next entry, as if it had read to END_BLOCK.
 */
class BlockReaderLeaveTest {
    private static final int WIDTH = 4, OUTER = 12, INNER = 16;

    @Test
    void leavingABlockGoesOnAfterItInTheBlockAround() throws BitcodeException {
        Bits inner = new Bits();
        unabbreviated(inner, 11, 7, 8);
        unabbreviated(inner, 11, 1, 2, 3);
        unabbreviated(inner, 11, 4, 5, 6);
        Bits outer = new Bits();
        unabbreviated(outer, 1, 10);
        nested(outer, INNER, inner);
        unabbreviated(outer, 2, 20);
        Bits top = new Bits();
        nested(top, 2, OUTER, outer);
        byte[] file = top.bytes();

        BlockReader blocks = new BlockReader(new BitstreamCursor(file, 0, file.length));
        Record r = new Record();
        assertThat(blocks.next()).isEqualTo(BlockReader.SUB_BLOCK);
        blocks.enter();
        assertThat(blocks.next()).isEqualTo(1);
        blocks.read(r, 1);
        assertThat(r.op(0)).isEqualTo(10);
        assertThat(blocks.next()).isEqualTo(BlockReader.SUB_BLOCK);
        assertThat(blocks.subBlock()).isEqualTo(INNER);
        blocks.enter();
        assertThat(blocks.next()).isEqualTo(11);
        blocks.read(r, 11);
        assertThat(r.size).isEqualTo(2);
        assertThat(blocks.next()).isEqualTo(11);
        assertThat(blocks.operandCount()).isEqualTo(3);
        blocks.leave();   // two records of the inner block unread
        assertThat(blocks.next()).isEqualTo(2);
        blocks.read(r, 2);
        assertThat(r.op(0)).isEqualTo(20);
        assertThat(blocks.next()).isEqualTo(BlockReader.END);
        assertThat(blocks.next()).isEqualTo(BlockReader.END);   // the top level, at the end of the file
        assertThatThrownBy(blocks::leave).isInstanceOf(BitcodeException.class).hasMessageContaining("no block to leave");
    }

    private static void unabbreviated(Bits out, int code, long... ops) {
        out.fixed(3, WIDTH);
        out.vbr(code, 6);
        out.vbr(ops.length, 6);
        for (long op : ops) out.vbr(op, 6);
    }

    private static void nested(Bits out, int block, Bits content) {
        nested(out, WIDTH, block, content);
    }

    /** {@code content} as block {@code block} inside {@code out}, whose abbreviation ids are {@code idWidth} bits wide. */
    private static void nested(Bits out, int idWidth, int block, Bits content) {
        content.fixed(0, WIDTH);   // END_BLOCK
        while (content.written % 32 != 0) content.bit(0);
        byte[] body = content.bytes();
        out.fixed(1, idWidth);     // ENTER_SUBBLOCK
        out.vbr(block, 8);
        out.vbr(WIDTH, 4);
        while (out.written % 32 != 0) out.bit(0);
        out.fixed(body.length / 4, 32);
        for (byte b : body) out.fixed(b & 0xff, 8);
    }
}
