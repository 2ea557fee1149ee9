package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.facts.CallbackArgument;
import dev.xcfi.verify.facts.DebugType;
import dev.xcfi.verify.facts.DebugTypeWalk;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.SourceLocation;
import dev.xcfi.verify.facts.StoredFunction;
import dev.xcfi.verify.facts.TypeTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reads one FUNCTION_BLOCK against the module's tables, which it only reads: its own values and
 * metadata extend them. Records are decoded only to keep value numbering exact (which records
 * produce a value) and to take apart calls, invokes, callbrs and their operand bundles.
 */
final class FunctionReader {
    private static final int CONSTANTS = 11, METADATA = 15, METADATA_ATTACHMENT = 16;
    private static final int INVOKE = 13, CALL = 34, OPERAND_BUNDLE = 55, CALLBR = 57, ATTACHMENT = 11;
    private static final int ALLOCA = 19, LOAD = 20, STORE = 44, STORE_ATOMIC = 45;
    private static final int DEBUG_LOC_AGAIN = DebugLocations.DEBUG_LOC_AGAIN, DEBUG_LOC = DebugLocations.DEBUG_LOC;
    private static final int CALL_EXPLICIT_TYPE = 15, CALL_FMF = 17, INVOKE_EXPLICIT_TYPE = 13;
    private static final long OB_METADATA = 0x80000000L;
    /** Instruction records that define a value (every instruction but calls has a fixed type). */
    private static final boolean[] PRODUCES_VALUE = new boolean[67];
    /** Instruction records that do not (terminators without value, stores, debug locations and records). */
    private static final boolean[] NO_VALUE = new boolean[67];

    static {
        for (int c : new int[] {2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 20, 23, 26, 27, 28, 29, 30, 37, 38, 40, 41, 43, 46, 47, 50, 51, 52, 56, 58, 59}) {
            PRODUCES_VALUE[c] = true;
        }
        for (int c : new int[] {1, 10, 11, 12, 15, 24, 31, 33, 35, 36, 39, 42, 44, 45, 48, 49, 60, 61, 62, 63, 64, 65, 66}) NO_VALUE[c] = true;
    }

    /**
     * A type id before distinct nodes are numbered: an id string, or a node key unique in the
     * module (function-local metadata ids are reused from one function to the next).
     */
    record RawId(String name, long node, boolean crossDso) {
        static RawId named(String name) {
            return new RawId(name, 0, false);
        }

        static RawId node(long key) {
            return new RawId(null, key, false);
        }

        static RawId crossDso(long id) {
            return new RawId(null, id, true);
        }
    }

    record RawAttachment(long offset, RawId id) {}

    record RawTypeTest(int function, RawId id, TypeTest.Kind kind, SourceLocation source) {}

    /**
     * What the module's tables give a function body: all read-only while bodies are read. In a
     * KCFI module ({@code kcfi}), stack slots are followed too, so that unoptimized code's calls of a
     * parameter (stored to a slot, loaded, called) are known as calls of that parameter.
     */
    record Module(TypeTable types, ValueTable values, MetadataTable metadata, String[] bundleTags, List<String> names, Callees callees, boolean kcfi) {}

    /**
     * What each function is as a callee (the type test it performs, if any; whether it is an
     * intrinsic), worked out once per module: a large module makes tens of thousands of calls.
     */
    record Callees(TypeTest.Kind[] tests, boolean[] intrinsics) {
        static Callees of(List<String> names) {
            TypeTest.Kind[] tests = new TypeTest.Kind[names.size()];
            boolean[] intrinsics = new boolean[names.size()];
            for (int i = 0; i < tests.length; i++) {
                tests[i] = TypeTest.Kind.of(names.get(i)).orElse(null);
                intrinsics[i] = FunctionFacts.isIntrinsic(names.get(i));
            }
            return new Callees(tests, intrinsics);
        }
    }

    /** One body's facts, and its own attachments (`!type`, `!kcfi_type`) with their metadata resolved. */
    record Body(int function, List<RawTypeTest> typeTests, List<KcfiCall> kcfiCalls, List<CallbackArgument> callbacks,
                List<StoredFunction> stored, List<RawAttachment> typeIds, OptionalInt kcfiType, DebugTypes debugTypes, SourceLocation source) {}

