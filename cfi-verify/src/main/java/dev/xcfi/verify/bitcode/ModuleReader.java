package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.facts.CallbackArgument;
import dev.xcfi.verify.facts.DebugType;
import dev.xcfi.verify.facts.DebugTypeWalk;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.SourceLocation;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.ModuleFlags;
import dev.xcfi.verify.facts.StoredFunction;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;
import dev.xcfi.verify.bitcode.FunctionReader.RawAttachment;
import dev.xcfi.verify.bitcode.FunctionReader.RawId;
import dev.xcfi.verify.bitcode.FunctionReader.RawTypeTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads one MODULE_BLOCK into {@link ModuleFacts}, equal to what {@code LlvmReader} extracts
 * through libLLVM. The module's own records and tables are read in order; function bodies are
 * collected and read by {@link FunctionReader}s, side by side when there are many (they only read
 * the module's tables, which are complete before the first body in every file LLVM writes; should
 * a table change after a body, the bodies before it are read first, so numbering stays exact).
 */
final class ModuleReader {
    private static final int MODULE = 8, CONSTANTS = 11, FUNCTION_BLOCK = 12, METADATA = 15, TYPES = 17, OPERAND_BUNDLE_TAGS = 21,
            METADATA_KIND = 22;
    private static final int VERSION = 1, TRIPLE = 2, GLOBALVAR = 7, FUNCTION = 8, ALIAS_OLD = 9, ALIAS = 14, IFUNC = 18;

    private final byte[] file;
    private final int strtabOffset, strtabLength;
    private final int aloneFirst;
    private final BlockReader blocks;
    private final Record r = new Record();
    private final TypeTable types = new TypeTable();
    private final ValueTable values = new ValueTable();
    private final MetadataTable metadata;
    private String triple = "";
    private boolean strtabNames;
    private String[] bundleTags = new String[0];

    // Functions, in module order
    private final List<String> names = new ArrayList<>();
    private final List<Boolean> definitions = new ArrayList<>();
    private final List<FunctionFacts.Linkage> linkages = new ArrayList<>();
    private final List<Integer> functionTypes = new ArrayList<>();
    private final List<List<RawAttachment>> typeIds = new ArrayList<>();
    private final List<OptionalInt> kcfiTypes = new ArrayList<>();
    /** Each function's place in the source (its subprogram's), with debug information. */
    private final List<SourceLocation> sources = new ArrayList<>();
    private final List<Integer> bodies = new ArrayList<>();
    private int nextBody;
    /**
     * Global variables with an initializer, in module order, three longs each: where the name is in
     * the string table (offset and length), the initializer's value id and the global's own. Most
     * are string literals, which hold no function: their names are never made.
     */
    private long[] globals = new long[3 * 256];
    private int globalCount;
    /** The function types the bodies' own debug information spells, and the module nodes their walks left for {@link #debugTypes()}. */
    private final List<DebugType.Function> debugTypes = new ArrayList<>();
    private final java.util.Set<Long> debugDeferred = new java.util.LinkedHashSet<>();
    /** Function blocks met but not read yet: the function and where its block starts. */
    private record PendingBody(int function, BlockReader.ForkPoint at) {}

    private final List<PendingBody> pending = new ArrayList<>();

    private final List<RawTypeTest> typeTests = new ArrayList<>();
    private final List<KcfiCall> kcfiCalls = new ArrayList<>();
    private final List<CallbackArgument> callbacks = new ArrayList<>();
    private final List<StoredFunction> storedByCode = new ArrayList<>();

    ModuleReader(byte[] file, int from, int to, int strtabOffset, int strtabLength, int aloneFirst) {
        this.file = file;
        this.strtabOffset = strtabOffset;
        this.strtabLength = strtabLength;
        this.aloneFirst = aloneFirst;
        this.blocks = new BlockReader(new BitstreamCursor(file, from, to));
        this.metadata = new MetadataTable(file);
        this.values.limitAggregates(to - from);
    }

    ModuleFacts read(String path, int module, String producer) throws BitcodeException {
        try {
            int code = blocks.next();
            if (code != BlockReader.SUB_BLOCK || blocks.subBlock() != MODULE) throw blocks.error("expected a module block", blocks.cursor().position());
            blocks.enter();
            while ((code = blocks.next()) != BlockReader.END) {
                if (code == BlockReader.SUB_BLOCK) subBlock();
                else moduleRecord(code);
            }
            readBodies();
            return facts(path, module, producer);
        } catch (BitcodeException e) {
            throw blocks.located(e);
        }
    }

