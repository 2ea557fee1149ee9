package dev.xcfi.verify.bitcode;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cursor against an independent bit writer: every width, VBRs, fields across 64-bit words, the end. */
class BitstreamCursorTest {
    /** LSB-first bit writer, the bitstream's order. */
    static final class Bits {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        long pending;
        int count;
        long written;

        void fixed(long value, int width) {
            for (int i = 0; i < width; i++) bit((value >>> i) & 1);
        }

        void vbr(long value, int width) {
            long hi = 1L << (width - 1);
            do {
                long chunk = value & (hi - 1);
                value >>>= width - 1;
                fixed(value != 0 ? chunk | hi : chunk, width);
            } while (value != 0);
        }

        void bit(long b) {
            pending |= b << count++;
            written++;
            if (count == 8) {
                out.write((int) pending);
                pending = 0;
                count = 0;
            }
        }

        byte[] bytes() {
            while (count != 0) bit(0);
            return out.toByteArray();
        }
    }

    record Field(boolean vbr, int width, long value) {}

    @Test
    void readsBackWhatWasWrittenAtEveryWidthAndAlignment() throws BitcodeException {
        Random random = new Random(7);
        Bits w = new Bits();
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            boolean vbr = random.nextInt(3) == 0;
            int width = vbr ? 2 + random.nextInt(31) : random.nextInt(65);
            long value = width == 64 ? random.nextLong() : random.nextLong() & ((1L << width) - 1);
            if (vbr) value = random.nextLong() >>> random.nextInt(64);
            fields.add(new Field(vbr, width, value));
            if (vbr) w.vbr(value, width);
            else w.fixed(value, width);
        }
        long bits = w.written;
        byte[] bytes = w.bytes();
        BitstreamCursor in = new BitstreamCursor(bytes, 0, bytes.length);
        for (Field f : fields) assertThat(f.vbr() ? in.vbr(f.width()) : in.fixed(f.width())).as(f.toString()).isEqualTo(f.value());
        assertThat(in.position()).isEqualTo(bits);
    }

    @Test
    void seekSkipAndAlignKeepThePosition() throws BitcodeException {
        Bits w = new Bits();
        for (int i = 0; i < 100; i++) w.fixed(i, 7);
        byte[] bytes = w.bytes();
        BitstreamCursor in = new BitstreamCursor(bytes, 0, bytes.length);
        in.seek(7 * 42);
        assertThat(in.fixed(7)).isEqualTo(42);
        in.skip(7 * 10);
        assertThat(in.fixed(7)).isEqualTo(53);
        in.align32();
        assertThat(in.position() % 32).isZero();
        BitstreamCursor fork = in.fork(7 * 99);
        assertThat(fork.fixed(7)).isEqualTo(99);
    }

    @Test
    void theEndIsAnErrorWithItsOffsetNeverAnOverrun() throws BitcodeException {
        byte[] bytes = {(byte) 0xff, (byte) 0xff, 0x01};
        BitstreamCursor in = new BitstreamCursor(bytes, 0, 2);   // the third byte is outside the range
        assertThat(in.fixed(15)).isEqualTo(0x7fff);
        assertThatThrownBy(() -> in.fixed(2)).isInstanceOf(BitcodeException.class).hasMessage("bitcode ends inside a field (at bit 15)");
        BitstreamCursor v = new BitstreamCursor(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0, 12);
        assertThatThrownBy(() -> v.vbr(4)).isInstanceOf(BitcodeException.class).hasMessageStartingWith("VBR number too long");
        assertThatThrownBy(() -> in.seek(17)).isInstanceOf(BitcodeException.class);
    }

    @Test
    void skippingVbrsLandsWhereReadingThemWould() throws BitcodeException {
        Random random = new Random(11);
        for (int round = 0; round < 2_000; round++) {
            Bits w = new Bits();
            w.fixed(random.nextInt(8), random.nextInt(8));   // any alignment
            long start = w.written;
            int width = 2 + random.nextInt(31), n = random.nextInt(40);
            for (int i = 0; i < n; i++) w.vbr(random.nextInt(4) == 0 ? random.nextLong() >>> random.nextInt(64) : random.nextInt(32), width);
            long after = w.written;
            w.fixed(0x2a5, 10);   // a marker
            for (int i = random.nextInt(12); i > 0; i--) w.fixed(random.nextInt(256), 8);   // and maybe more bytes
            byte[] bytes = w.bytes();
            BitstreamCursor in = new BitstreamCursor(bytes, 0, bytes.length);
            in.seek(start);
            in.skipVbrs(width, n);
            assertThat(in.position()).as("width %d, %d numbers", width, n).isEqualTo(after);
            assertThat(in.fixed(10)).isEqualTo(0x2a5);
        }
    }

    @Test
    void skippingFailsAtTheEndAndOnNumbersTooLong() {
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThatThrownBy(() -> new BitstreamCursor(ones, 0, 64).skipVbrs(6, 1)).isInstanceOf(BitcodeException.class)
                .hasMessageStartingWith("VBR number too long");
        byte[] zeros = new byte[4];
        BitstreamCursor in = new BitstreamCursor(zeros, 0, 4);   // 32 bits: five 6-bit numbers and two bits
        assertThatThrownBy(() -> in.skipVbrs(6, 6)).isInstanceOf(BitcodeException.class).hasMessage("bitcode ends inside a field (at bit 30)");
    }
}