    /** The function types a body's own debug information spells, and the module nodes its walk reached (walked later, once). */
    record DebugTypes(List<DebugType.Function> found, java.util.Set<Long> deferred) {
        static final DebugTypes NONE = new DebugTypes(List.of(), java.util.Set.of());
    }

    /** LLVM's fixed metadata kind of {@code !dbg}. */
    static final long DBG_KIND = 0;

    private final Module module;
    private int fn;
    private BlockReader blocks;
    private final Record r = new Record();
    private final ValueTable values;
    private final MetadataTable metadata;
    private final List<RawTypeTest> typeTests = new ArrayList<>();
    private final List<KcfiCall> kcfiCalls = new ArrayList<>();
    private final List<CallbackArgument> callbacks = new ArrayList<>();
    /** The functions this body's stores write to memory, each once, in instruction order. */
    private final java.util.LinkedHashSet<String> stored = new java.util.LinkedHashSet<>();
    /** Each stored function's first store's place in the source, in {@link #stored}'s order. */
    private final List<SourceLocation> storedSources = new ArrayList<>();
    private long[] attachments;
    /** Per call: argument value ids and metadata ids (-1 when not that kind), and the bundles before it. */
    private long[] argValues = new long[16], argMetadata = new long[16];
    private final List<long[]> bundles = new ArrayList<>();
    /** KCFI calls before their parameter is known: {@code [hash, callee value id]}; and each stack slot's {@code [stores, parameter]}. */
    private final List<long[]> kcfiPending = new ArrayList<>();
    private final java.util.Map<Long, int[]> slots = new java.util.HashMap<>();
    /** Each pending KCFI call's place in the source. */
    private final List<SourceLocation> kcfiSources = new ArrayList<>();
    /** The facts the last instruction added start at these indexes (type tests, KCFI calls, callbacks, stored functions). */
    private int testsFrom, kcfiFrom, callbacksFrom, storedFrom;
    /** Whether the record just read was an instruction that added facts (and a DEBUG_LOC after it places them). */
    private boolean placing;
    private final DebugInfoSource debugInfo;
    private final DebugLocations locations;

    /** A reader for the bodies of one module, reused from one body to the next (one per thread). */
    FunctionReader(Module module) {
        this.module = module;
        this.values = new ValueTable(module.values());
        this.metadata = new MetadataTable(module.metadata());
        this.debugInfo = new DebugInfoSource(metadata, values);
        this.locations = new DebugLocations(debugInfo);
    }

    /** Reads the body of function {@code fn}, whose block {@code blocks} has just entered. */
    Body read(int fn, int fnType, BlockReader blocks) throws BitcodeException {
        this.fn = fn;
        this.blocks = blocks;
        values.reset();
        metadata.reset();
        typeTests.clear();
        kcfiCalls.clear();
        callbacks.clear();
        stored.clear();
        storedSources.clear();
        bundles.clear();
        kcfiPending.clear();
        kcfiSources.clear();
        slots.clear();
        testsFrom = kcfiFrom = callbacksFrom = storedFrom = 0;
        placing = false;
        locations.reset();
        attachments = null;
        try {
            return body(fnType);
        } catch (BitcodeException e) {
            throw blocks.located(e);
        }
    }

