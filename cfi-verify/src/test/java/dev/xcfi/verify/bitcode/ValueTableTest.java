package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.bitcode.BitstreamCursorTest.Bits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Module constants: aggregates keep their elements (the functions tables hold), within a budget a crafted file cannot stretch. */
class ValueTableTest {
    private static final int WIDTH = 4, CONSTANTS = 11, AGGREGATE = 7;

    @Test
    void aggregatesKeepTheirElementIds() throws BitcodeException {
        Bits content = new Bits();
        unabbreviated(content, AGGREGATE, 5, 0, 7);
        unabbreviated(content, AGGREGATE, 1);
        ValueTable values = read(block(content), 1 << 20);
        assertThat(values.size()).isEqualTo(2);
        assertThat(values.kind(0)).isEqualTo(ValueTable.AGGREGATE);
        assertThat(values.elements(0)).containsExactly(5, 0, 7);
        assertThat(values.elements(1)).containsExactly(1);
    }

    /** An array of one-bit fields holds eight elements a byte; a module that could only be crafted is refused, not held. */
    @Test
    void oneBitElementsBeyondTheBudgetAreRefused() throws BitcodeException {
        Bits content = new Bits();
        content.fixed(2, WIDTH);                     // DEFINE_ABBREV [literal 7, array of fixed(1)]
        content.vbr(3, 5);
        content.fixed(1, 1);
        content.vbr(AGGREGATE, 8);
        content.fixed(0, 1);
        content.fixed(Abbreviation.ARRAY, 3);
        content.fixed(0, 1);
        content.fixed(Abbreviation.FIXED, 3);
        content.vbr(1, 5);
        content.fixed(4, WIDTH);                     // the abbreviation: 4,000 elements
        content.vbr(4_000, 6);
        for (int i = 0; i < 4_000; i++) content.fixed(i & 1, 1);
        byte[] file = block(content);
        assertThat(file.length * 2L).isLessThan(4_000);
        assertThatThrownBy(() -> read(file, file.length)).isInstanceOf(BitcodeException.class)
                .hasMessageContaining("aggregate constants with more elements than the module has room for");
        assertThat(read(file, 1 << 20).elements(0)).hasSize(4_000);   // the same record, allowed: read whole
    }

    private static ValueTable read(byte[] file, long moduleBytes) throws BitcodeException {
        BlockReader blocks = new BlockReader(new BitstreamCursor(file, 0, file.length));
        assertThat(blocks.next()).isEqualTo(BlockReader.SUB_BLOCK);
        assertThat(blocks.subBlock()).isEqualTo(CONSTANTS);
        blocks.enter();
        ValueTable values = new ValueTable();
        values.limitAggregates(moduleBytes);
        values.readConstants(blocks, new Record(), new TypeTable());
        return values;
    }

    private static void unabbreviated(Bits out, int code, long... ops) {
        out.fixed(3, WIDTH);
        out.vbr(code, 6);
        out.vbr(ops.length, 6);
        for (long op : ops) out.vbr(op, 6);
    }

    /** {@code content} as a CONSTANTS block at the top level of a stream. */
    private static byte[] block(Bits content) {
        content.fixed(0, WIDTH);   // END_BLOCK
        while (content.written % 32 != 0) content.bit(0);
        byte[] body = content.bytes();
        Bits out = new Bits();
        out.fixed(1, 2);           // ENTER_SUBBLOCK with the top level's 2-bit ids
        out.vbr(CONSTANTS, 8);
        out.vbr(WIDTH, 4);
        while (out.written % 32 != 0) out.bit(0);
        out.fixed(body.length / 4, 32);
        for (byte b : body) out.fixed(b & 0xff, 8);
        return out.bytes();
    }
}