    private void subBlock() throws BitcodeException {
        int id = blocks.subBlock();
        if (id == FUNCTION_BLOCK) {
            if (nextBody >= bodies.size()) throw blocks.error("more function bodies than defined functions", blocks.cursor().position());
            pending.add(new PendingBody(bodies.get(nextBody++), blocks.forkPoint()));
            blocks.skipBlock();
            return;
        }
        if (id == TYPES || id == CONSTANTS || id == METADATA_KIND || id == METADATA || id == OPERAND_BUNDLE_TAGS) {
            readBodies();   // the bodies so far see the tables as they are now
            blocks.enter();
        }
        switch (id) {
            case TYPES -> types.read(blocks, r);
            case CONSTANTS -> values.readConstants(blocks, r, types);
            case METADATA_KIND -> metadata.readKinds(blocks, r);
            case METADATA -> metadata.read(blocks, r);
            case OPERAND_BUNDLE_TAGS -> bundleTags();
            default -> blocks.skipBlock();   // attributes, symbol tables, use lists, sync scopes
        }
    }

    private void moduleRecord(int code) throws BitcodeException {
        switch (code) {
            case VERSION -> {
                blocks.read(r, code);
                long version = r.op(0);
                if (version != 2) throw new UnsupportedBitcodeException("module version " + version + " (names outside the string table; LLVM before 5)", r.position, "");
                strtabNames = true;
            }
            case TRIPLE -> {
                blocks.read(r, code);
                triple = r.chars(0);
            }
            case FUNCTION -> {
                readBodies();
                blocks.read(r, code, 6);
                function();
            }
            case GLOBALVAR -> {
                readBodies();
                blocks.read(r, code, 6);
                global();
            }
            case ALIAS, ALIAS_OLD, IFUNC -> {
                readBodies();
                blocks.skip();
                values.add(ValueTable.OTHER, 0);
            }
            default -> blocks.skip();
        }
    }

    /** MODULE_CODE_FUNCTION: {@code [strtab offset, size, type, cc, isproto, linkage, ...]}. */
    private void function() throws BitcodeException {
        if (!strtabNames) throw new UnsupportedBitcodeException("function record before the module version", r.position, "");
        long offset = r.op(0), length = r.op(1);
        if (offset + length > strtabLength || offset < 0 || length < 0) throw blocks.error("function name outside the string table", r.position);
        long type = r.op(2);
        if (!types.isFunction(type)) throw blocks.error("function record with type " + type + ", not a function type", r.position);
        boolean definition = r.op(4) == 0;
        int index = names.size();
        names.add(new String(file, strtabOffset + (int) offset, (int) length, StandardCharsets.UTF_8));
        definitions.add(definition);
        linkages.add(linkage(r.op(5)));
        functionTypes.add((int) type);
        typeIds.add(List.of());
        kcfiTypes.add(OptionalInt.empty());
        sources.add(SourceLocation.NONE);
        if (definition) bodies.add(index);
        values.add(ValueTable.FUNCTION, index);
    }

    /** MODULE_CODE_GLOBALVAR: {@code [strtab offset, size, type, flags, initializer id + 1 or 0, linkage, ...]}. */
    private void global() throws BitcodeException {
        if (!strtabNames) throw new UnsupportedBitcodeException("global variable record before the module version", r.position, "");
        long init = r.size > 4 ? r.op(4) : 0;
        if (init > 0) {
            long offset = r.op(0), length = r.op(1);
            if (offset + length > strtabLength || offset < 0 || length < 0) throw blocks.error("global variable name outside the string table", r.position);
            if (3 * globalCount == globals.length) globals = java.util.Arrays.copyOf(globals, 2 * globals.length);
            globals[3 * globalCount] = offset << 32 | length;
            globals[3 * globalCount + 1] = init - 1;
            globals[3 * globalCount + 2] = values.size();
            globalCount++;
        }
        values.add(ValueTable.OTHER, 0);
    }