    private Body body(int fnType) throws BitcodeException {
        for (int i = 0, n = module.types().parameterCount(fnType); i < n; i++) values.add(ValueTable.ARGUMENT, i);
        for (int code; (code = blocks.next()) != BlockReader.END; ) {
            // a DEBUG_LOC places the instruction just before it: any other record ends that
            if (code != DEBUG_LOC && code != DEBUG_LOC_AGAIN) placing = false;
            if (code == BlockReader.SUB_BLOCK) {
                switch (blocks.subBlock()) {
                    case CONSTANTS -> {
                        blocks.enter();
                        values.readConstants(blocks, r, module.types());
                    }
                    case METADATA -> {
                        blocks.enter();
                        metadata.read(blocks, r);
                    }
                    case METADATA_ATTACHMENT -> {
                        blocks.enter();
                        attachments();
                    }
                    default -> blocks.skipBlock();   // value names, use lists
                }
            } else if (code == DEBUG_LOC || code == DEBUG_LOC_AGAIN) {
                debugLocation(code);
            } else if (code == CALL || code == INVOKE || code == CALLBR) {
                factsFrom();
                blocks.read(r, code);
                call();
                placing = addedFacts();
            } else if (code == OPERAND_BUNDLE) {
                blocks.read(r, code);
                bundle();
            } else if (module.kcfi() && code == ALLOCA) {
                blocks.skip();
                values.add(ValueTable.SLOT, 0);
            } else if (module.kcfi() && code == LOAD) {
                blocks.read(r, code);
                load();
            } else if (code == STORE || code == STORE_ATOMIC) {
                factsFrom();
                blocks.read(r, code);
                store();
                placing = addedFacts();
            } else if (code < PRODUCES_VALUE.length && PRODUCES_VALUE[code]) {
                blocks.skip();
                values.add(ValueTable.OTHER, 0);
            } else if (code < NO_VALUE.length && NO_VALUE[code]) {
                blocks.skip();
            } else {
                throw new UnsupportedBitcodeException("unknown instruction record " + code, blocks.cursor().position(), "");
            }
        }
        for (int i = 0; i < kcfiPending.size(); i++) {
            long[] k = kcfiPending.get(i);
            kcfiCalls.add(new KcfiCall(module.names().get(fn), (int) k[0], parameter(k[1]), module.types().signature((int) k[2]), kcfiSources.get(i)));
        }
        List<RawAttachment> typeIds = attachments == null ? List.of() : new ArrayList<>(4);
        OptionalInt kcfi = attachments == null ? OptionalInt.empty()
                : resolveAttachments(attachments, fn, metadata, values, module.metadata().size(), typeIds, OptionalInt.empty());
        List<StoredFunction> storedFunctions = new ArrayList<>(stored.size());
        int n = 0;
        for (String f : stored) storedFunctions.add(new StoredFunction(StoredFunction.Kind.STORE, module.names().get(fn), f, storedSources.get(n++)));
        long dbg = debugAttachment(attachments);
        return new Body(fn, List.copyOf(typeTests), List.copyOf(kcfiCalls), List.copyOf(callbacks), storedFunctions, typeIds, kcfi, debugTypes(),
                dbg < 0 ? SourceLocation.NONE : debugInfo.subprogram(dbg));
    }

    private boolean addedFacts() {
        return testsFrom < typeTests.size() || kcfiFrom < kcfiPending.size() || callbacksFrom < callbacks.size() || storedFrom < storedSources.size();
    }

    /** Only calls and stores add facts that have a place; the facts an instruction adds start where it starts. */
    private void factsFrom() {
        testsFrom = typeTests.size();
        kcfiFrom = kcfiPending.size();
        callbacksFrom = callbacks.size();
        storedFrom = storedSources.size();
    }

    /** A DEBUG_LOC or DEBUG_LOC_AGAIN: places the facts the instruction before it added, if any. */
    private void debugLocation(int code) throws BitcodeException {
        SourceLocation at = locations.read(code, blocks, placing);
        if (at == null) return;
        for (int i = testsFrom; i < typeTests.size(); i++) {
            RawTypeTest t = typeTests.get(i);
            typeTests.set(i, new RawTypeTest(t.function(), t.id(), t.kind(), at));
        }
        for (int i = kcfiFrom; i < kcfiSources.size(); i++) kcfiSources.set(i, at);
        for (int i = storedFrom; i < storedSources.size(); i++) storedSources.set(i, at);
        for (int i = callbacksFrom; i < callbacks.size(); i++) {
            CallbackArgument c = callbacks.get(i);
            callbacks.set(i, new CallbackArgument(c.function(), c.callee(), c.argument(), c.arguments(), c.passed(), at));
        }
        factsFrom();
        placing = false;
    }

