package dev.xcfi.verify.llvm;

import dev.xcfi.verify.bitcode.BitcodeException;
import dev.xcfi.verify.bitcode.BitcodeFile;
import dev.xcfi.verify.facts.CallbackArgument;
import dev.xcfi.verify.facts.DebugType;
import dev.xcfi.verify.facts.DebugTypeWalk;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.ModuleFlags;
import dev.xcfi.verify.facts.Signature;
import dev.xcfi.verify.facts.SourceLocation;
import dev.xcfi.verify.facts.StoredFunction;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.lang.foreign.MemorySegment.NULL;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads one single-module bitcode (or {@code .ll}) image with libLLVM into {@link ModuleFacts}.
 * Every parse gets its own context with a diagnostic handler installed, because libLLVM's default
 * handler calls {@code exit(1)}. Run it in-process only on trusted files: a corrupt file can still
 * crash libLLVM itself.
 */
public final class LlvmReader {
    private final LibLlvm llvm;
    private final int typeTest, publicTypeTest, checkedLoad;

    private LlvmReader(LibLlvm llvm) {
        this.llvm = llvm;
        typeTest = intrinsic("llvm.type.test");
        publicTypeTest = intrinsic("llvm.public.type.test");
        checkedLoad = intrinsic("llvm.type.checked.load");
    }

    public static LlvmReader open(Path libllvm) {
        return new LlvmReader(LibLlvm.open(libllvm));
    }