    /** Bitcode linkage codes (including the obsolete ones LLVM still reads) in the C API's terms. */
    private static FunctionFacts.Linkage linkage(long code) {
        return switch ((int) Math.min(code, 99)) {
            case 2 -> FunctionFacts.Linkage.APPENDING;
            case 3 -> FunctionFacts.Linkage.INTERNAL;
            case 7 -> FunctionFacts.Linkage.EXTERNAL_WEAK;
            case 8 -> FunctionFacts.Linkage.COMMON;
            case 9, 13, 14 -> FunctionFacts.Linkage.PRIVATE;
            case 12 -> FunctionFacts.Linkage.AVAILABLE_EXTERNALLY;
            case 1, 16 -> FunctionFacts.Linkage.WEAK_ANY;
            case 10, 17 -> FunctionFacts.Linkage.WEAK_ODR;
            case 4, 18 -> FunctionFacts.Linkage.LINK_ONCE_ANY;
            case 11, 19 -> FunctionFacts.Linkage.LINK_ONCE_ODR;
            default -> FunctionFacts.Linkage.EXTERNAL;
        };
    }

    private void bundleTags() throws BitcodeException {
        List<String> tags = new ArrayList<>();
        for (int code; (code = blocks.nextRecord()) != BlockReader.END; ) {
            if (code == 1) {
                blocks.read(r, code);
                tags.add(r.chars(0));
            } else {
                blocks.skip();
            }
        }
        bundleTags = tags.toArray(String[]::new);
    }

    // ---- function bodies -------------------------------------------------------------------

    /**
     * Reads the pending bodies and adds their facts in block order (the module's function order).
     * Each body has its own cursor, values and metadata, so they can be read on several threads;
     * the first failure in block order is the one reported, whichever thread met it.
     */
    private void readBodies() throws BitcodeException {
        if (pending.isEmpty()) return;
        FunctionReader.Module module = new FunctionReader.Module(types, values, metadata, bundleTags, names,
                FunctionReader.Callees.of(names), flags().kcfi());
        Object[] results = new Object[pending.size()];
        // The first bodies on this thread alone (BitcodeReader.READ_ALONE_FIRST); then this thread and
        // the common pool's take the rest a few at a time, so that none waits long for another's last
        // body (bodies differ in size a hundredfold: fixed shares left one thread idle for a tenth of the run).
        int alone = Math.min(pending.size(), aloneFirst);
        readTaking(module, results, new AtomicInteger(), alone, alone);
        if (alone < pending.size()) {
            AtomicInteger next = new AtomicInteger(alone);
            ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[ForkJoinPool.getCommonPoolParallelism()];
            for (int k = 0; k < helpers.length; k++) helpers[k] = ForkJoinPool.commonPool().submit(() -> readTaking(module, results, next, pending.size(), BODIES_PER_TAKE));
            readTaking(module, results, next, pending.size(), BODIES_PER_TAKE);
            for (ForkJoinTask<?> helper : helpers) helper.join();
        }
        pending.clear();
        for (Object result : results) {
            if (result instanceof BitcodeException e) throw e;
            if (result instanceof RuntimeException e) throw e;
            FunctionReader.Body body = (FunctionReader.Body) result;
            typeIds.set(body.function(), body.typeIds());
            sources.set(body.function(), body.source());
            kcfiTypes.set(body.function(), body.kcfiType());
            typeTests.addAll(body.typeTests());
            kcfiCalls.addAll(body.kcfiCalls());
            callbacks.addAll(body.callbacks());
            storedByCode.addAll(body.stored());
            debugTypes.addAll(body.debugTypes().found());
            debugDeferred.addAll(body.debugTypes().deferred());
        }
    }

    /** Bodies a reading thread takes at a time once they are shared out. */
    private static final int BODIES_PER_TAKE = 8;

    /**
     * Reads bodies of {@link #pending} below {@code last}, {@code take} at a time from {@code next},
     * until none are left; each body's facts or failure goes into {@code results}. One function
     * reader and one block reader serve them all: what a body costs beyond its own facts must not
     * grow with the number of bodies.
     */
    private void readTaking(FunctionReader.Module module, Object[] results, AtomicInteger next, int last, int take) {
        FunctionReader reader = new FunctionReader(module);
        BlockReader body = null;
        for (int from; (from = next.getAndAdd(take)) < last; ) {
            for (int i = from, to = Math.min(from + take, last); i < to; i++) {
                PendingBody p = pending.get(i);
                try {
                    body = blocks.fork(p.at(), body);
                    results[i] = reader.read(p.function(), functionTypes.get(p.function()), body);
                } catch (BitcodeException | RuntimeException e) {
                    results[i] = e;
                }
            }
        }
    }