    /** Walks this function's {@code !dbg} while its metadata is at hand: LLVM moves what only one function uses into its block. */
    private DebugTypes debugTypes() {
        long dbg = debugAttachment(attachments);
        if (dbg < 0 || !module.kcfi()) return DebugTypes.NONE;   // only KCFI hashes are named from them
        DebugTypeWalk walk = new DebugTypeWalk(new DebugInfoSource(metadata, values)).from(dbg);
        return new DebugTypes(walk.found(), walk.deferred());
    }

    /** The last {@code !dbg} among {@code [kind, md]...} pairs, or -1. */
    static long debugAttachment(long[] pairs) {
        long dbg = -1;
        for (int i = 0; pairs != null && i + 1 < pairs.length; i += 2) {
            if (pairs[i] == DBG_KIND) dbg = pairs[i + 1];
        }
        return dbg;
    }

    /** Function attachments are the even-length records: {@code [kind, md]...}; odd ones belong to instructions. */
    /**
     * METADATA_ATTACHMENT: the function's own attachments ({@code [kind, md]...}: {@code !type},
     * {@code !kcfi_type}, {@code !dbg}), then each instruction's ({@code [instruction, kind, md]...}).
     * LLVM's writer puts the function's first (writeFunctionMetadataAttachment); the instructions'
     * ({@code !tbaa} on nearly every load and store, 111,221 records in SQLite against 382,236
     * instructions) say nothing the facts need, so the block is left by its length at the first.
     */
    private void attachments() throws BitcodeException {
        for (int code; (code = blocks.nextRecord()) != BlockReader.END; ) {
            if (code == ATTACHMENT && blocks.operandCount() % 2 == 1) {
                blocks.leave();   // an instruction's attachments: [instruction, kind, md...], and only such from here on
                return;
            } else if (code == ATTACHMENT) {
                blocks.read(r, code);
                if (r.size % 2 == 0) attachments = append(attachments, r.ops, 0, r.size);
            } else {
                blocks.skip();
            }
        }
    }

    /** Appends {@code [kind, md]...} pairs: like libLLVM, a second attachment record adds to the first. */
    static long[] append(long[] old, long[] pairs, int from, int to) {
        int n = old == null ? 0 : old.length;
        long[] all = old == null ? new long[to - from] : Arrays.copyOf(old, n + to - from);
        System.arraycopy(pairs, from, all, n, to - from);
        return all;
    }

    /** LOAD {@code [pointer (+type if forward), type, align, volatile]}: a load from a stack slot remembers the slot. */
    private void load() throws BitcodeException {
        int inst = values.size();
        long pointer = (inst - r.op(0)) & 0xffffffffL;
        values.add(values.kind(pointer) == ValueTable.SLOT ? ValueTable.LOADED : ValueTable.OTHER, (int) pointer);
    }

    /**
     * STORE {@code [pointer (+type), value (+type), align, volatile...]}: a function's address
     * written to memory is kept; in KCFI modules, the stores to each stack slot are counted.
     */
    private void store() throws BitcodeException {
        int inst = values.size(), op = 0;
        long pointer = (inst - r.op(op++)) & 0xffffffffL;
        if (pointer >= inst) op++;
        long value = (inst - r.op(op)) & 0xffffffffL;
        if (values.kind(value) == ValueTable.FUNCTION) {
            String name = module.names().get(values.data(value));
            if (!FunctionFacts.isIntrinsic(name) && stored.add(name)) storedSources.add(SourceLocation.NONE);
        }
        if (!module.kcfi() || values.kind(pointer) != ValueTable.SLOT) return;
        int[] slot = slots.computeIfAbsent(pointer, k -> new int[] {0, -1});
        slot[0]++;
        slot[1] = values.kind(value) == ValueTable.ARGUMENT ? values.data(value) : -1;
    }

    /** The parameter a called value is: itself, or loaded from a stack slot whose only store is that parameter; else -1. */
    private int parameter(long callee) {
        byte kind = values.kind(callee);
        if (kind == ValueTable.ARGUMENT) return values.data(callee);
        if (kind != ValueTable.LOADED) return -1;
        int[] slot = slots.get((long) values.data(callee));
        return slot != null && slot[0] == 1 ? slot[1] : -1;
    }

