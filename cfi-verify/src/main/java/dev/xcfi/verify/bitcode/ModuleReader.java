package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.facts.CallbackArgument;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.ModuleFlags;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads one MODULE_BLOCK into {@link ModuleFacts}, equal to what {@code LlvmReader} extracts
 * through libLLVM. Function bodies are read record by record, only to keep value numbering exact
 * (which records produce a value) and to decode calls, invokes, callbrs and their operand bundles.
 */
final class ModuleReader {
    // Block ids
    private static final int MODULE = 8, CONSTANTS = 11, FUNCTION_BLOCK = 12, METADATA = 15, METADATA_ATTACHMENT = 16,
            TYPES = 17, OPERAND_BUNDLE_TAGS = 21, METADATA_KIND = 22;
    // MODULE_BLOCK records
    private static final int VERSION = 1, TRIPLE = 2, GLOBALVAR = 7, FUNCTION = 8, ALIAS_OLD = 9, ALIAS = 14, IFUNC = 18;
    // CONSTANTS_BLOCK records
    private static final int SETTYPE = 1, NULL = 2, INTEGER = 4, WIDE_INTEGER = 5;
    // FUNCTION_BLOCK records
    private static final int INVOKE = 13, CALL = 34, OPERAND_BUNDLE = 55, CALLBR = 57, ATTACHMENT = 11;
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

    private final byte[] file;
    private final int strtabOffset, strtabLength;
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
    /** Raw {@code [kind, md]...} attachments, until resolved (at the end of the body, or of the module for declarations). */
    private final List<long[]> attachments = new ArrayList<>();
    private final List<List<RawAttachment>> typeIds = new ArrayList<>();
    private final List<OptionalInt> kcfiTypes = new ArrayList<>();
    private final List<Integer> bodies = new ArrayList<>();
    private int nextBody;

    /**
     * A type id before distinct nodes are numbered: an id string, or a node key unique in the
     * module (function-local metadata ids are reused from one function to the next).
     */
    private record RawId(String name, long node) {}

    private record RawAttachment(long offset, RawId id) {}

    private record RawTypeTest(int function, RawId id, TypeTest.Kind kind) {}

    private final List<RawTypeTest> typeTests = new ArrayList<>();
    private final List<KcfiCall> kcfiCalls = new ArrayList<>();
    private final List<CallbackArgument> callbacks = new ArrayList<>();

    // Per call: argument value ids and metadata ids (-1 when not that kind), and pending bundles
    private long[] argValues = new long[16], argMetadata = new long[16];
    private final List<long[]> bundles = new ArrayList<>();

    ModuleReader(byte[] file, int from, int to, int strtabOffset, int strtabLength) {
        this.file = file;
        this.strtabOffset = strtabOffset;
        this.strtabLength = strtabLength;
        this.blocks = new BlockReader(new BitstreamCursor(file, from, to));
        this.metadata = new MetadataTable(file);
    }

    ModuleFacts read(String path, int module, String producer) throws BitcodeException {
        int code = blocks.next();
        if (code != BlockReader.SUB_BLOCK || blocks.subBlock() != MODULE) throw blocks.error("expected a module block", blocks.cursor().position());
        blocks.enter();
        while ((code = blocks.next()) != BlockReader.END) {
            if (code == BlockReader.SUB_BLOCK) subBlock();
            else moduleRecord(code);
        }
        return facts(path, module, producer);
    }

    private void subBlock() throws BitcodeException {
        switch (blocks.subBlock()) {
            case TYPES -> {
                blocks.enter();
                types.read(blocks, r);
            }
            case CONSTANTS -> {
                blocks.enter();
                constants();
            }
            case METADATA_KIND -> {
                blocks.enter();
                metadata.readKinds(blocks, r);
            }
            case METADATA -> {
                blocks.enter();
                metadata.read(blocks, r);
            }
            case OPERAND_BUNDLE_TAGS -> {
                blocks.enter();
                bundleTags();
            }
            case FUNCTION_BLOCK -> {
                blocks.enter();
                functionBody();
            }
            default -> blocks.skipBlock();   // attributes, symbol tables, use lists, sync scopes
        }
    }

