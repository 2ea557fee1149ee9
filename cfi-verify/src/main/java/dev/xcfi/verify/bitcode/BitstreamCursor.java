package dev.xcfi.verify.bitcode;

/**
 * Reads LLVM's bitstream container: little-endian bit fields, VBR numbers, 32-bit alignment.
 * Every read is bounds-checked and fails with the bit offset, since the input may be corrupt.
 */
final class BitstreamCursor {
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

    boolean atEnd() {
        return bit >= endBit;
    }

    void seek(long bitPosition) throws BitcodeException {
        if (bitPosition > endBit || bitPosition < 0) throw new BitcodeException("jump past the end of the bitcode", bit);
        bit = bitPosition;
    }

    long fixed(int width) throws BitcodeException {
        if (width < 0 || width > 64) throw new BitcodeException("field width " + width + " is out of range", bit);
        if (bit + width > endBit) throw new BitcodeException("bitcode ends inside a field", bit);
        long value = 0;
        for (int i = 0; i < width; i++, bit++) {
            if ((bytes[(int) (bit >>> 3)] >>> (bit & 7) & 1) != 0) value |= 1L << i;
        }
        return value;
    }

    long vbr(int width) throws BitcodeException {
        if (width < 2 || width > 32) throw new BitcodeException("VBR width " + width + " is out of range", bit);
        long hi = 1L << (width - 1);
        long value = 0;
        for (int shift = 0; ; shift += width - 1) {
            if (shift > 63) throw new BitcodeException("VBR number too long", bit);
            long chunk = fixed(width);
            value |= (chunk & (hi - 1)) << shift;
            if ((chunk & hi) == 0) return value;
        }
    }

    void align32() throws BitcodeException {
        long aligned = (bit + 31) & ~31L;
        seek(aligned);
    }
}