    /** OPERAND_BUNDLE {@code [tag, operands...]}: kept for the call that follows. */
    private void bundle() throws BitcodeException {
        long tag = r.op(0);
        if (tag >= module.bundleTags().length) throw blocks.error("operand bundle tag " + tag + " is not defined", r.position);
        long first = -1;
        int inst = values.size();
        for (int op = 1; op < r.size; ) {
            long id = r.ops[op++];
            if (id == OB_METADATA) {
                r.op(op++);
                continue;
            }
            long value = (inst - id) & 0xffffffffL;
            if (op == 2) first = value;
            if (value >= inst) r.op(op++);   // a forward reference carries its type
        }
        bundles.add(new long[] {tag, first});
    }

    /**
     * CALL {@code [attrs, cc, fmf?, fnty, callee, args...]}, INVOKE {@code [attrs, cc, normal,
     * unwind, fnty, callee, args...]}, CALLBR {@code [attrs, cc, default, n, n x indirect, fnty,
     * callee, args...]}. Operands are relative to the instruction's value number.
     */
    private void call() throws BitcodeException {
        TypeTable types = module.types();
        long cc = r.op(1);
        int op;
        boolean explicitType;
        switch (r.code) {
            case CALL -> {
                op = ((cc >>> CALL_FMF) & 1) != 0 ? 3 : 2;
                explicitType = ((cc >>> CALL_EXPLICIT_TYPE) & 1) != 0;
            }
            case INVOKE -> {
                op = 4;
                explicitType = ((cc >>> INVOKE_EXPLICIT_TYPE) & 1) != 0;
            }
            default -> {
                long indirect = r.op(3);
                if (indirect > r.size) throw blocks.error("callbr with " + indirect + " indirect destinations", r.position);
                op = 4 + (int) indirect;
                explicitType = ((cc >>> CALL_EXPLICIT_TYPE) & 1) != 0;
            }
        }
        if (!explicitType) throw new UnsupportedBitcodeException("call without an explicit function type (typed pointers)", r.position, "");
        long fnType = r.op(op++);
        if (!types.isFunction(fnType)) throw blocks.error("call through type " + fnType + ", not a function type", r.position);
        int inst = values.size();
        long callee = (inst - r.op(op++)) & 0xffffffffL;
        if (callee >= inst) r.op(op++);
        int params = types.parameterCount((int) fnType);
        int args = 0;
        for (int i = 0; i < params; i++) {
            long rel = r.op(op++);
            byte kind = types.kind(types.parameterType((int) fnType, i));
            long id = kind == TypeTable.LABEL ? -1 : (inst - rel) & 0xffffffffL;
            argument(args++, kind == TypeTable.METADATA ? -1 : id, kind == TypeTable.METADATA ? id : -1);
        }
        if (types.isVarArg((int) fnType)) {
            while (op < r.size) {
                long id = (inst - r.ops[op++]) & 0xffffffffL;
                if (id >= inst) r.op(op++);
                argument(args++, id, -1);
            }
        } else if (op != r.size) {
            throw blocks.error("call record with " + (r.size - op) + " operands more than its type has parameters", r.position);
        }
        facts(callee, args, (int) fnType);
        bundles.clear();
        if (types.kind(types.returnType((int) fnType)) != TypeTable.VOID) values.add(ValueTable.OTHER, 0);
    }

    private void argument(int i, long value, long md) {
        if (i == argValues.length) {
            argValues = Arrays.copyOf(argValues, i * 2);
            argMetadata = Arrays.copyOf(argMetadata, i * 2);
        }
        argValues[i] = value;
        argMetadata[i] = md;
    }