    private void moduleRecord(int code) throws BitcodeException {
        switch (code) {
            case VERSION -> {
                blocks.read(r, code);
                long version = r.op(0);
                if (version != 2) throw new UnsupportedBitcodeException("module version " + version + " (names outside the string table; LLVM before 5)", r.position, "MODULE_BLOCK");
                strtabNames = true;
            }
            case TRIPLE -> {
                blocks.read(r, code);
                triple = r.chars(0);
            }
            case FUNCTION -> {
                blocks.read(r, code);
                function();
            }
            case GLOBALVAR, ALIAS, ALIAS_OLD, IFUNC -> {
                blocks.skip();
                values.add(ValueTable.OTHER, 0);
            }
            default -> blocks.skip();
        }
    }

    /** MODULE_CODE_FUNCTION: {@code [strtab offset, size, type, cc, isproto, linkage, ...]}. */
    private void function() throws BitcodeException {
        if (!strtabNames) throw new UnsupportedBitcodeException("function record before the module version", r.position, "MODULE_BLOCK");
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
        attachments.add(null);
        typeIds.add(List.of());
        kcfiTypes.add(OptionalInt.empty());
        if (definition) bodies.add(index);
        values.add(ValueTable.FUNCTION, index);
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

    /** A CONSTANTS_BLOCK: each record but SETTYPE defines one value; integers are kept. */
    private void constants() throws BitcodeException {
        byte current = TypeTable.INTEGER;   // LLVM starts a constants block at i32
        for (int code; (code = blocks.next()) != BlockReader.END; ) {
            switch (code) {
                case BlockReader.SUB_BLOCK -> blocks.skipBlock();
                case SETTYPE -> {
                    blocks.read(r, code);
                    current = types.kind(r.op(0));
                }
                case INTEGER, WIDE_INTEGER -> {   // a wide integer's low word carries what the facts keep (32 bits)
                    blocks.read(r, code);
                    if (current == TypeTable.INTEGER) values.addInteger(signed(r.op(0)));
                    else values.add(ValueTable.OTHER, 0);
                }
                case NULL -> {
                    blocks.skip();
                    if (current == TypeTable.INTEGER) values.addInteger(0);
                    else values.add(ValueTable.OTHER, 0);
                }
                default -> {
                    blocks.skip();
                    values.add(ValueTable.OTHER, 0);
                }
            }
        }
    }

    /** LLVM's sign-rotated VBR: the sign in bit 0. */
    private static long signed(long v) {
        if ((v & 1) == 0) return v >>> 1;
        return v != 1 ? -(v >>> 1) : Long.MIN_VALUE;
    }

    private void bundleTags() throws BitcodeException {
        List<String> tags = new ArrayList<>();
        for (int code; (code = blocks.next()) != BlockReader.END; ) {
            if (code == BlockReader.SUB_BLOCK) {
                blocks.skipBlock();
            } else if (code == 1) {
                blocks.read(r, code);
                tags.add(r.chars(0));
            } else {
                blocks.skip();
            }
        }
        bundleTags = tags.toArray(String[]::new);
    }

    // ---- function bodies -------------------------------------------------------------------

    private void functionBody() throws BitcodeException {
        if (nextBody >= bodies.size()) throw blocks.error("more function bodies than defined functions", blocks.cursor().position());
        int fn = bodies.get(nextBody++);
        int fnType = functionTypes.get(fn);
        int moduleValues = values.size(), moduleIntegers = values.integerCount();
        int moduleMetadata = metadata.size(), moduleStrings = metadata.stringCount(), modulePool = metadata.poolSize();
        for (int i = 0, n = types.parameterCount(fnType); i < n; i++) values.add(ValueTable.ARGUMENT, i);
        bundles.clear();
        for (int code; (code = blocks.next()) != BlockReader.END; ) {
            if (code == BlockReader.SUB_BLOCK) {
                switch (blocks.subBlock()) {
                    case CONSTANTS -> {
                        blocks.enter();
                        constants();
                    }
                    case METADATA_ATTACHMENT -> {
                        blocks.enter();
                        functionAttachments(fn);
                    }
                    case METADATA -> {
                        blocks.enter();
                        metadata.read(blocks, r);
                    }
                    default -> blocks.skipBlock();   // function-local metadata, value names, use lists
                }
            } else if (code == CALL || code == INVOKE || code == CALLBR) {
                blocks.read(r, code);
                call(fn);
            } else if (code == OPERAND_BUNDLE) {
                blocks.read(r, code);
                bundle();
            } else if (code < PRODUCES_VALUE.length && PRODUCES_VALUE[code]) {
                blocks.skip();
                values.add(ValueTable.OTHER, 0);
            } else if (code < NO_VALUE.length && NO_VALUE[code]) {
                blocks.skip();
            } else {
                throw new UnsupportedBitcodeException("unknown instruction record " + code, blocks.cursor().position(), "MODULE_BLOCK/FUNCTION_BLOCK");
            }
        }
        resolveAttachments(fn, moduleMetadata);
        values.truncate(moduleValues, moduleIntegers);
        metadata.truncate(moduleMetadata, moduleStrings, modulePool);
    }

    /** Function attachments are the even-length records: {@code [kind, md]...}; odd ones belong to instructions. */
    private void functionAttachments(int fn) throws BitcodeException {
        for (int code; (code = blocks.next()) != BlockReader.END; ) {
            if (code == BlockReader.SUB_BLOCK) {
                blocks.skipBlock();
            } else if (code == ATTACHMENT && blocks.operandCount() % 2 == 1) {
                blocks.skip();   // an instruction's attachments: [instruction, kind, md...]
            } else if (code == ATTACHMENT) {
                blocks.read(r, code);
                if (r.size % 2 == 0) attach(fn, r.ops, 0, r.size);
            } else {
                blocks.skip();
            }
        }
    }

    /** Appends {@code [kind, md]...} pairs: like libLLVM, a second attachment record adds to the first. */
    private void attach(int fn, long[] pairs, int from, int to) {
        long[] old = attachments.get(fn);
        int n = old == null ? 0 : old.length;
        long[] all = old == null ? new long[to - from] : Arrays.copyOf(old, n + to - from);
        System.arraycopy(pairs, from, all, n, to - from);
        attachments.set(fn, all);
    }

    /** OPERAND_BUNDLE {@code [tag, operands...]}: kept for the call that follows. */
    private void bundle() throws BitcodeException {
        long tag = r.op(0);
        if (tag >= bundleTags.length) throw blocks.error("operand bundle tag " + tag + " is not defined", r.position);
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
    private void call(int fn) throws BitcodeException {
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
        if (!explicitType) throw new UnsupportedBitcodeException("call without an explicit function type (typed pointers)", r.position, "MODULE_BLOCK/FUNCTION_BLOCK");
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
        facts(fn, callee, args);
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
    private void facts(int fn, long callee, int args) {
        if (values.kind(callee) != ValueTable.FUNCTION) {
            for (long[] b : bundles) {
                if (!"kcfi".equals(bundleTags[(int) b[0]]) || values.kind(b[1]) != ValueTable.INTEGER) continue;
                int parameter = values.kind(callee) == ValueTable.ARGUMENT ? values.data(callee) : -1;
                kcfiCalls.add(new KcfiCall(names.get(fn), (int) values.integer(b[1]), parameter));
            }
            return;
        }
        int target = values.data(callee);
        String name = names.get(target);
        TypeTest.Kind test = switch (name) {
            case "llvm.type.test" -> TypeTest.Kind.TYPE_TEST;
            case "llvm.public.type.test" -> TypeTest.Kind.PUBLIC_TYPE_TEST;
            case "llvm.type.checked.load" -> TypeTest.Kind.CHECKED_LOAD;
            default -> null;
        };
        if (test != null) {
            int idOperand = test == TypeTest.Kind.CHECKED_LOAD ? 2 : 1;
            RawId id = args > idOperand && argMetadata[idOperand] >= 0 ? rawId(argMetadata[idOperand], fn, metadata.size(), true) : null;
            if (id != null) typeTests.add(new RawTypeTest(fn, id, test));
            return;
        }
        if (name.startsWith("llvm.")) return;
        for (int i = 0; i < args; i++) {
            if (values.kind(argValues[i]) != ValueTable.FUNCTION) continue;
            int passed = values.data(argValues[i]);
            if (passed == target || names.get(passed).startsWith("llvm.")) continue;
            callbacks.add(new CallbackArgument(names.get(fn), name, i, args, names.get(passed)));
        }
    }

    // ---- facts -------------------------------------------------------------------------------

    private ModuleFacts facts(String path, int module, String producer) throws BitcodeException {
        if (nextBody != bodies.size()) {
            throw blocks.error((bodies.size() - nextBody) + " defined functions have no body", blocks.cursor().position());
        }
        for (long[] a : metadata.declarationAttachments) {
            if (a.length == 0 || values.kind(a[0]) != ValueTable.FUNCTION) continue;
            attach(values.data(a[0]), a, 1, a.length);
        }
        for (int fn = 0; fn < names.size(); fn++) {
            resolveAttachments(fn, metadata.size());
        }
        Map<Long, Integer> distinct = new HashMap<>();
        List<FunctionFacts> functions = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            List<TypeAttachment> ids = new ArrayList<>(typeIds.get(i).size());
            for (RawAttachment a : typeIds.get(i)) ids.add(new TypeAttachment(a.offset(), number(a.id(), distinct)));
            functions.add(new FunctionFacts(names.get(i), definitions.get(i), linkages.get(i), ids, kcfiTypes.get(i)));
        }
        List<TypeTest> tests = new ArrayList<>(typeTests.size());
        for (RawTypeTest t : typeTests) tests.add(new TypeTest(names.get(t.function()), number(t.id(), distinct), t.kind()));
        ModuleFlags flags = flags();
        return new ModuleFacts(path, module, producer, triple, flags, functions, tests, flags.kcfi() ? kcfiCalls : List.of(), callbacks);
    }

    /** Distinct nodes are numbered by first appearance: attachments in function order, then type tests. */
    private static TypeIdRef number(RawId id, Map<Long, Integer> distinct) {
        return id.name() != null ? TypeIdRef.named(id.name()) : new TypeIdRef.Distinct(distinct.computeIfAbsent(id.node(), k -> distinct.size()));
    }

    /** {@code !type !{i64 offset, id}} and {@code !kcfi_type !{i32 hash}}, read while the function's own metadata is loaded. */
    private void resolveAttachments(int fn, int moduleMetadata) {
        long[] a = attachments.get(fn);
        if (a == null) return;
        List<RawAttachment> ids = new ArrayList<>(typeIds.get(fn));
        OptionalInt kcfi = kcfiTypes.get(fn);
        for (int i = 0; i + 1 < a.length; i += 2) {
            long kind = a[i], node = a[i + 1];
            if (metadata.kind(node) != MetadataTable.NODE || (kind != metadata.typeKind && kind != metadata.kcfiTypeKind)) continue;
            int n = metadata.operandCount(node);
            if (kind == metadata.typeKind && n == 2) {
                OptionalInt offset = integer(metadata.operand(node, 0));
                RawId id = rawId(metadata.operand(node, 1), fn, moduleMetadata, false);
                if (offset.isPresent() && id != null) ids.add(new RawAttachment(offset.getAsInt(), id));
            } else if (kind == metadata.kcfiTypeKind && n == 1) {
                OptionalInt hash = integer(metadata.operand(node, 0));
                if (hash.isPresent()) kcfi = hash;
            }
        }
        typeIds.set(fn, ids);
        kcfiTypes.set(fn, kcfi);
        attachments.set(fn, null);
    }

    /**
     * An id string, or a node; null for anything else. A wrapped value (cross-DSO's numeric id)
     * counts as a node only as a call argument: there libLLVM's {@code LLVMIsAMDNode} sees it
     * through {@code MetadataAsValue}, as a node operand the C API hands out the bare constant.
     */
    private RawId rawId(long md, int fn, int moduleMetadata, boolean argument) {
        byte kind = metadata.kind(md);
        if (kind == MetadataTable.STRING) return new RawId(metadata.string(md), 0);
        if (kind == MetadataTable.NODE || kind == MetadataTable.DEBUG || kind == MetadataTable.VALUE && argument) return new RawId(null, md < moduleMetadata ? md : (fn + 1L) << 32 | md);
        return null;
    }

    /** A metadata operand that wraps an integer constant, as {@code LLVMConstIntGetSExtValue} truncated to int. */
    private OptionalInt integer(long md) {
        if (metadata.kind(md) != MetadataTable.VALUE) return OptionalInt.empty();
        int value = metadata.value(md);
        if (value >= values.size() || values.kind(value) != ValueTable.INTEGER) return OptionalInt.empty();
        return OptionalInt.of((int) values.integer(value));
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
        return md == null ? OptionalInt.empty() : integer(md);
    }

    private Optional<String> flagString(Map<String, Long> flags, String key) {
        Long md = flags.get(key);
        return md == null ? Optional.empty() : Optional.ofNullable(metadata.string(md));
    }
}
