package dev.xcfi.verify.bitcode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The module-level metadata, numbered as LLVM numbers it (every record that defines metadata takes
 * the next id; METADATA_STRINGS takes one per string). Strings, nodes and value references are
 * kept, and of debug information the records that spell types and place code in files
 * ({@link #KEPT_DEBUG}); the rest is counted, not stored. The module's table also holds the
 * metadata kinds, the declarations' attachments and the {@code !llvm.module.flags} operands; a
 * function's table (LLVM moves metadata only one function uses into its block) extends it.
 */
final class MetadataTable extends LayeredTable<MetadataTable> {
    /**
     * NODE: a tuple whose operands are kept; DEBUG: a debug-info node (an MDNode too). The data is
     * for a STRING its index into the string spans, for a NODE its start in {@link #pool}, for a
     * VALUE the value id, for a DEBUG node its start in the pool ({@code [size + 1, code, operands...]})
     * or -1 when its operands are not kept.
     */
    static final byte STRING = 1, NODE = 2, VALUE = 3, DEBUG = 4;
    private static final int STRING_OLD = 1, VALUE_CODE = 2, NODE_CODE = 3, NAME = 4, DISTINCT_NODE = 5, KIND = 6,
            OLD_NODE = 8, OLD_FN_NODE = 9, NAMED_NODE = 10, ATTACHMENT = 11, STRINGS = 35, GLOBAL_DECL_ATTACHMENT = 36,
            INDEX_OFFSET = 38, INDEX = 39, ARG_LIST = 46, LAST_KNOWN = 49;
    /** Debug-info records that spell types, and the global variables and subprograms that lead to them. */
    static final int SUBRANGE = 13, BASIC_TYPE = 15, DERIVED_TYPE = 17, COMPOSITE_TYPE = 18, SUBROUTINE_TYPE = 19, SUBPROGRAM = 21,
            GLOBAL_VAR = 27, GLOBAL_VAR_EXPR = 37;
    /** And the ones that say which file a debug location's scope is in. */
    static final int FILE = 16, LEXICAL_BLOCK = 22, LEXICAL_BLOCK_FILE = 23;
    private static final boolean[] KEPT_DEBUG = new boolean[LAST_KNOWN + 1];

    static {
        for (int code : new int[] {SUBRANGE, BASIC_TYPE, DERIVED_TYPE, COMPOSITE_TYPE, SUBROUTINE_TYPE, SUBPROGRAM, GLOBAL_VAR, GLOBAL_VAR_EXPR, FILE, LEXICAL_BLOCK, LEXICAL_BLOCK_FILE}) {
            KEPT_DEBUG[code] = true;
        }
    }

    private final byte[] file;
    private int[] stringOffsets, stringLengths;
    private int strings;
    /** Node operands as {@code [count, md+1...]}; 0 is a null operand. */
    private int[] pool;
    private int used;
    private String pendingName;

    int typeKind = -1, kcfiTypeKind = -1;
    int[] moduleFlags = new int[0];
    /** METADATA_GLOBAL_DECL_ATTACHMENT records: {@code [value id, kind, md, kind, md...]}. */
    final List<long[]> declarationAttachments = new ArrayList<>();

    MetadataTable(byte[] file) {
        this(file, null, 256);
    }

    private MetadataTable(byte[] file, MetadataTable module, int capacity) {
        super(module, capacity);
        this.file = file;
        this.pool = new int[capacity];
        this.stringOffsets = new int[capacity / 4];
        this.stringLengths = new int[capacity / 4];
    }

    /** A function's metadata, numbered after {@code module}'s. */
    MetadataTable(MetadataTable module) {
        this(module.file, module, 8);
        this.typeKind = module.typeKind;
        this.kcfiTypeKind = module.kcfiTypeKind;
    }

    @Override
    void reset() {
        super.reset();
        strings = 0;
        used = 0;
    }

    /**
     * The string with metadata id {@code md}, or null when it is not a string. The module's strings
     * are decoded once (an id string is met once per function that carries or tests it); function
     * readers share that cache: a racy fill of immutable strings, so any thread's copy is right.
     */
    String string(long md) {
        if (md < base) return md < 0 ? null : module.string(md);
        if (kind(md) != STRING) return null;
        int s = data(md);
        if (module != null) return new String(file, stringOffsets[s], stringLengths[s], StandardCharsets.UTF_8);
        String[] cache = decoded;
        if (cache == null || cache.length < strings) decoded = cache = java.util.Arrays.copyOf(cache == null ? new String[0] : cache, strings);
        String known = cache[s];
        if (known == null) cache[s] = known = new String(file, stringOffsets[s], stringLengths[s], StandardCharsets.UTF_8);
        return known;
    }

    private volatile String[] decoded;

    /** The value id a VALUE entry refers to. */
    int value(long md) {
        return data(md);
    }

    int operandCount(long md) {
        return md < base ? module.operandCount(md) : pool[data(md)];
    }

    /** Operand {@code i} of node {@code md} as a metadata id, or -1 for a null operand. */
    long operand(long md, int i) {
        return md < base ? module.operand(md, i) : pool[data(md) + 1 + i] - 1L;
    }

    /** Reads METADATA_KIND_BLOCK (or the KIND records of old METADATA blocks). */
    void readKinds(BlockReader blocks, Record r) throws BitcodeException {
        for (int code; (code = blocks.nextRecord()) != BlockReader.END; ) {
            if (code == KIND) kind(blocks, r);
            else blocks.skip();
        }
    }

    private void kind(BlockReader blocks, Record r) throws BitcodeException {
        blocks.read(r, KIND);
        long id = r.op(0);
        if (id > Integer.MAX_VALUE) return;
        switch (r.chars(1)) {
            case "type" -> typeKind = (int) id;
            case "kcfi_type" -> kcfiTypeKind = (int) id;
            default -> { }
        }
    }

    /** Reads a METADATA_BLOCK: the module's, or a function's (its ids continue the module's). */
    void read(BlockReader blocks, Record r) throws BitcodeException {
        for (int code; (code = blocks.nextRecord()) != BlockReader.END; ) {
            switch (code) {
                case STRINGS -> strings(blocks, r);
                case NODE_CODE, DISTINCT_NODE -> {
                    blocks.read(r, code);
                    add(NODE, node(r));
                }
                case VALUE_CODE -> {
                    blocks.read(r, code);
                    long value = r.op(1);
                    add(VALUE, value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) value);
                }
                case NAME -> {
                    blocks.read(r, code);
                    pendingName = r.chars(0);
                }
                case NAMED_NODE -> {
                    blocks.read(r, code);
                    if ("llvm.module.flags".equals(pendingName)) {
                        moduleFlags = new int[r.size];
                        for (int i = 0; i < r.size; i++) moduleFlags[i] = (int) Math.min(r.ops[i], Integer.MAX_VALUE);
                    }
                    pendingName = null;
                }
                case KIND -> kind(blocks, r);
                case GLOBAL_DECL_ATTACHMENT -> {
                    blocks.read(r, code);
                    declarationAttachments.add(Arrays.copyOf(r.ops, r.size));
                }
                case ATTACHMENT, INDEX_OFFSET, INDEX -> blocks.skip();
                case STRING_OLD, OLD_NODE, OLD_FN_NODE -> throw new UnsupportedBitcodeException("metadata in a pre-LLVM-4 format", blocks.cursor().position(), "");
                default -> {
                    if (code > LAST_KNOWN) throw new UnsupportedBitcodeException("unknown metadata record " + code + " (newer than LLVM 22?)", blocks.cursor().position(), "");
                    if (KEPT_DEBUG[code]) {
                        blocks.read(r, code);
                        add(DEBUG, debugNode(code, r));
                    } else {
                        blocks.skip();
                        add(code == ARG_LIST ? OTHER : DEBUG, -1);   // debug info: takes an id; only DIArgList is not a node
                    }
                }
            }
        }
    }

    /** METADATA_STRINGS: {@code [count, offset]} and a blob of VBR6 lengths followed, at offset, by the characters. */
    private void strings(BlockReader blocks, Record r) throws BitcodeException {
        blocks.read(r, STRINGS);
        long count = r.op(0), offset = r.op(1);
        if (r.blobOffset < 0 || offset > r.blobLength || count > (long) r.blobLength * 8 / 6) {
            throw blocks.error("malformed METADATA_STRINGS record", r.position);
        }
        BitstreamCursor lengths = new BitstreamCursor(file, r.blobOffset, r.blobOffset + (int) offset);
        int at = r.blobOffset + (int) offset, end = r.blobOffset + r.blobLength;
        for (long i = 0; i < count; i++) {
            long n = lengths.vbr(6);
            if (n > end - at) throw blocks.error("metadata string runs past its blob", r.position);
            if (strings == stringOffsets.length) {
                stringOffsets = Arrays.copyOf(stringOffsets, strings * 2);
                stringLengths = Arrays.copyOf(stringLengths, strings * 2);
            }
            stringOffsets[strings] = at;
            stringLengths[strings] = (int) n;
            add(STRING, strings++);
            at += (int) n;
        }
    }

    /** The record code of a kept debug-info node, or -1. */
    int debugCode(long md) {
        if (md < base) return md < 0 ? -1 : module.debugCode(md);
        if (kind(md) != DEBUG || data(md) < 0) return -1;
        return pool[data(md) + 1];
    }

    /** Operand {@code i} of a kept debug-info record as written (0 when the record is shorter). */
    int debugOperand(long md, int i) {
        if (md < base) return module.debugOperand(md, i);
        int start = data(md);
        return i < pool[start] - 1 ? pool[start + 2 + i] : 0;
    }

    private int debugNode(int code, Record r) {
        if (used + r.size + 2 > pool.length) pool = Arrays.copyOf(pool, Math.max(pool.length * 2, used + r.size + 2));
        int start = used;
        pool[used++] = r.size + 1;
        pool[used++] = code;
        for (int i = 0; i < r.size; i++) pool[used++] = (int) Math.min(r.ops[i], Integer.MAX_VALUE);
        return start;
    }

    private int node(Record r) {
        if (used + r.size + 1 > pool.length) pool = Arrays.copyOf(pool, Math.max(pool.length * 2, used + r.size + 1));
        int start = used;
        pool[used++] = r.size;
        for (int i = 0; i < r.size; i++) pool[used++] = (int) Math.min(r.ops[i], Integer.MAX_VALUE);
        return start;
    }
}