    /**
     * Opens the first candidate that loads and is at least LLVM {@code minimumMajor} (bitcode is
     * only readable by its own LLVM version or a newer one); the error lists every refusal.
     */
    public static LlvmReader openFirst(List<Path> candidates, int minimumMajor) {
        List<String> refused = new ArrayList<>();
        for (Path candidate : candidates) {
            try {
                LibLlvm llvm = LibLlvm.open(candidate);
                int major = Integer.parseInt(llvm.version.substring(0, llvm.version.indexOf('.')));
                if (major >= minimumMajor) return new LlvmReader(llvm);
                refused.add(candidate + ": LLVM " + llvm.version + " is older than " + minimumMajor);
            } catch (IllegalArgumentException e) {
                refused.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException("no usable libLLVM (need LLVM " + minimumMajor + " or newer)"
                + (refused.isEmpty() ? "; none found" : ":\n  " + String.join("\n  ", refused))
                + "\ninstall Debian's libllvm" + minimumMajor + " or pass --libllvm PATH");
    }

    /** The version libLLVM reports, such as {@code 22.1.8}. */
    public String version() {
        return llvm.version;
    }

    public Path library() {
        return llvm.path;
    }

    private int intrinsic(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) llvm.lookupIntrinsicId.invokeExact(arena.allocateFrom(name), (long) name.length());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Reads every module of a bitcode file (split first: libLLVM refuses multi-module files), or
     * a textual {@code .ll} file as one module.
     */
    public List<ModuleFacts> readFile(String path, byte[] file) throws BitcodeException {
        if (!BitcodeFile.isBitcode(file)) return List.of(parse(path, 0, "", file, true, true));
        List<ModuleFacts> out = new ArrayList<>();
        for (BitcodeFile.Module m : BitcodeFile.modules(file)) out.add(parse(path, m.index(), m.producer(), m.image(), false, true));
        return out;
    }

    /**
     * Parses {@code image} and disposes the module without walking it: the baseline the
     * extraction's cost is measured against (benchmarks).
     */
    public void parseOnly(String path, byte[] image) throws BitcodeException {
        parse(path, 0, "", image, false, false);
    }

    /** Parses {@code image}, a single module, and extracts its facts. */
    public ModuleFacts read(String path, int module, String producer, byte[] image) throws BitcodeException {
        return parse(path, module, producer, image, false, true);
    }

    private ModuleFacts parse(String path, int module, String producer, byte[] image, boolean text, boolean walk) throws BitcodeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = (MemorySegment) llvm.contextCreate.invokeExact();
            try {
                StringBuilder diagnostics = new StringBuilder();
                llvm.contextSetDiagnosticHandler.invokeExact(context, llvm.diagnosticHandler(diagnostics, arena), NULL);
                MemorySegment bytes = arena.allocate(image.length == 0 ? 1 : image.length);
                MemorySegment.copy(image, 0, bytes, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, image.length);
                MemorySegment buffer = (MemorySegment) llvm.createMemoryBufferWithMemoryRangeCopy.invokeExact(bytes, (long) image.length, arena.allocateFrom(path));
                MemorySegment moduleOut = arena.allocate(ADDRESS);
                int failed;
                if (text) {   // LLVMParseIRInContext takes the buffer and reports through its out-message
                    MemorySegment message = arena.allocate(ADDRESS);
                    failed = (int) llvm.parseIrInContext.invokeExact(context, buffer, moduleOut, message);
                    MemorySegment chars = message.get(ADDRESS, 0);
                    if (!chars.equals(NULL)) {
                        String reported = chars.reinterpret(Long.MAX_VALUE).getString(0);
                        int eol = reported.indexOf('\n');   // the rest is a source excerpt with a caret
                        diagnostics.append(eol < 0 ? reported : reported.substring(0, eol));
                        llvm.disposeMessage.invokeExact(chars);
                    }
                } else {
                    try {
                        failed = (int) llvm.parseBitcodeInContext2.invokeExact(context, buffer, moduleOut);
                    } finally {
                        llvm.disposeMemoryBuffer.invokeExact(buffer);
                    }
                }
                if (failed != 0) throw new BitcodeException(diagnostics.isEmpty() ? "libLLVM could not read the module" : diagnostics.toString());
                MemorySegment mod = moduleOut.get(ADDRESS, 0);
                try {
                    return walk ? new ModuleWalk(context, arena).facts(path, module, producer, mod) : null;
                } finally {
                    llvm.disposeModule.invokeExact(mod);
                }
            } finally {
                llvm.contextDispose.invokeExact(context);
            }
        } catch (BitcodeException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** One module's walk; the context-scoped ids and distinct-node numbering live here. */
    private final class ModuleWalk {
        private final MemorySegment context;
        private final Arena arena;
        private final MemorySegment length;
        private final int typeKind, kcfiTypeKind;
        private final Map<Long, Integer> distinctNodes = new HashMap<>();
        private final List<FunctionFacts> functions = new ArrayList<>();
        /** Function handle address → index in {@link #functions}: names enclosing functions and orders facts by them. */
        private final Map<Long, Integer> functionIndex = new HashMap<>();
        private final List<MemorySegment> handles = new ArrayList<>();
        private final List<Ordered<RawTypeTest>> typeTests = new ArrayList<>();
        private final List<KcfiCall> kcfiCalls = new ArrayList<>();
        private final List<Ordered<CallbackArgument>> callbacks = new ArrayList<>();
        private final List<Ordered<StoredFunction>> storedByCode = new ArrayList<>();
        /** Per function (by index), its instructions' positions: built only for functions that hold a fact. */
        private final Map<Integer, Map<Long, Integer>> positions = new HashMap<>();
        /** Per KCFI function (by index), its instructions in order, as {@link #body} walked them. */
        private final Map<Integer, long[]> walked = new HashMap<>();

        ModuleWalk(MemorySegment context, Arena arena) throws Throwable {
            this.context = context;
            this.arena = arena;
            this.length = arena.allocate(JAVA_LONG);
            typeKind = (int) llvm.getMdKindIdInContext.invokeExact(context, arena.allocateFrom("type"), 4);
            kcfiTypeKind = (int) llvm.getMdKindIdInContext.invokeExact(context, arena.allocateFrom("kcfi_type"), 9);
        }

        /**
         * Functions first; then type tests and callbacks through use lists (the uses of each
         * {@code llvm.type.test} declaration and of each function), so a cfi-icall module is not
         * walked instruction by instruction. Only KCFI modules need the full walk: their checks
         * are operand bundles on indirect calls, which no use list reaches.
         */
        ModuleFacts facts(String path, int module, String producer, MemorySegment mod) throws Throwable {
            ModuleFlags flags = flags(mod);
            for (MemorySegment fn = (MemorySegment) llvm.getFirstFunction.invokeExact(mod); !fn.equals(NULL);
                 fn = (MemorySegment) llvm.getNextFunction.invokeExact(fn)) {
                FunctionFacts f = function(fn);
                functions.add(f);
                handles.add(fn);
                functionIndex.put(fn.address(), functions.size() - 1);
            }
            // KCFI bodies first: their walk also records each instruction's position, which the
            // type tests and callbacks found below need (a second walk through libLLVM otherwise)
            if (flags.kcfi()) {
                for (int i = 0; i < handles.size(); i++) if (functions.get(i).definition()) body(i, functions.get(i).name(), handles.get(i));
            }
            for (int i = 0; i < handles.size(); i++) {
                MemorySegment fn = handles.get(i);
                // Intrinsics by name (known to this libLLVM or not) are never callbacks.
                int intrinsic = (int) llvm.getIntrinsicId.invokeExact(fn);
                if (intrinsic != 0) typeTestUses(fn, intrinsic);
                else if (!functions.get(i).isIntrinsic()) callbackUses(fn, functions.get(i).name());
                TypeTest.Kind kind = TypeTest.Kind.of(functions.get(i).name()).orElse(null);
                if (kind == TypeTest.Kind.SLOWPATH || kind == TypeTest.Kind.SLOWPATH_DIAG) slowPathUses(fn, kind);
            }
            MemorySegment triple = (MemorySegment) llvm.getTarget.invokeExact(mod);
            String tripleText = triple.equals(NULL) ? "" : triple.reinterpret(Long.MAX_VALUE).getString(0);
            List<TypeTest> tests = new ArrayList<>();
            for (RawTypeTest t : inProgramOrder(typeTests)) {
                TypeIdRef id = switch (t.id()) {
                    case String s -> TypeIdRef.named(s);
                    case TypeIdRef.CrossDso c -> c;
                    default -> new TypeIdRef.Distinct(distinct((Long) t.id()));
                };
                tests.add(new TypeTest(t.function(), id, t.kind(), t.source()));
            }
            return new ModuleFacts(path, module, producer, tripleText, flags, functions, tests, kcfiCalls, inProgramOrder(callbacks), stored(mod),
                    flags.kcfi() ? debugTypes(mod) : List.of(), false);
        }

        /** What the module's debug information spells, walked from each function's and global variable's {@code !dbg}. */
        private List<DebugType.Function> debugTypes(MemorySegment mod) throws Throwable {
            DebugTypeWalk walk = new DebugTypeWalk(new DebugInfo());
            for (MemorySegment fn : handles) {
                MemorySegment sp = (MemorySegment) llvm.getSubprogram.invokeExact(fn);
                if (!sp.equals(NULL)) walk.from(sp.address());
            }
            for (MemorySegment g = (MemorySegment) llvm.getFirstGlobal.invokeExact(mod); !g.equals(NULL); g = (MemorySegment) llvm.getNextGlobal.invokeExact(g)) {
                MemorySegment entries = (MemorySegment) llvm.globalCopyAllMetadata.invokeExact(g, length);
                long count = length.get(JAVA_LONG, 0);
                try {
                    for (int i = 0; i < count; i++) {
                        if ((int) llvm.valueMetadataEntriesGetKind.invokeExact(entries, i) != 0) continue;   // 0: LLVM's fixed kind of !dbg
                        walk.from(((MemorySegment) llvm.valueMetadataEntriesGetMetadata.invokeExact(entries, i)).address());
                    }
                } finally {
                    if (!entries.equals(NULL)) llvm.disposeValueMetadataEntries.invokeExact(entries);
                }
            }
            return walk.found().isEmpty() ? List.of() : DebugTypeWalk.sorted(walk.found());
        }

        /**
         * Debug-info nodes through the C API: kinds, tags, names and flags have functions of their
         * own, the rest is read as node operands. LLVM 21 made a type's size and offset operands 3
         * and 4, moving a derived type's base, a composite's base and elements and a function
         * type's types two places on; a derived type's base is third from the end and a function
         * type's types last in either layout, and a composite's operand 3 or 4 is a constant only in
         * the new one.
         */
        private final class DebugInfo implements DebugTypeWalk.Source {
            private static final long NULL_NODE = DebugTypeWalk.Source.NULL;
            private final Map<Long, MemorySegment[]> operands = new HashMap<>();

            @Override
            public DebugTypeWalk.Kind kind(long node) {
                int kind = call(() -> (int) llvm.getMetadataKind.invokeExact(metadata(node)));
                return switch (kind) {
                    case 4 -> DebugTypeWalk.Kind.TUPLE;
                    case 7 -> DebugTypeWalk.Kind.GLOBAL_VARIABLE_EXPRESSION;
                    case 9 -> DebugTypeWalk.Kind.SUBRANGE;
                    case 11 -> DebugTypeWalk.Kind.BASIC;
                    case 12 -> DebugTypeWalk.Kind.DERIVED;
                    case 13 -> DebugTypeWalk.Kind.COMPOSITE;
                    case 14 -> DebugTypeWalk.Kind.SUBROUTINE;
                    case 17 -> DebugTypeWalk.Kind.SUBPROGRAM;
                    case 24 -> DebugTypeWalk.Kind.VARIABLE;
                    default -> DebugTypeWalk.Kind.OTHER;
                };
            }

            @Override
            public int tag(long node) {
                return Short.toUnsignedInt(call(() -> (short) llvm.getDINodeTag.invokeExact(metadata(node))));
            }

            @Override
            public String name(long node) {
                MemorySegment chars = call(() -> (MemorySegment) llvm.diTypeGetName.invokeExact(metadata(node), length));
                return LibLlvm.string(chars, length.get(JAVA_LONG, 0));
            }

            @Override
            public long type(long node) {
                MemorySegment[] ops = operandsOf(node);
                return switch (kind(node)) {
                    case DERIVED -> operand(ops, ops.length - 3);
                    case COMPOSITE -> operand(ops, 3 + compositeShift(ops));
                    case SUBPROGRAM -> operand(ops, 4);
                    case VARIABLE -> operand(ops, 3);
                    case GLOBAL_VARIABLE_EXPRESSION -> operand(ops, 0);
                    default -> NULL_NODE;
                };
            }

            @Override
            public long elements(long node) {
                MemorySegment[] ops = operandsOf(node);
                return switch (kind(node)) {
                    case COMPOSITE -> operand(ops, 4 + compositeShift(ops));
                    case SUBROUTINE -> operand(ops, ops.length - 1);
                    default -> NULL_NODE;
                };
            }

            @Override
            public int size(long tuple) {
                return operandsOf(tuple).length;
            }

            @Override
            public long element(long tuple, int i) {
                return operand(operandsOf(tuple), i);
            }

            @Override
            public long count(long subrange) {
                MemorySegment[] ops = operandsOf(subrange);
                if (ops.length == 0 || ops[0].equals(MemorySegment.NULL) || call(() -> (MemorySegment) llvm.isAConstantInt.invokeExact(ops[0])).equals(MemorySegment.NULL)) return -1;
                return (int) (long) call(() -> (long) llvm.constIntGetSExtValue.invokeExact(ops[0]));
            }

            @Override
            public long bits(long node) {
                return (int) (long) call(() -> (long) llvm.diTypeGetSizeInBits.invokeExact(metadata(node)));
            }

            @Override
            public int flags(long node) {
                return call(() -> (int) llvm.diTypeGetFlags.invokeExact(metadata(node)));
            }

            private int compositeShift(MemorySegment[] ops) {
                for (int i = 3; i <= 4 && i < ops.length; i++) {
                    MemorySegment op = ops[i];
                    if (!op.equals(MemorySegment.NULL) && !call(() -> (MemorySegment) llvm.isAConstantInt.invokeExact(op)).equals(MemorySegment.NULL)) return 2;
                }
                return 0;
            }

            /** Operand {@code i} as a metadata node, {@link DebugTypeWalk.Source#NULL} for a null or missing one. */
            private long operand(MemorySegment[] ops, int i) {
                if (i < 0 || i >= ops.length || ops[i].equals(MemorySegment.NULL)) return NULL_NODE;
                MemorySegment op = ops[i];
                return call(() -> (MemorySegment) llvm.valueAsMetadata.invokeExact(op)).address();
            }

            private MemorySegment[] operandsOf(long node) {
                MemorySegment[] known = operands.get(node);
                if (known != null) return known;
                MemorySegment[] ops = call(() -> {
                    MemorySegment value = (MemorySegment) llvm.metadataAsValue.invokeExact(context, metadata(node));
                    if (((MemorySegment) llvm.isAMdNode.invokeExact(value)).equals(MemorySegment.NULL)) return new MemorySegment[0];
                    return operands(value);
                });
                operands.put(node, ops);
                return ops;
            }

            private static MemorySegment metadata(long node) {
                return MemorySegment.ofAddress(node);
            }
        }

        /** A libLLVM call from code that cannot declare {@code Throwable} (a {@link DebugTypeWalk.Source}). */
        private interface Native<T> {
            T get() throws Throwable;
        }

        private static <T> T call(Native<T> c) {
            try {
                return c.get();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** The functions each global's initializer holds, looking through structs, arrays and vectors (not through other globals). */
        private List<StoredFunction> stored(MemorySegment mod) throws Throwable {
            List<StoredFunction> stored = new ArrayList<>();
            for (MemorySegment g = (MemorySegment) llvm.getFirstGlobal.invokeExact(mod); !g.equals(NULL); g = (MemorySegment) llvm.getNextGlobal.invokeExact(g)) {
                MemorySegment init = (MemorySegment) llvm.getInitializer.invokeExact(g);
                if (init.equals(NULL)) continue;
                String global = name(g);
                if (StoredFunction.isToolchainGlobal(global)) continue;
                java.util.LinkedHashSet<String> held = new java.util.LinkedHashSet<>();
                heldFunctions(init, held, new java.util.HashSet<>(), 0);
                SourceLocation place = held.isEmpty() ? SourceLocation.NONE : source(g, false);
                for (String f : held) stored.add(new StoredFunction(StoredFunction.Kind.INITIALIZER, global, f, place));
            }
            // each function once per storing function, in program order, as the pure-Java reader lists them
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (StoredFunction s : inProgramOrder(storedByCode)) if (seen.add(s.holder() + '\0' + s.function())) stored.add(s);
            return stored;
        }

        private void heldFunctions(MemorySegment value, java.util.Set<String> held, java.util.Set<Long> seen, int depth) throws Throwable {
            if (!((MemorySegment) llvm.isAFunction.invokeExact(value)).equals(NULL)) {
                String name = name(value);
                if (!FunctionFacts.isIntrinsic(name)) held.add(name);
                return;
            }
            if (depth >= StoredFunction.MAX_NESTING || !seen.add(value.address())) return;
            if (((MemorySegment) llvm.isAConstantStruct.invokeExact(value)).equals(NULL) && ((MemorySegment) llvm.isAConstantArray.invokeExact(value)).equals(NULL)
                    && ((MemorySegment) llvm.isAConstantVector.invokeExact(value)).equals(NULL)) return;
            int n = (int) llvm.getNumOperands.invokeExact(value);
            for (int i = 0; i < n; i++) heldFunctions((MemorySegment) llvm.getOperand.invokeExact(value, i), held, seen, depth + 1);
        }

        /** A type test before its distinct node is numbered: {@code id} is the id string or the node's address. */
        private record RawTypeTest(String function, Object id, TypeTest.Kind kind, SourceLocation source) {}

        /** Where a function (its subprogram) or an instruction (its debug location) is in the source; a function has no column. */
        private SourceLocation source(MemorySegment value, boolean instruction) throws Throwable {
            int line = (int) llvm.getDebugLocLine.invokeExact(value);
            if (line == 0) return SourceLocation.NONE;
            MemorySegment file = (MemorySegment) llvm.getDebugLocFilename.invokeExact(value, length);
            String name = LibLlvm.string(file, length.get(JAVA_LONG, 0));
            MemorySegment dir = (MemorySegment) llvm.getDebugLocDirectory.invokeExact(value, length);
            String directory = LibLlvm.string(dir, length.get(JAVA_LONG, 0));
            return SourceLocation.of(directory, name, Integer.toUnsignedLong(line),
                    instruction ? Integer.toUnsignedLong((int) llvm.getDebugLocColumn.invokeExact(value)) : 0);
        }

        /** A fact found through a use list, with its enclosing function's index and its instruction's position there. */
        private record Ordered<T>(int function, int instruction, int argument, T fact) {}

        /**
         * Facts in program order (function, instruction, argument), as a walk of the module finds
         * them and as the pure-Java reader reports them: use lists run in no useful order.
         */
        private static <T> List<T> inProgramOrder(List<Ordered<T>> facts) {
            facts.sort(java.util.Comparator.comparingInt((Ordered<T> o) -> o.function()).thenComparingInt(Ordered::instruction)
                    .thenComparingInt(Ordered::argument));
            return facts.stream().map(Ordered::fact).toList();
        }

        private int position(int function, MemorySegment instruction) throws Throwable {
            if (function < 0) return -1;
            Map<Long, Integer> map = positions.get(function);
            if (map == null) {
                long[] order = walked.containsKey(function) ? walked.get(function) : instructions(handles.get(function));
                map = new HashMap<>();
                for (int i = 0; i < order.length; i++) map.put(order[i], i);
                positions.put(function, map);
            }
            return map.getOrDefault(instruction.address(), -1);
        }

        /** A function's instructions in order (their addresses). */
        private long[] instructions(MemorySegment fn) throws Throwable {
            long[] order = new long[64];
            int count = 0;
            for (MemorySegment bb = (MemorySegment) llvm.getFirstBasicBlock.invokeExact(fn); !bb.equals(NULL);
                 bb = (MemorySegment) llvm.getNextBasicBlock.invokeExact(bb)) {
                for (MemorySegment inst = (MemorySegment) llvm.getFirstInstruction.invokeExact(bb); !inst.equals(NULL);
                     inst = (MemorySegment) llvm.getNextInstruction.invokeExact(inst)) {
                    if (count == order.length) order = java.util.Arrays.copyOf(order, 2 * count);
                    order[count++] = inst.address();
                }
            }
            return java.util.Arrays.copyOf(order, count);
        }

        private int distinct(long address) {
            return distinctNodes.computeIfAbsent(address, k -> distinctNodes.size());
        }

        private String functionName(int index) {
            return index < 0 ? "" : functions.get(index).name();
        }

        private FunctionFacts function(MemorySegment fn) throws Throwable {
            String name = name(fn);
            boolean definition = (int) llvm.isDeclaration.invokeExact(fn) == 0;
            FunctionFacts.Linkage linkage = FunctionFacts.Linkage.of((int) llvm.getLinkage.invokeExact(fn));
            List<TypeAttachment> types = new ArrayList<>();
            OptionalInt kcfi = OptionalInt.empty();
            MemorySegment entries = (MemorySegment) llvm.globalCopyAllMetadata.invokeExact(fn, length);
            long count = length.get(JAVA_LONG, 0);
            try {
                for (int i = 0; i < count; i++) {
                    int kind = (int) llvm.valueMetadataEntriesGetKind.invokeExact(entries, i);
                    if (kind != typeKind && kind != kcfiTypeKind) continue;
                    MemorySegment node = asValue((MemorySegment) llvm.valueMetadataEntriesGetMetadata.invokeExact(entries, i));
                    MemorySegment[] ops = operands(node);
                    if (kind == typeKind && ops.length == 2) {
                        OptionalInt offset = constant(ops[0]);
                        TypeIdRef id = typeId(ops[1]);
                        if (offset.isPresent() && id != null) types.add(new TypeAttachment(offset.getAsInt(), id));
                    } else if (kind == kcfiTypeKind && ops.length == 1) {
                        OptionalInt hash = constant(ops[0]);
                        if (hash.isPresent()) kcfi = hash;
                    }
                }
            } finally {
                if (!entries.equals(NULL)) llvm.disposeValueMetadataEntries.invokeExact(entries);
            }
            return new FunctionFacts(name, definition, linkage, types, kcfi,
                    kcfi.isPresent() ? signature((MemorySegment) llvm.globalGetValueType.invokeExact(fn)) : "", source(fn, false));
        }

        /** A function type as {@link Signature} spells it. */
        private String signature(MemorySegment fnType) throws Throwable {
            int n = (int) llvm.countParamTypes.invokeExact(fnType);
            MemorySegment params = arena.allocate(ADDRESS, Math.max(n, 1));
            llvm.getParamTypes.invokeExact(fnType, params);
            List<String> spelled = new ArrayList<>(n);
            for (int i = 0; i < n; i++) spelled.add(spelling(params.getAtIndex(ADDRESS, i)));
            return Signature.of(spelling((MemorySegment) llvm.getReturnType.invokeExact(fnType)), spelled,
                    (int) llvm.isFunctionVarArg.invokeExact(fnType) != 0);
        }

        /** LLVMTypeKind's scalar kinds, as the bitcode's type records spell them. */
        private String spelling(MemorySegment type) throws Throwable {
            return switch ((int) llvm.getTypeKind.invokeExact(type)) {
                case 0 -> "void";
                case 1 -> "half";
                case 2 -> "float";
                case 3 -> "double";
                case 4 -> "x86_fp80";
                case 5 -> "fp128";
                case 6 -> "ppc_fp128";
                case 8 -> Signature.integer((int) llvm.getIntTypeWidth.invokeExact(type));
                case 12 -> "ptr";
                case 18 -> "bfloat";
                default -> Signature.UNKNOWN;
            };
        }

        /** Calls of a type-test intrinsic, found through the intrinsic declaration's uses. */
        private void typeTestUses(MemorySegment intrinsicFn, int intrinsic) throws Throwable {
            TypeTest.Kind kind = intrinsic == typeTest ? TypeTest.Kind.TYPE_TEST
                    : intrinsic == publicTypeTest ? TypeTest.Kind.PUBLIC_TYPE_TEST
                    : intrinsic == checkedLoad ? TypeTest.Kind.CHECKED_LOAD : null;
            if (kind == null) return;
            int idOperand = kind == TypeTest.Kind.CHECKED_LOAD ? 2 : 1;
            for (MemorySegment use = (MemorySegment) llvm.getFirstUse.invokeExact(intrinsicFn); !use.equals(NULL);
                 use = (MemorySegment) llvm.getNextUse.invokeExact(use)) {
                MemorySegment call = callInstruction((MemorySegment) llvm.getUser.invokeExact(use));
                if (call == null || !((MemorySegment) llvm.getCalledValue.invokeExact(call)).equals(intrinsicFn)) continue;
                if ((int) llvm.getNumArgOperands.invokeExact(call) <= idOperand) continue;
                Object id = rawTypeId((MemorySegment) llvm.getOperand.invokeExact(call, idOperand));
                if (id == null) continue;
                int enclosing = enclosingFunction(call);
                typeTests.add(new Ordered<>(enclosing, position(enclosing, call), 0, new RawTypeTest(functionName(enclosing), id, kind, source(call, true))));
            }
        }

        /** Cross-DSO checks: calls of {@code __cfi_slowpath(i64 id, ptr)} (and its diagnosing form), through the runtime function's uses. */
        private void slowPathUses(MemorySegment fn, TypeTest.Kind kind) throws Throwable {
            for (MemorySegment use = (MemorySegment) llvm.getFirstUse.invokeExact(fn); !use.equals(NULL);
                 use = (MemorySegment) llvm.getNextUse.invokeExact(use)) {
                MemorySegment call = callInstruction((MemorySegment) llvm.getUser.invokeExact(use));
                if (call == null || !((MemorySegment) llvm.getCalledValue.invokeExact(call)).equals(fn)) continue;
                if ((int) llvm.getNumArgOperands.invokeExact(call) < 1) continue;
                MemorySegment id = (MemorySegment) llvm.getOperand.invokeExact(call, 0);
                if (((MemorySegment) llvm.isAConstantInt.invokeExact(id)).equals(NULL)) continue;
                int enclosing = enclosingFunction(call);
                TypeIdRef.CrossDso ref = new TypeIdRef.CrossDso((long) llvm.constIntGetSExtValue.invokeExact(id));
                typeTests.add(new Ordered<>(enclosing, position(enclosing, call), 0, new RawTypeTest(functionName(enclosing), ref, kind, source(call, true))));
            }
        }

        /**
         * Direct calls that pass {@code fn}'s address as an argument, and stores that write it to
         * memory, found through {@code fn}'s uses.
         */
        private void callbackUses(MemorySegment fn, String name) throws Throwable {
            java.util.Set<Long> seen = new java.util.HashSet<>();   // a call passing fn twice is two uses of it
            for (MemorySegment use = (MemorySegment) llvm.getFirstUse.invokeExact(fn); !use.equals(NULL);
                 use = (MemorySegment) llvm.getNextUse.invokeExact(use)) {
                MemorySegment user = (MemorySegment) llvm.getUser.invokeExact(use);
                if (opcodeOf(user) == LibLlvm.OPCODE_STORE && ((MemorySegment) llvm.getOperand.invokeExact(user, 0)).equals(fn)) {
                    int enclosing = enclosingFunction(user);
                    if (enclosing >= 0) {
                        storedByCode.add(new Ordered<>(enclosing, position(enclosing, user), 0,
                                new StoredFunction(StoredFunction.Kind.STORE, functionName(enclosing), name, source(user, true))));
                    }
                    continue;
                }
                MemorySegment call = callInstruction(user);
                if (call == null || !seen.add(call.address())) continue;
                MemorySegment callee = (MemorySegment) llvm.isAFunction.invokeExact((MemorySegment) llvm.getCalledValue.invokeExact(call));
                if (callee.equals(NULL) || callee.equals(fn)) continue;
                String calleeName = functionName(functionIndex.getOrDefault(callee.address(), -1));
                if (FunctionFacts.isIntrinsic(calleeName)) continue;
                int args = (int) llvm.getNumArgOperands.invokeExact(call);
                int enclosing = enclosingFunction(call);
                for (int i = 0; i < args; i++) {
                    if (!((MemorySegment) llvm.getOperand.invokeExact(call, i)).equals(fn)) continue;
                    callbacks.add(new Ordered<>(enclosing, position(enclosing, call), i, new CallbackArgument(functionName(enclosing), calleeName, i, args, name, source(call, true))));
                }
            }
        }

        /** The user as a call, invoke or callbr instruction, else null (constants, stores, ...). */
        private MemorySegment callInstruction(MemorySegment user) throws Throwable {
            if (((MemorySegment) llvm.isAInstruction.invokeExact(user)).equals(NULL)) return null;
            return LibLlvm.isCall((int) llvm.getInstructionOpcode.invokeExact(user)) ? user : null;
        }

        private int enclosingFunction(MemorySegment instruction) throws Throwable {
            MemorySegment block = (MemorySegment) llvm.getInstructionParent.invokeExact(instruction);
            if (block.equals(NULL)) return -1;
            return functionIndex.getOrDefault(((MemorySegment) llvm.getBasicBlockParent.invokeExact(block)).address(), -1);
        }

        /**
         * KCFI modules only: every indirect call's {@code "kcfi"} bundle, and which parameter it
         * calls — directly, or (unoptimized code) through a load from a stack slot whose only store
         * is that parameter.
         */
        private void body(int index, String function, MemorySegment fn) throws Throwable {
            int n = (int) llvm.countParams.invokeExact(fn);
            long[] params = new long[n];
            for (int i = 0; i < n; i++) params[i] = ((MemorySegment) llvm.getParam.invokeExact(fn, i)).address();
            List<MemorySegment> calls = new ArrayList<>();
            Map<Long, int[]> slots = new HashMap<>();   // alloca → {stores, parameter stored (or -1)}
            long[] order = instructions(fn);
            walked.put(index, order);   // the positions the use-list scans ask for later
            for (long address : order) {
                MemorySegment inst = MemorySegment.ofAddress(address);
                int opcode = (int) llvm.getInstructionOpcode.invokeExact(inst);
                if (LibLlvm.isCall(opcode)) calls.add(inst);
                if (opcode != LibLlvm.OPCODE_STORE) continue;
                MemorySegment pointer = (MemorySegment) llvm.getOperand.invokeExact(inst, 1);
                if (opcodeOf(pointer) != LibLlvm.OPCODE_ALLOCA) continue;
                int[] slot = slots.computeIfAbsent(pointer.address(), k -> new int[] {0, -1});
                slot[0]++;
                slot[1] = parameter(params, (MemorySegment) llvm.getOperand.invokeExact(inst, 0));
            }
            for (MemorySegment inst : calls) {
                MemorySegment called = (MemorySegment) llvm.getCalledValue.invokeExact(inst);
                if (!((MemorySegment) llvm.isAFunction.invokeExact(called)).equals(NULL)) continue;
                int parameter = parameter(params, called);
                if (parameter < 0 && opcodeOf(called) == LibLlvm.OPCODE_LOAD) {
                    int[] slot = slots.get(((MemorySegment) llvm.getOperand.invokeExact(called, 0)).address());
                    if (slot != null && slot[0] == 1) parameter = slot[1];
                }
                kcfiBundles(function, inst, parameter, signature((MemorySegment) llvm.getCalledFunctionType.invokeExact(inst)));
            }
        }

        /** The opcode of {@code value} if it is an instruction, else 0. */
        private int opcodeOf(MemorySegment value) throws Throwable {
            if (((MemorySegment) llvm.isAInstruction.invokeExact(value)).equals(NULL)) return 0;
            return (int) llvm.getInstructionOpcode.invokeExact(value);
        }

        private static int parameter(long[] params, MemorySegment value) {
            for (int i = 0; i < params.length; i++) if (params[i] == value.address()) return i;
            return -1;
        }

        private void kcfiBundles(String function, MemorySegment inst, int parameter, String signature) throws Throwable {
            int bundles = (int) llvm.getNumOperandBundles.invokeExact(inst);
            for (int b = 0; b < bundles; b++) {
                MemorySegment bundle = (MemorySegment) llvm.getOperandBundleAtIndex.invokeExact(inst, b);
                try {
                    MemorySegment tag = (MemorySegment) llvm.getOperandBundleTag.invokeExact(bundle, length);
                    if (!LibLlvm.string(tag, length.get(JAVA_LONG, 0)).equals("kcfi")) continue;
                    if ((int) llvm.getNumOperandBundleArgs.invokeExact(bundle) < 1) continue;
                    OptionalInt hash = constant((MemorySegment) llvm.getOperandBundleArgAtIndex.invokeExact(bundle, 0));
                    if (hash.isPresent()) kcfiCalls.add(new KcfiCall(function, hash.getAsInt(), parameter, signature, source(inst, true)));
                } finally {
                    llvm.disposeOperandBundle.invokeExact(bundle);
                }
            }
        }

        /**
         * Reads {@code !llvm.module.flags} as nodes: {@code LLVMGetModuleFlag} hands back a
         * ConstantAsMetadata that the C API cannot turn into its ConstantInt, node operands it can.
         */
        private ModuleFlags flags(MemorySegment mod) throws Throwable {
            MemorySegment name = arena.allocateFrom("llvm.module.flags");
            int n = (int) llvm.getNamedMetadataNumOperands.invokeExact(mod, name);
            MemorySegment nodes = arena.allocate(ADDRESS, Math.max(n, 1));
            llvm.getNamedMetadataOperands.invokeExact(mod, name, nodes);
            Map<String, MemorySegment> values = new HashMap<>();
            for (int i = 0; i < n; i++) {
                MemorySegment[] ops = operands(nodes.getAtIndex(ADDRESS, i));
                if (ops.length != 3) continue;
                String key = mdString(ops[1]);
                if (key != null) values.put(key, ops[2]);
            }
            return new ModuleFlags(flagInt(values, "kcfi").orElse(0) != 0, flagString(values, "kcfi-hash"), flagInt(values, "kcfi-offset"),
                    flagInt(values, "kcfi-arity"), flagInt(values, "cfi-normalize-integers").orElse(0) != 0,
                    flagInt(values, "Cross-DSO CFI").orElse(0) != 0, flagInt(values, "CFI Canonical Jump Tables").orElse(0) != 0);
        }

        private OptionalInt flagInt(Map<String, MemorySegment> flags, String key) throws Throwable {
            MemorySegment v = flags.get(key);
            return v == null ? OptionalInt.empty() : constant(v);
        }

        private Optional<String> flagString(Map<String, MemorySegment> flags, String key) throws Throwable {
            MemorySegment v = flags.get(key);
            return v == null ? Optional.empty() : Optional.ofNullable(mdString(v));
        }

        private MemorySegment asValue(MemorySegment metadata) throws Throwable {
            return (MemorySegment) llvm.metadataAsValue.invokeExact(context, metadata);
        }

        /** The operands of an MDNode value; empty when it is not a node. */
        private MemorySegment[] operands(MemorySegment value) throws Throwable {
            if (((MemorySegment) llvm.isAMdNode.invokeExact(value)).equals(NULL)) return new MemorySegment[0];
            int n = (int) llvm.getMdNodeNumOperands.invokeExact(value);
            MemorySegment out = arena.allocate(ADDRESS, Math.max(n, 1));
            llvm.getMdNodeOperands.invokeExact(value, out);
            MemorySegment[] ops = new MemorySegment[n];
            for (int i = 0; i < n; i++) ops[i] = out.getAtIndex(ADDRESS, i);
            return ops;
        }

        /** An id string, a distinct node numbered by first appearance, or a cross-DSO id; null for anything else. */
        private TypeIdRef typeId(MemorySegment value) throws Throwable {
            return switch (rawTypeId(value)) {
                case null -> null;
                case String s -> TypeIdRef.named(s);
                case TypeIdRef.CrossDso c -> c;
                case Long address -> new TypeIdRef.Distinct(distinct(address));
                default -> throw new IllegalStateException();
            };
        }

        /**
         * An id string, a node's address (numbered later, in program order), or a cross-DSO id (a
         * bare integer: how the C API hands out the {@code i64} operand of {@code !{i64 0, i64 id}});
         * null for anything else.
         */
        private Object rawTypeId(MemorySegment value) throws Throwable {
            if (value.equals(NULL)) return null;
            String s = mdString(value);
            if (s != null) return s;
            if (!((MemorySegment) llvm.isAConstantInt.invokeExact(value)).equals(NULL)) {
                return new TypeIdRef.CrossDso((long) llvm.constIntGetSExtValue.invokeExact(value));
            }
            if (((MemorySegment) llvm.isAMdNode.invokeExact(value)).equals(NULL)) return null;
            return value.address();
        }

        private String mdString(MemorySegment value) throws Throwable {
            MemorySegment chars = (MemorySegment) llvm.getMdString.invokeExact(value, length);
            if (chars.equals(NULL)) return null;
            return LibLlvm.string(chars, Integer.toUnsignedLong(length.get(JAVA_INT, 0)));
        }

        private OptionalInt constant(MemorySegment value) throws Throwable {
            if (value.equals(NULL) || ((MemorySegment) llvm.isAConstantInt.invokeExact(value)).equals(NULL)) return OptionalInt.empty();
            return OptionalInt.of((int) (long) llvm.constIntGetSExtValue.invokeExact(value));
        }

        private String name(MemorySegment value) throws Throwable {
            MemorySegment chars = (MemorySegment) llvm.getValueName2.invokeExact(value, length);
            return LibLlvm.string(chars, length.get(JAVA_LONG, 0));
        }
    }
}
