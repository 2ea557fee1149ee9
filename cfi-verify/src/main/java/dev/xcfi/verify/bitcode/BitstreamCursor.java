package dev.xcfi.verify.bitcode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads LLVM's bitstream container: little-endian bit fields, VBR numbers, 32-bit alignment.
 * Every read is bounds-checked and fails with the bit offset, since the input may be corrupt.
 * Fields are read a 64-bit word at a time: this is the reader's innermost loop.
 */
final class BitstreamCursor {
    private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final byte[] bytes;
    private final long endBit;
    private long bit;

    BitstreamCursor(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.bit = (long) from * 8;
        this.endBit = (long) to * 8;
    }

    long position() {
        return bit;
    }

    long end() {
        return endBit;
    }

    long remainingBits() {
        return endBit - bit;
    }

    boolean atEnd() {
        return bit >= endBit;
    }

    void seek(long bitPosition) throws BitcodeException {
        if (bitPosition > endBit || bitPosition < 0) throw new BitcodeException("jump past the end of the bitcode", bit);
        bit = bitPosition;
    }

    /** Skips {@code bits} bits, failing when they run past the end. */
    void skip(long bits) throws BitcodeException {
        if (bits < 0 || bits > endBit - bit) throw new BitcodeException("bitcode ends inside a field", bit);
        bit += bits;
    }

    long fixed(int width) throws BitcodeException {
        if (width <= 0) {
            if (width == 0) return 0;
            throw new BitcodeException("field width " + width + " is out of range", bit);
        }
        if (width > 64) throw new BitcodeException("field width " + width + " is out of range", bit);
        if (width > endBit - bit) throw new BitcodeException("bitcode ends inside a field", bit);
        int index = (int) (bit >>> 3);
        int shift = (int) (bit & 7);
        long value = (index + 8 <= bytes.length ? (long) LITTLE_ENDIAN_LONG.get(bytes, index) : tail(index)) >>> shift;
        if (shift + width > 64) value |= (long) (bytes[index + 8] & 0xff) << (64 - shift);
        bit += width;
        return width == 64 ? value : value & ((1L << width) - 1);
    }

    /** The last bytes of the array, little-endian, zero-padded to 8. */
    private long tail(int index) {
        long word = 0;
        for (int i = bytes.length - 1; i >= index; i--) word = word << 8 | (bytes[i] & 0xff);
        return word;
    }

    long vbr(int width) throws BitcodeException {
        if (width < 2 || width > 32) throw new BitcodeException("VBR width " + width + " is out of range", bit);
        long chunk = fixed(width);
        long hi = 1L << (width - 1);
        if ((chunk & hi) == 0) return chunk;
        long value = chunk & (hi - 1);
        for (int shift = width - 1; ; shift += width - 1) {
            if (shift > 63) throw new BitcodeException("VBR number too long", bit);
            chunk = fixed(width);
            value |= (chunk & (hi - 1)) << shift;
            if ((chunk & hi) == 0) return value;
        }
    }

    void align32() throws BitcodeException {
        seek((bit + 31) & ~31L);
    }
}
