package dev.xcfi.verify.bitcode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the blocks and records of a bitstream: abbreviation ids, DEFINE_ABBREV, BLOCKINFO, and
 * nested blocks with their declared lengths. {@link #next()} gives the next entry of the current
 * block; a record's code comes first, so a caller reads the operands of the records it needs
 * ({@link #read}) and skips the rest without storing them ({@link #skip}).
 */
final class BlockReader {
    static final int END = -1, SUB_BLOCK = -2;
    /** Operands of one kept record: no real record comes near, a corrupt length cannot allocate much. */
    static final int MAX_OPERANDS = 1 << 20;
    private static final int MAX_DEPTH = 16, MAX_ABBREVIATIONS = 1 << 16;
    private static final int END_BLOCK = 0, ENTER_SUBBLOCK = 1, DEFINE_ABBREV = 2, UNABBREV_RECORD = 3;
    private static final int BLOCKINFO = 0, BLOCKINFO_SETBID = 1;

    private final BitstreamCursor in;
    /** BLOCKINFO abbreviations by block id; shared with forks until one of them changes it (copy on write). */
    private Map<Integer, List<Abbreviation>> blockInfo;
    private boolean ownsBlockInfo;
    /** The blocks around the one this reader started in, for error paths ("" at the top level). */
    private String outerPath;
    /** {@link #path()} as last built, and at which depth (it changes only when blocks are entered or left). */
    private String cachedPath;
    private int cachedPathDepth = -1;
    private final int[] ids = new int[MAX_DEPTH + 1];
    private final int[] widths = new int[MAX_DEPTH + 1];
    private final long[] ends = new long[MAX_DEPTH + 1];
    /** The abbreviations in force at each depth, as arrays (looked up for nearly every record) with their counts. */
    private final Abbreviation[][] abbreviations = new Abbreviation[MAX_DEPTH + 1][];
    private final int[] abbreviationCounts = new int[MAX_DEPTH + 1];
    private int depth;
    private int subBlock;
    /** The abbreviation of the record whose code {@link #next()} just read; null when unabbreviated. */
    private Abbreviation pending;
    /** An unabbreviated record's operand count once {@link #operandCount()} has read it, else -1. */
    private long pendingCount = -1;
    private long recordStart;

    BlockReader(BitstreamCursor in) {
        this.in = in;
        this.blockInfo = new HashMap<>();
        this.ownsBlockInfo = true;
        this.outerPath = "";
        ids[0] = -1;
        widths[0] = 2;
        ends[0] = in.end();
        abbreviations[0] = new Abbreviation[8];
    }

    private BlockReader(BitstreamCursor in, Map<Integer, List<Abbreviation>> blockInfo, String outerPath, int parentId, long parentEnd) {
        this.in = in;
        this.blockInfo = blockInfo;
        this.outerPath = outerPath;
        ids[0] = parentId;
        widths[0] = 2;
        ends[0] = parentEnd;
        abbreviations[0] = new Abbreviation[8];
    }

    /**
     * The sub-block {@link #next()} just announced, as a place another reader can start from: its
     * header position, the block around it and the BLOCKINFO abbreviations in force there.
     */
    record ForkPoint(long header, int block, int parentId, long parentEnd, String outerPath, Map<Integer, List<Abbreviation>> blockInfo) {}

    ForkPoint forkPoint() {
        ownsBlockInfo = false;   // the fork point shares the map: a later BLOCKINFO here copies it first
        return new ForkPoint(in.position(), subBlock, ids[depth], ends[depth], path(), blockInfo);
    }

    /**
     * An independent reader, on its own cursor, that has entered the sub-block at {@code p}:
     * function bodies are read on several threads this way.
     */
    BlockReader fork(ForkPoint p) throws BitcodeException {
        return fork(p, null);
    }

    /** As {@link #fork(ForkPoint)}, reusing {@code previous} (a fork of this reader's) when there is one. */
    BlockReader fork(ForkPoint p, BlockReader previous) throws BitcodeException {
        BlockReader r;
        if (previous == null) {
            r = new BlockReader(in.fork(p.header()), p.blockInfo(), p.outerPath(), p.parentId(), p.parentEnd());
        } else {
            r = previous;
            r.in.seek(p.header());
            r.outerPath = p.outerPath();
            r.cachedPathDepth = -1;
            r.blockInfo = p.blockInfo();
            r.ownsBlockInfo = false;
            r.depth = 0;
            r.ids[0] = p.parentId();
            r.ends[0] = p.parentEnd();
        }
        r.subBlock = p.block();
        r.recordStart = p.header();
        r.enter();
        return r;
    }

    BitstreamCursor cursor() {
        return in;
    }

    /**
     * A reader that has entered the one block the bytes {@code from..to} of {@code file} hold (an
     * IDENTIFICATION, MODULE or STRTAB block, as the container lists them).
     */
    static BlockReader entered(byte[] file, int from, int to, String what) throws BitcodeException {
        BlockReader blocks = new BlockReader(new BitstreamCursor(file, from, to));
        if (blocks.next() != SUB_BLOCK) throw blocks.error("expected " + what, from * 8L);
        blocks.enter();
        return blocks;
    }

    /** The id of the sub-block {@link #next()} announced; enter it, skip it, or take its {@link #forkPoint()}. */
    int subBlock() {
        return subBlock;
    }

    /** The next record's code (>= 0), {@link #SUB_BLOCK}, or {@link #END} of the current block. */
    int next() throws BitcodeException {
        while (true) {
            if (in.position() >= ends[depth]) {
                if (depth == 0) return END;
                throw error("block ends without END_BLOCK", in.position());
            }
            recordStart = in.position();
            int id = (int) in.fixed(widths[depth]);
            switch (id) {
                case END_BLOCK -> {
                    if (depth == 0) throw error("END_BLOCK outside a block", recordStart);
                    in.align32();
                    if (in.position() != ends[depth]) throw error("block ends before its declared length", recordStart);
                    depth--;
                    cachedPathDepth = -1;
                    return END;
                }
                case ENTER_SUBBLOCK -> {
                    long block = in.vbr(8);
                    if (block > Integer.MAX_VALUE) throw error("block id " + block + " is out of range", recordStart);
                    subBlock = (int) block;
                    if (subBlock == BLOCKINFO) {
                        readBlockInfo();
                        continue;
                    }
                    return SUB_BLOCK;
                }
                case DEFINE_ABBREV -> {
                    if (abbreviationCounts[depth] >= MAX_ABBREVIATIONS) throw error("too many abbreviations", recordStart);
                    addAbbreviation(Abbreviation.define(in));
                }
                case UNABBREV_RECORD -> {
                    pending = null;
                    pendingCount = -1;
                    return code(in.vbr(6));
                }
                default -> {
                    if (id - 4 >= abbreviationCounts[depth]) throw error("undefined abbreviation " + id, recordStart);
                    pending = abbreviations[depth][id - 4];
                    return pending.literalCode >= 0 ? pending.literalCode : code(scalar((int) pending.ops[0], pending.ops[1]));
                }
            }
        }
    }

    /** The next record's code in the current block, skipping nested blocks, or {@link #END}. */
    int nextRecord() throws BitcodeException {
        int code;
        while ((code = next()) == SUB_BLOCK) skipBlock();
        return code;
    }

    private int code(long code) {
        return code > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) code;
    }

    /** Enters the sub-block {@link #next()} announced. */
    void enter() throws BitcodeException {
        if (depth == MAX_DEPTH) throw error("blocks nested more than " + MAX_DEPTH + " levels", recordStart);
        long end = header();
        depth++;
        cachedPathDepth = -1;
        ids[depth] = subBlock;
        widths[depth] = width;
        ends[depth] = end;
        // The array of each depth is reused: a reader enters thousands of blocks.
        if (abbreviations[depth] == null) abbreviations[depth] = new Abbreviation[8];
        abbreviationCounts[depth] = 0;
        List<Abbreviation> inherited = blockInfo.get(subBlock);
        if (inherited != null) for (Abbreviation a : inherited) addAbbreviation(a);
    }

    private int width;

    private void addAbbreviation(Abbreviation a) {
        Abbreviation[] all = abbreviations[depth];
        int n = abbreviationCounts[depth];
        if (n == all.length) abbreviations[depth] = all = java.util.Arrays.copyOf(all, 2 * n);
        all[n] = a;
        abbreviationCounts[depth] = n + 1;
    }

    /** Reads a sub-block header after its id: abbreviation width, alignment, length in words. */
    private long header() throws BitcodeException {
        long w = in.vbr(4);
        if (w < 1 || w > 32) throw error("abbreviation width " + w + " is out of range", recordStart);
        width = (int) w;
        in.align32();
        long words = in.fixed(32);
        long end = in.position() + words * 32;
        if (end > ends[depth]) throw error("block " + subBlock + " runs past the end of its parent", recordStart);
        return end;
    }

    /** Leaves the block the reader is in at its declared end, its remaining records and blocks unread. */
    void leave() throws BitcodeException {
        if (depth == 0) throw error("no block to leave", in.position());
        in.seek(ends[depth]);
        depth--;
        cachedPathDepth = -1;
    }

    /** Skips the sub-block {@link #next()} announced, by its declared length. */
    void skipBlock() throws BitcodeException {
        in.seek(header());
    }

    /**
     * The operand count of the record whose code {@link #next()} returned, when it is unabbreviated
     * (then read, or skipped, next); -1 for an abbreviated record, whose count its arrays decide.
     */
    long operandCount() throws BitcodeException {
        if (pending != null) return -1;
        if (pendingCount < 0) pendingCount = in.vbr(6);
        return pendingCount;
    }

    private long unabbreviatedCount() throws BitcodeException {
        long n = pendingCount >= 0 ? pendingCount : in.vbr(6);
        pendingCount = -1;
        return n;
    }

    /** Reads the operands of the record whose code {@link #next()} returned into {@code r}. */
    void read(Record r, int code) throws BitcodeException {
        read(r, code, Integer.MAX_VALUE);
    }

    /**
     * Reads the first {@code keep} operands (at least: a record's array is kept whole) of the record
     * whose code {@link #next()} returned into {@code r}, and passes over the rest: for long records
     * of which a few leading fields matter, such as a module's 19-operand function records.
     */
    void read(Record r, int code, int keep) throws BitcodeException {
        r.clear(code, recordStart);
        operands(r, keep);
    }

    /** Where the record {@link #next()} returned starts, for {@link #reread}. */
    long recordStart() {
        return recordStart;
    }

    /**
     * Reads again the first {@code keep} operands of the record at {@code start} of the current
     * block ({@link #recordStart}), leaving the reader where it was: a record passed over that
     * turns out to be needed (the debug location a later DEBUG_LOC_AGAIN repeats). Abbreviations
     * are only ever added to a block, so the one the record used is still there.
     */
    void reread(long start, Record r, int keep) throws BitcodeException {
        long here = in.position();
        Abbreviation wasPending = pending;
        long wasCount = pendingCount;
        in.seek(start);
        int id = (int) in.fixed(widths[depth]);
        int code;
        if (id == UNABBREV_RECORD) {
            pending = null;
            pendingCount = -1;
            code = code(in.vbr(6));
        } else if (id >= 4 && id - 4 < abbreviationCounts[depth]) {
            pending = abbreviations[depth][id - 4];
            code = pending.literalCode >= 0 ? pending.literalCode : code(scalar((int) pending.ops[0], pending.ops[1]));
        } else {
            throw error("no record to read again", start);
        }
        r.clear(code, start);
        operands(r, keep);
        pending = wasPending;
        pendingCount = wasCount;
        in.seek(here);
    }

    /** Skips the operands of the record whose code {@link #next()} returned. */
    void skip() throws BitcodeException {
        if (pending == null) operands(null, 0);
        else skip(pending.skip);
    }

    /** An abbreviated record's operands after the code, passed over by its abbreviation's {@link Abbreviation#skip steps}. */
    private void skip(int[] steps) throws BitcodeException {
        for (int i = 0; i < steps.length; i += 4) {
            int width = steps[i + 1];
            switch (steps[i]) {
                case Abbreviation.SKIP_BITS -> {
                    if (width <= in.remainingBits()) in.skip(width);
                    else skipFields(steps[i + 3], steps[i + 2]);   // fails at the field that runs past the end, as a read would
                }
                case Abbreviation.SKIP_VBRS -> in.skipVbrs(width, steps[i + 2]);
                case Abbreviation.SKIP_FIXED_ARRAY -> in.skip(arrayLength(0, width) * width);
                case Abbreviation.SKIP_VBR_ARRAY -> in.skipVbrs(width, arrayLength(0, width));
                default -> blob(null);
            }
        }
    }

    /** A blob: its length, 32-bit aligned bytes; where they are goes into {@code r} unless it is null. */
    private void blob(Record r) throws BitcodeException {
        long n = in.vbr(6);
        in.align32();
        if (r != null) {
            if (n * 8 > in.remainingBits()) throw error("blob of " + n + " bytes runs past the end", recordStart);
            r.blobOffset = (int) (in.position() >>> 3);
            r.blobLength = (int) n;
        }
        in.skip(n * 8);
        in.align32();
    }

    private void skipFields(int firstOp, int count) throws BitcodeException {
        long[] ops = pending.ops;
        for (int k = 0, i = firstOp; k < count; i += 2) {
            if (ops[i] == Abbreviation.LITERAL) continue;
            skipScalar((int) ops[i], ops[i + 1]);
            k++;
        }
    }

    /**
     * The operands after the code, the first {@code keep} kept in {@code keptIn}, or all passed over when it is null: a
     * skipped record is never stored (a run of VBRs or fixed-width array elements is passed over
     * in one step) and is not held to {@link #MAX_OPERANDS} unless it has an array.
     */
    private void operands(Record keptIn, int keep) throws BitcodeException {
        if (pending == null) {
            long n = unabbreviatedCount();
            if (keptIn != null && n > MAX_OPERANDS || n * 6 > in.remainingBits()) throw error("record with " + n + " operands", recordStart);
            long kept = keptIn == null ? 0 : Math.min(n, keep);
            for (int i = 0; i < kept; i++) keptIn.add(in.vbr(6));
            in.skipVbrs(6, n - kept);
            return;
        }
        long[] ops = pending.ops;
        for (int i = 2; i < ops.length; i += 2) {
            Record r = keptIn != null && keptIn.size < keep ? keptIn : null;
            int encoding = (int) ops[i];
            switch (encoding) {
                case Abbreviation.ARRAY -> {
                    int element = (int) ops[i + 2];
                    long width = ops[i + 3];
                    long n = arrayLength(r == null ? 0 : r.size, Abbreviation.minimumBits(element, width));
                    if (r != null) for (long k = 0; k < n; k++) r.add(scalar(element, width));
                    else if (element == Abbreviation.VBR) in.skipVbrs((int) width, n);
                    else in.skip(n * Abbreviation.minimumBits(element, width));
                    i += 2;
                }
                case Abbreviation.BLOB -> blob(r);
                default -> {
                    if (r != null) r.add(scalar(encoding, ops[i + 1]));
                    else skipScalar(encoding, ops[i + 1]);
                }
            }
        }
    }

    private void skipScalar(int encoding, long value) throws BitcodeException {
        switch (encoding) {
            case Abbreviation.LITERAL -> { }
            case Abbreviation.VBR -> in.vbr((int) value);
            case Abbreviation.CHAR6 -> in.skip(6);
            default -> in.skip(value);
        }
    }

    private long arrayLength(int kept, int elementBits) throws BitcodeException {
        long n = in.vbr(6);
        if (n > in.remainingBits() / elementBits || kept + n > MAX_OPERANDS) throw error("array of " + n + " elements", recordStart);
        return n;
    }

    private long scalar(int encoding, long value) throws BitcodeException {
        return switch (encoding) {
            case Abbreviation.LITERAL -> value;
            case Abbreviation.FIXED -> in.fixed((int) value);
            case Abbreviation.VBR -> in.vbr((int) value);
            case Abbreviation.CHAR6 -> Abbreviation.CHAR6_ALPHABET.charAt((int) in.fixed(6));
            default -> throw error("abbreviation encoding " + encoding + " where a scalar was expected", recordStart);
        };
    }

    /** BLOCKINFO: abbreviations that every later block with the SETBID id starts with. */
    private void readBlockInfo() throws BitcodeException {
        long end = header();
        int w = width;
        List<Abbreviation> target = null;
        Record r = new Record();
        while (true) {
            if (in.position() >= end) throw error("BLOCKINFO ends without END_BLOCK", in.position());
            long at = in.position();
            int id = (int) in.fixed(w);
            switch (id) {
                case END_BLOCK -> {
                    in.align32();
                    return;
                }
                case ENTER_SUBBLOCK -> {
                    in.vbr(8);
                    in.seek(header());
                }
                case DEFINE_ABBREV -> {
                    if (target == null) throw error("BLOCKINFO abbreviation before SETBID", at);
                    if (target.size() >= MAX_ABBREVIATIONS) throw error("too many abbreviations", at);
                    target.add(Abbreviation.define(in));
                }
                case UNABBREV_RECORD -> {
                    recordStart = at;
                    pending = null;
                    int code = code(in.vbr(6));
                    read(r, code);
                    if (code == BLOCKINFO_SETBID) {
                        long block = r.op(0);
                        if (block > Integer.MAX_VALUE) throw error("block id " + block + " is out of range", at);
                        if (!ownsBlockInfo) {
                            blockInfo = new HashMap<>(blockInfo);
                            ownsBlockInfo = true;
                        }
                        target = new ArrayList<>(blockInfo.getOrDefault((int) block, List.of()));   // the lists are shared too
                        blockInfo.put((int) block, target);
                    }
                }
                default -> throw error("abbreviated record in BLOCKINFO", at);
            }
        }
    }

    /** An error at {@code bit}, naming the blocks the reader is in (MODULE_BLOCK/FUNCTION_BLOCK/...). */
    BitcodeException error(String message, long bit) {
        return new BitcodeException(message, bit, path());
    }

    /**
     * {@code e} with the blocks this reader is in, when it was raised below them (by the cursor or
     * a record) without a path; otherwise {@code e} itself.
     */
    BitcodeException located(BitcodeException e) {
        if (!e.blockPath().isEmpty() || e.bitOffset() < 0) return e;
        BitcodeException located = e instanceof UnsupportedBitcodeException
                ? new UnsupportedBitcodeException(e.reason(), e.bitOffset(), path())
                : new BitcodeException(e.reason(), e.bitOffset(), path());
        located.setStackTrace(e.getStackTrace());
        return located;
    }

    private String path() {
        if (cachedPathDepth == depth) return cachedPath;
        StringBuilder path = new StringBuilder(outerPath);
        for (int i = 1; i <= depth; i++) path.append(path.isEmpty() ? "" : "/").append(blockName(ids[i]));
        cachedPath = path.toString();
        cachedPathDepth = depth;
        return cachedPath;
    }

    static String blockName(int id) {
        return switch (id) {
            case 8 -> "MODULE_BLOCK";
            case 9 -> "PARAMATTR_BLOCK";
            case 10 -> "PARAMATTR_GROUP_BLOCK";
            case 11 -> "CONSTANTS_BLOCK";
            case 12 -> "FUNCTION_BLOCK";
            case 13 -> "IDENTIFICATION_BLOCK";
            case 14 -> "VALUE_SYMTAB_BLOCK";
            case 15 -> "METADATA_BLOCK";
            case 16 -> "METADATA_ATTACHMENT_BLOCK";
            case 17 -> "TYPE_BLOCK";
            case 18 -> "USELIST_BLOCK";
            case 21 -> "OPERAND_BUNDLE_TAGS_BLOCK";
            case 22 -> "METADATA_KIND_BLOCK";
            case 23 -> "STRTAB_BLOCK";
            case 25 -> "SYMTAB_BLOCK";
            case 26 -> "SYNC_SCOPE_NAMES_BLOCK";
            default -> "BLOCK_" + id;
        };
    }
}