    // ---- facts -------------------------------------------------------------------------------

    private ModuleFacts facts(String path, int module, String producer) throws BitcodeException {
        if (nextBody != bodies.size()) {
            throw blocks.error((bodies.size() - nextBody) + " defined functions have no body", blocks.cursor().position());
        }
        // Declarations' attachments are module metadata; like libLLVM, attachments add up.
        Map<Integer, long[]> declared = new HashMap<>();
        for (long[] a : metadata.declarationAttachments) {
            if (a.length > 0 && values.kind(a[0]) == ValueTable.FUNCTION) declared.merge(values.data(a[0]), java.util.Arrays.copyOfRange(a, 1, a.length),
                    (x, y) -> FunctionReader.append(x, y, 0, y.length));
        }
        DebugInfoSource debugInfo = new DebugInfoSource(metadata, values);
        declared.forEach((fn, pairs) -> {
            long dbg = FunctionReader.debugAttachment(pairs);
            if (dbg >= 0) sources.set(fn, debugInfo.subprogram(dbg));
            List<RawAttachment> ids = new ArrayList<>(typeIds.get(fn));
            kcfiTypes.set(fn, FunctionReader.resolveAttachments(pairs, fn, metadata, values, metadata.size(), ids, kcfiTypes.get(fn)));
            typeIds.set(fn, ids);
        });
        // One call per function and per test, not one long loop: this runs once per module, and C1
        // compiles a method after a few hundred calls but a loop only after tens of thousands of turns.
        Map<Long, Integer> distinct = new HashMap<>();
        List<FunctionFacts> functions = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) functions.add(function(i, distinct));
        List<TypeTest> tests = new ArrayList<>(typeTests.size());
        for (RawTypeTest t : typeTests) tests.add(typeTest(t, distinct));
        ModuleFlags flags = flags();
        return new ModuleFacts(path, module, producer, triple, flags, functions, tests, flags.kcfi() ? kcfiCalls : List.of(), callbacks, stored(),
                flags.kcfi() ? debugTypes() : List.of(), false);
    }

    /** The bodies' finds and what the module's metadata spells from the nodes they reached, declarations and global variables. */
    private List<DebugType.Function> debugTypes() {
        DebugTypeWalk walk = new DebugTypeWalk(new DebugInfoSource(metadata, values));
        for (long node : debugDeferred) walk.from(node);
        for (long[] a : metadata.declarationAttachments) {
            long dbg = FunctionReader.debugAttachment(java.util.Arrays.copyOfRange(a, 1, a.length));
            if (dbg >= 0) walk.from(dbg);
        }
        debugTypes.addAll(walk.found());
        return debugTypes.isEmpty() ? List.of() : DebugTypeWalk.sorted(debugTypes);
    }

    /** The functions each global's initializer holds, looking through structs, arrays and vectors (not through other globals). */
    private List<StoredFunction> stored() {
        List<StoredFunction> stored = new ArrayList<>();
        // which global's walk last met each value (its index + 1): shared sub-aggregates are walked
        // once per global without a set of boxed ids (a third of the facts' time on SQLite)
        int[] seen = new int[values.size()];
        for (int i = 0; i < globalCount; i++) {
            long initializer = globals[3 * i + 1];
            byte kind = values.kind(initializer);
            if (kind != ValueTable.FUNCTION && kind != ValueTable.AGGREGATE) continue;   // a string or a number
            long name = globals[3 * i];
            String global = new String(file, strtabOffset + (int) (name >>> 32), (int) name, StandardCharsets.UTF_8);
            if (StoredFunction.isToolchainGlobal(global)) continue;
            java.util.LinkedHashSet<String> held = new java.util.LinkedHashSet<>();
            heldFunctions(initializer, held, seen, i + 1, 0);
            if (held.isEmpty()) continue;
            SourceLocation place = globalPlace((int) globals[3 * i + 2]);
            for (String f : held) stored.add(new StoredFunction(StoredFunction.Kind.INITIALIZER, global, f, place));
        }
        stored.addAll(storedByCode);
        return stored;
    }

    /** Each global value's first {@code !dbg} (as libLLVM's {@code getDebugInfo} orders them), made when a table needs one. */
    private Map<Integer, Long> globalDebug;

    /** Where global value {@code value} is defined. */
    private SourceLocation globalPlace(int value) {
        if (globalDebug == null) {
            globalDebug = new HashMap<>();
            for (long[] a : metadata.declarationAttachments) {
                if (a.length == 0 || a[0] > Integer.MAX_VALUE || globalDebug.containsKey((int) a[0])) continue;
                for (int i = 1; i + 1 < a.length; i += 2) {
                    if (a[i] == FunctionReader.DBG_KIND) {
                        globalDebug.put((int) a[0], a[i + 1]);
                        break;
                    }
                }
            }
        }
        Long dbg = globalDebug.get(value);
        return dbg == null ? SourceLocation.NONE : new DebugInfoSource(metadata, values).globalVariable(dbg);
    }

    private void heldFunctions(long value, java.util.Set<String> held, int[] seen, int walk, int depth) {
        byte kind = values.kind(value);
        if (kind == ValueTable.FUNCTION) {
            String name = names.get(values.data(value));
            if (!FunctionFacts.isIntrinsic(name)) held.add(name);
            return;
        }
        // (an aggregate's id is a module value, so within seen's bounds)
        if (kind != ValueTable.AGGREGATE || depth >= StoredFunction.MAX_NESTING || seen[(int) value] == walk) return;
        seen[(int) value] = walk;
        for (int element : values.elements(value)) heldFunctions(element, held, seen, walk, depth + 1);
    }

    private FunctionFacts function(int i, Map<Long, Integer> distinct) {
        List<RawAttachment> raw = typeIds.get(i);
        List<TypeAttachment> ids = new ArrayList<>(raw.size());
        for (RawAttachment a : raw) ids.add(new TypeAttachment(a.offset(), number(a.id(), distinct)));
        OptionalInt kcfi = kcfiTypes.get(i);
        return new FunctionFacts(names.get(i), definitions.get(i), linkages.get(i), ids, kcfi, kcfi.isPresent() ? types.signature(functionTypes.get(i)) : "",
                sources.get(i));
    }

    private TypeTest typeTest(RawTypeTest t, Map<Long, Integer> distinct) {
        return new TypeTest(names.get(t.function()), number(t.id(), distinct), t.kind(), t.source());
    }

    /** Distinct nodes are numbered by first appearance: attachments in function order, then type tests. */
    private static TypeIdRef number(RawId id, Map<Long, Integer> distinct) {
        if (id.name() != null) return TypeIdRef.named(id.name());
        if (id.crossDso()) return new TypeIdRef.CrossDso(id.node());
        return new TypeIdRef.Distinct(distinct.computeIfAbsent(id.node(), k -> distinct.size()));
    }

    /** {@code !llvm.module.flags}: nodes {@code !{behavior, !"key", value}}; a later key wins. */
    private ModuleFlags flags() {
        Map<String, Long> byKey = new HashMap<>();
        for (int node : metadata.moduleFlags) {
            if (metadata.kind(node) != MetadataTable.NODE || metadata.operandCount(node) != 3) continue;
            String key = metadata.string(metadata.operand(node, 1));
            if (key != null) byKey.put(key, metadata.operand(node, 2));
        }
        return new ModuleFlags(flagInt(byKey, "kcfi").orElse(0) != 0, flagString(byKey, "kcfi-hash"), flagInt(byKey, "kcfi-offset"),
                flagInt(byKey, "kcfi-arity"), flagInt(byKey, "cfi-normalize-integers").orElse(0) != 0,
                flagInt(byKey, "Cross-DSO CFI").orElse(0) != 0, flagInt(byKey, "CFI Canonical Jump Tables").orElse(0) != 0);
    }

    private OptionalInt flagInt(Map<String, Long> flags, String key) {
        Long md = flags.get(key);
        return md == null ? OptionalInt.empty() : FunctionReader.integer(metadata, values, md);
    }

    private Optional<String> flagString(Map<String, Long> flags, String key) {
        Long md = flags.get(key);
        return md == null ? Optional.empty() : Optional.ofNullable(metadata.string(md));
    }
}
