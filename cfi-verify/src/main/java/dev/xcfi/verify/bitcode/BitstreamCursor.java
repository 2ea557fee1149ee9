package dev.xcfi.verify.bitcode;

/**
 * Reads LLVM's bitstream container: little-endian bit fields, VBR numbers, 32-bit alignment.
 * Every read is bounds-checked and fails with the bit offset, since the input may be corrupt.
 * This is the reader's innermost loop: like LLVM's own cursor it keeps the next up-to-64 unread
 * bits in a word and touches the byte array once per eight bytes. Field widths come from checked
 * abbreviations and headers (0..64 for fixed fields, 2..32 for VBR chunks).
 */
final class BitstreamCursor {
    /** Eight bytes as one little-endian long: C1 compiles this to one load, eight byte loads and shifts otherwise. */
    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private final byte[] bytes;
    private final int endByte;
    /** Unread bits, least significant first, and how many of them are valid. */
    private long word;
    private int bitsInWord;
    /** The next byte to load into {@link #word}. */
    private int nextByte;

    BitstreamCursor(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.endByte = to;
        this.nextByte = from;
    }

    /** A second cursor over the same bytes, at {@code bit}: for reading a block on another thread. */
    BitstreamCursor fork(long bit) throws BitcodeException {
        BitstreamCursor c = new BitstreamCursor(bytes, 0, endByte);
        c.seek(bit);
        return c;
    }

    long position() {
        return (long) nextByte * 8 - bitsInWord;
    }

    long end() {
        return (long) endByte * 8;
    }

    long remainingBits() {
        return end() - position();
    }

    boolean atEnd() {
        return position() >= end();
    }

    void seek(long bitPosition) throws BitcodeException {
        if (bitPosition > end() || bitPosition < 0) throw new BitcodeException("jump past the end of the bitcode", position());
        nextByte = (int) (bitPosition >>> 3);
        bitsInWord = 0;
        word = 0;
        int within = (int) (bitPosition & 7);
        if (within != 0) fixed(within);
    }

    /** Skips {@code bits} bits, failing when they run past the end. */
    void skip(long bits) throws BitcodeException {
        if (bits <= bitsInWord) {
            if (bits < 0) throw new BitcodeException("bitcode ends inside a field", position());
            word = bits == 64 ? 0 : word >>> bits;
            bitsInWord -= (int) bits;
            return;
        }
        long target = position() + bits;
        if (target > end()) throw new BitcodeException("bitcode ends inside a field", position());
        seek(target);
    }

    long fixed(int width) throws BitcodeException {
        if (width <= bitsInWord) {
            long value = width == 64 ? word : word & ((1L << width) - 1);
            word = width == 64 ? 0 : word >>> width;
            bitsInWord -= width;
            return value;
        }
        // The field straddles the word: its low part is what is left, its high part starts the next word.
        long low = word;
        int have = bitsInWord;
        refill(width - have);
        int need = width - have;
        long high = need == 64 ? word : word & ((1L << need) - 1);
        word = need == 64 ? 0 : word >>> need;
        bitsInWord -= need;
        return low | high << have;
    }

    /** Loads the next up-to-8 bytes; {@code need} bits of them must exist. */
    private void refill(int need) throws BitcodeException {
        int n = Math.min(8, endByte - nextByte);
        if (n * 8 < need) throw new BitcodeException("bitcode ends inside a field", position());
        long w = 0;
        if (n == 8) {
            w = (long) LONG.get(bytes, nextByte);
        } else {
            for (int i = n - 1; i >= 0; i--) w = w << 8 | (bytes[nextByte + i] & 0xff);
        }
        nextByte += n;
        word = w;
        bitsInWord = n * 8;
    }

    long vbr(int width) throws BitcodeException {
        long chunk = fixed(width);
        long hi = 1L << (width - 1);
        if ((chunk & hi) == 0) return chunk;
        long value = chunk & (hi - 1);
        for (int shift = width - 1; ; shift += width - 1) {
            if (shift > 63) throw new BitcodeException("VBR number too long", position());
            chunk = fixed(width);
            value |= (chunk & (hi - 1)) << shift;
            if ((chunk & hi) == 0) return value;
        }
    }

    /** Skips {@code n} VBR numbers of {@code width}-bit chunks: one pass over the chunks, no values assembled. */
    void skipVbrs(int width, long n) throws BitcodeException {
        long hi = 1L << (width - 1), mask = (1L << width) - 1;
        int chunks = 0;
        while (n > 0) {
            long chunk;
            if (width <= bitsInWord) {
                chunk = word & mask;
                word >>>= width;
                bitsInWord -= width;
            } else {
                chunk = fixed(width);
            }
            if ((chunk & hi) == 0) {
                n--;
                chunks = 0;
            } else if (++chunks * (width - 1) > 63) {
                throw new BitcodeException("VBR number too long", position());
            }
        }
    }

    void align32() throws BitcodeException {
        seek((position() + 31) & ~31L);
    }
}
