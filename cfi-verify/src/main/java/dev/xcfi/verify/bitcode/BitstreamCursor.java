package dev.xcfi.verify.bitcode;

/**
 * Reads LLVM's bitstream container: little-endian bit fields, VBR numbers, 32-bit alignment.
 * Every read is bounds-checked and fails with the bit offset, since the input may be corrupt.
 * This is the reader's innermost loop, and most of it runs as C1's code in a short run: the
 * cursor is only a bit position, and a field is read with one unaligned 8-byte load and a shift
 * (the load at a position gives at least 57 of its bits), so a read has no word to refill and
 * no field straddles anything. Field widths come from checked abbreviations and headers (0..64
 * for fixed fields, 2..32 for VBR chunks).
 */
final class BitstreamCursor {
    /** Eight bytes as one little-endian long: C1 compiles this to one load, eight byte loads and shifts otherwise. */
    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    /** Bits a load at any position gives whole: 64 less the up-to-7 bits before the position in its first byte. */
    private static final int LOADED = 57;
    /** Per VBR chunk width, the continuation bits of the whole chunks among {@link #LOADED} bits. */
    private static final long[] CONTINUATIONS = new long[33];

    static {
        for (int width = 2; width <= 32; width++) {
            long mask = 0;
            for (int at = width - 1; at < LOADED; at += width) mask |= 1L << at;
            CONTINUATIONS[width] = mask;
        }
    }

    private final byte[] bytes;
    /** The next bit to read, and the end of the range, as bit offsets in {@link #bytes}. */
    private long position;
    private final long end;
    /** The last position an 8-byte load can start at without running past the array. */
    private final long lastLoad;

    BitstreamCursor(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.position = (long) from * 8;
        this.end = (long) to * 8;
        this.lastLoad = ((long) bytes.length - 8) * 8 + 7;
    }

    /** A second cursor over the same bytes, at {@code bit}: for reading a block on another thread. */
    BitstreamCursor fork(long bit) throws BitcodeException {
        BitstreamCursor c = new BitstreamCursor(bytes, 0, (int) (end >>> 3));
        c.seek(bit);
        return c;
    }

    long position() {
        return position;
    }

    long end() {
        return end;
    }

    long remainingBits() {
        return end - position;
    }

    boolean atEnd() {
        return position >= end;
    }

    void seek(long bitPosition) throws BitcodeException {
        if (bitPosition > end || bitPosition < 0) throw new BitcodeException("jump past the end of the bitcode", position);
        position = bitPosition;
    }

    /** Skips {@code bits} bits, failing when they run past the end. */
    void skip(long bits) throws BitcodeException {
        if (bits < 0 || bits > end - position) throw new BitcodeException("bitcode ends inside a field", position);
        position += bits;
    }

    /**
     * The bits from {@code at} on, least significant first: at least {@link #LOADED} of them are
     * the stream's, the rest zero past the array's end (the callers check the range's end).
     */
    private long load(long at) {
        return at <= lastLoad ? (long) LONG.get(bytes, (int) (at >>> 3)) >>> (at & 7) : loadNearTheEnd(at);
    }

    private long loadNearTheEnd(long at) {
        long w = 0;
        for (int i = bytes.length - 1; i >= (int) (at >>> 3); i--) w = w << 8 | (bytes[i] & 0xff);
        return w >>> (at & 7);
    }

    long fixed(int width) throws BitcodeException {
        if (width > end - position) throw new BitcodeException("bitcode ends inside a field", position);
        long at = position;
        position = at + width;
        if (width < LOADED) return load(at) & ((1L << width) - 1);
        // 57 to 64 bits: the low 32 and the rest
        long low = load(at) & 0xffffffffL;
        long high = load(at + 32) & ((1L << (width - 32)) - 1);
        return low | high << 32;
    }

    long vbr(int width) throws BitcodeException {
        long hi = 1L << (width - 1);
        long chunk = fixed(width);
        if ((chunk & hi) == 0) return chunk;
        long value = chunk & (hi - 1);
        for (int shift = width - 1; ; shift += width - 1) {
            if (shift > 63) throw new BitcodeException("VBR number too long", position);
            chunk = fixed(width);
            value |= (chunk & (hi - 1)) << shift;
            if ((chunk & hi) == 0) return value;
        }
    }

    /**
     * Skips {@code n} VBR numbers of {@code width}-bit chunks, several chunks at a time: each load
     * gives {@code 57 / width} whole chunks, and the numbers that end among them are the chunks
     * whose continuation bit is clear — counted, or the {@code n}th found, with no loop over chunks.
     */
    void skipVbrs(int width, long n) throws BitcodeException {
        long continuations = CONTINUATIONS[width];
        int perLoad = LOADED / width * width;
        int run = 0;   // chunks since the last number ended, for the too-long check
        while (n > 0) {
            long ends = ~load(position) & continuations;
            int count = Long.bitCount(ends);
            if (count > 0 && run > 0 && (run + Long.numberOfTrailingZeros(ends) / width) * (width - 1) > 63) {
                throw new BitcodeException("VBR number too long", position);
            }
            if (count >= n) {
                for (long k = n; k > 1; k--) ends &= ends - 1;
                long after = position + Long.numberOfTrailingZeros(ends) + 1;
                if (after > end) break;
                position = after;
                return;
            }
            if (perLoad > end - position) break;
            run = count == 0 ? run + perLoad / width : (perLoad - (64 - Long.numberOfLeadingZeros(ends))) / width;
            if (run * (width - 1) > 63) throw new BitcodeException("VBR number too long", position);
            n -= count;
            position += perLoad;
        }
        // near the end of the range: one chunk at a time, failing where a read would
        for (long hi = 1L << (width - 1); n > 0; ) {
            if ((fixed(width) & hi) == 0) {
                n--;
                run = 0;
            } else if (++run * (width - 1) > 63) {
                throw new BitcodeException("VBR number too long", position);
            }
        }
    }

    void align32() throws BitcodeException {
        seek((position + 31) & ~31L);
    }
}