    /** What one call contributes: a type test, callbacks passed to a direct callee, or a KCFI check. */
    private void facts(long callee, int args, int fnType) {
        List<String> names = module.names();
        if (values.kind(callee) != ValueTable.FUNCTION) {
            for (long[] b : bundles) {
                if (!"kcfi".equals(module.bundleTags()[(int) b[0]]) || values.kind(b[1]) != ValueTable.INTEGER) continue;
                kcfiPending.add(new long[] {values.integer(b[1]), callee, fnType});   // the parameter is known once every store is seen
                kcfiSources.add(SourceLocation.NONE);
            }
            return;
        }
        int target = values.data(callee);
        Callees callees = module.callees();
        TypeTest.Kind test = callees.tests()[target];
        if (test != null) {
            int at = test.idArgument();
            RawId id = null;
            if (args > at && (test == TypeTest.Kind.SLOWPATH || test == TypeTest.Kind.SLOWPATH_DIAG)) {
                if (values.kind(argValues[at]) == ValueTable.INTEGER) id = RawId.crossDso(values.integer(argValues[at]));
            } else if (args > at && argMetadata[at] >= 0) {
                id = rawId(metadata, values, argMetadata[at], fn, module.metadata().size(), true);
            }
            if (id != null) typeTests.add(new RawTypeTest(fn, id, test, SourceLocation.NONE));
        }
        if (callees.intrinsics()[target]) return;
        for (int i = 0; i < args; i++) {
            if (values.kind(argValues[i]) != ValueTable.FUNCTION) continue;
            int passed = values.data(argValues[i]);
            if (passed == target || callees.intrinsics()[passed]) continue;
            callbacks.add(new CallbackArgument(names.get(fn), names.get(target), i, args, names.get(passed)));
        }
    }

    /**
     * {@code !type !{i64 offset, id}} and {@code !kcfi_type !{i32 hash}} of function {@code fn},
     * added to {@code typeIds}; returns the kcfi hash (the last one, as libLLVM's walk keeps), else {@code kcfi}.
     */
    static OptionalInt resolveAttachments(long[] pairs, int fn, MetadataTable metadata, ValueTable values, int moduleMetadata,
                                          List<RawAttachment> typeIds, OptionalInt kcfi) {
        for (int i = 0; pairs != null && i + 1 < pairs.length; i += 2) {
            long kind = pairs[i], node = pairs[i + 1];
            if (metadata.kind(node) != MetadataTable.NODE || (kind != metadata.typeKind && kind != metadata.kcfiTypeKind)) continue;
            int n = metadata.operandCount(node);
            if (kind == metadata.typeKind && n == 2) {
                OptionalInt offset = integer(metadata, values, metadata.operand(node, 0));
                RawId id = rawId(metadata, values, metadata.operand(node, 1), fn, moduleMetadata, false);
                if (offset.isPresent() && id != null) typeIds.add(new RawAttachment(offset.getAsInt(), id));
            } else if (kind == metadata.kcfiTypeKind && n == 1) {
                OptionalInt hash = integer(metadata, values, metadata.operand(node, 0));
                if (hash.isPresent()) kcfi = hash;
            }
        }
        return kcfi;
    }

    /**
     * An id string, a node, or (as a {@code !type} operand) a cross-DSO id; null for anything else.
     * A wrapped value counts as a node only as a call argument: there libLLVM's
     * {@code LLVMIsAMDNode} sees it through {@code MetadataAsValue}; as a node operand the C API
     * hands out the bare constant.
     */
    static RawId rawId(MetadataTable metadata, ValueTable values, long md, int fn, int moduleMetadata, boolean argument) {
        byte kind = metadata.kind(md);
        if (kind == MetadataTable.STRING) return RawId.named(metadata.string(md));
        if (kind == MetadataTable.NODE || kind == MetadataTable.DEBUG || kind == MetadataTable.VALUE && argument) {
            return RawId.node(md < moduleMetadata ? md : (fn + 1L) << 32 | md);
        }
        if (kind == MetadataTable.VALUE) {
            int value = metadata.value(md);
            if (value < values.size() && values.kind(value) == ValueTable.INTEGER) return RawId.crossDso(values.integer(value));
        }
        return null;
    }

    /** A metadata operand that wraps an integer constant, as {@code LLVMConstIntGetSExtValue} truncated to int. */
    static OptionalInt integer(MetadataTable metadata, ValueTable values, long md) {
        if (metadata.kind(md) != MetadataTable.VALUE) return OptionalInt.empty();
        int value = metadata.value(md);
        if (value >= values.size() || values.kind(value) != ValueTable.INTEGER) return OptionalInt.empty();
        return OptionalInt.of((int) values.integer(value));
    }
}
