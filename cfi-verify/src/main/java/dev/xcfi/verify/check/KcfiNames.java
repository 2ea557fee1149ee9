package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.RustcEncoder;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.verify.facts.DebugType;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which type id a KCFI hash is the hash of: an id some analysed module carries (a cfi-icall build
 * of the same code, say; both algorithms are tried, since rustc and clang may differ), else an id
 * the program's debug information spells ({@link DebugCTypes}, {@link DebugRustTypes}: modules
 * built with {@code -g} name the structs behind their pointers), else one of the usual spellings
 * of the IR type of the function or call that has the hash ({@link HashNames}), else the other
 * language's twin of a type debug information spells ({@link RustTwins}, {@link CTwins}).
 */
final class KcfiNames {
    /** The id a KCFI hash was computed from, and whether by FNV-1a. */
    record HashedId(String id, boolean fnv) {}

    private final List<ModuleFacts> modules;
    private Map<Integer, String> xxHashes, fnvHashes;
    /** How a module's hashes are made: from ids for a target, in a mode, by an algorithm. */
    private record Configuration(Target target, CfiMode mode, KcfiHash algorithm) {
        // written out: a record's generated equals and hashCode are linked through method handles on first use (start-up time)
        @Override
        public boolean equals(Object o) {
            return o instanceof Configuration c && target.equals(c.target) && mode.equals(c.mode) && algorithm == c.algorithm;
        }

        @Override
        public int hashCode() {
            return (31 * target.hashCode() + mode.hashCode()) * 31 + algorithm.hashCode();
        }
    }

    /** Per configuration: the ids tried for hashes, and the ids the program's debug information spells, by hash. */
    private final Map<Configuration, HashNames> spellings = new HashMap<>();
    private final Map<Configuration, Map<Integer, String>> debugNames = new HashMap<>();
    /** Per configuration: the C function types debug information spells, by their IR signature, and per signature their Rust twins' ids by hash. */
    private final Map<Configuration, Map<String, List<FunctionType>>> debugBySignature = new HashMap<>();
    private final Map<Configuration, Map<String, Map<Integer, String>>> twinNames = new HashMap<>();
    /** Per configuration and IR signature: the C twins' ids of the Rust signatures debug information spells, by hash. */
    private final Map<Configuration, Map<String, Map<Integer, String>>> cTwinNames = new HashMap<>();
    private List<FunctionType> debugCTypes;
    private List<FnSig> debugRustTypes;
    /** Each module's configuration, worked out from its triple and flags once, not per hash. */
    private final Map<ModuleFacts, Optional<Configuration>> byModule = new java.util.IdentityHashMap<>();

    KcfiNames(List<ModuleFacts> modules) {
        this.modules = modules;
    }

    /** The id of {@code hash}, met in {@code module} on a function or call of IR type {@code signature}. */
    Optional<HashedId> idOf(int hash, ModuleFacts module, String signature) {
        if (xxHashes == null) carriedIds();
        if (xxHashes.containsKey(hash)) return Optional.of(new HashedId(xxHashes.get(hash), false));
        if (fnvHashes.containsKey(hash)) return Optional.of(new HashedId(fnvHashes.get(hash), true));
        boolean fnv = module.flags().kcfiHash().orElse("").equals(KcfiHash.FNV1A.flagValue());
        Optional<Configuration> configuration = byModule.computeIfAbsent(module, KcfiNames::configuration);
        if (configuration.isEmpty()) return Optional.empty();
        Optional<String> debug = debugName(hash, module);
        if (debug.isPresent()) return debug.map(id -> new HashedId(id, fnv));
        Optional<String> spelled = spelled(hash, module, signature, configuration.get());
        if (spelled.isPresent() || signature.isEmpty()) return spelled.map(id -> new HashedId(id, fnv));
        Map<Integer, String> twins = Site.isRust(module) ? twinNames(configuration.get(), signature) : cTwinNames(configuration.get(), signature);
        return Optional.ofNullable(twins.get(hash)).map(id -> new HashedId(id, fnv));
    }

    /**
     * The ids of the C twins ({@link CTwins}) of the Rust signatures of IR type {@code signature}
     * that the program's debug information spells, by hash: C's {@code long (struct file *)} named
     * through a Rust driver's {@code fn(*mut file) -> isize} when only the driver was built with {@code -g}.
     */
    private Map<Integer, String> cTwinNames(Configuration c, String signature) {
        return cTwinNames.computeIfAbsent(c, k -> new HashMap<>()).computeIfAbsent(signature, s -> {
            Map<Integer, String> ids = new HashMap<>();
            if (debugRustTypes().isEmpty()) return ids;
            CTwins twins = new CTwins(c.target());
            ClangEncoder clang = ClangEncoder.of(c.target());
            for (FnSig sig : debugRustTypes()) {
                if (!s.equals(twins.signature(sig))) continue;
                for (FunctionType f : twins.of(sig)) HashNames.put(ids, () -> clang.encode(f, c.mode(), c.algorithm()));
            }
            return ids;
        });
    }

    /**
     * The ids of the Rust twins ({@link RustTwins}) of the C function types of IR type
     * {@code signature} that the program's debug information spells, by hash: a Rust binding's
     * {@code fn(*mut Ctx, i64)} is named through C's {@code void (struct ctx *, long)}.
     */
    private Map<Integer, String> twinNames(Configuration c, String signature) {
        return twinNames.computeIfAbsent(c, k -> new HashMap<>()).computeIfAbsent(signature, s -> {
            Map<Integer, String> ids = new HashMap<>();
            List<FunctionType> types = debugBySignature.computeIfAbsent(c, this::debugBySignature).getOrDefault(s, List.of());
            if (types.isEmpty()) return ids;
            RustTwins twins = new RustTwins(c.target());
            // Option, for bindgen's callback parameters, is spelled with core's disambiguator: rustc 1.95's
            RustcEncoder rustc = RustcEncoder.of(c.target(), dev.xcfi.types.rust.RustStd.RUSTC_1_95_CRATES);
            for (FunctionType f : types) {
                for (FnSig sig : twins.of(f)) HashNames.put(ids, () -> rustc.encode(sig, c.mode(), c.algorithm()));
            }
            return ids;
        });
    }

    private Map<String, List<FunctionType>> debugBySignature(Configuration c) {
        Map<String, List<FunctionType>> out = new HashMap<>();
        RustTwins twins = new RustTwins(c.target());
        for (FunctionType type : debugCTypes()) {
            String signature = twins.signature(type);
            if (signature != null) out.computeIfAbsent(signature, k -> new java.util.ArrayList<>()).add(type);
        }
        return out;
    }

    /** The id of {@code hash} among those the program's debug information spells, made as {@code module} makes its hashes. */
    Optional<String> debugName(int hash, ModuleFacts module) {
        Optional<Configuration> configuration = byModule.computeIfAbsent(module, KcfiNames::configuration);
        return configuration.map(c -> debugNames.computeIfAbsent(c, this::debugNames).get(hash));
    }

    /**
     * The ids of every function type the program's debug information spells, made as {@code c}
     * makes them: C modules' types as clang encodes them, Rust modules' as rustc does.
     */
    private Map<Integer, String> debugNames(Configuration c) {
        Map<Integer, String> ids = new HashMap<>();
        if (!debugCTypes().isEmpty()) {
            ClangEncoder clang = ClangEncoder.of(c.target());
            // a type the target does not have, or one without linkage, has no id to name a hash by
            for (FunctionType type : debugCTypes()) HashNames.put(ids, () -> clang.encode(type, c.mode(), c.algorithm()));
        }
        if (!debugRustTypes().isEmpty()) {
            // core's wrappers (Option, NonNull…) are spelled with core's disambiguator: rustc 1.95's
            RustcEncoder rustc = RustcEncoder.of(c.target(), dev.xcfi.types.rust.RustStd.RUSTC_1_95_CRATES);
            for (FnSig sig : debugRustTypes()) HashNames.put(ids, () -> rustc.encode(sig, c.mode(), c.algorithm()));
        }
        return ids;
    }

    /** The C function types the debug information of the program's C modules spells (read once, with Rust's). */
    private List<FunctionType> debugCTypes() {
        if (debugCTypes == null) readDebugTypes();
        return debugCTypes;
    }

    /** The Rust signatures the debug information of the program's Rust modules spells (read once, with C's). */
    private List<FnSig> debugRustTypes() {
        if (debugRustTypes == null) readDebugTypes();
        return debugRustTypes;
    }

    /** Each module's debug types read in its own language: C's as C types, rustc's as Rust signatures. */
    private void readDebugTypes() {
        debugCTypes = new java.util.ArrayList<>();
        debugRustTypes = new java.util.ArrayList<>();
        for (ModuleFacts m : modules) {
            boolean rust = Site.isRust(m);
            for (DebugType.Function f : m.debugTypes()) {
                if (rust) debugRustTypes.addAll(DebugRustTypes.of(f));
                else debugCTypes.addAll(DebugCTypes.of(f));
            }
        }
    }

    /** Worked out on the first hash only: a cfi-icall program (no hashes) never pays for it. */
    private void carriedIds() {
        xxHashes = new HashMap<>();
        fnvHashes = new HashMap<>();
        for (ModuleFacts m : modules) {
            for (FunctionFacts f : m.functions()) {
                for (TypeAttachment t : f.typeIds()) {
                    if (!(t.id() instanceof TypeIdRef.Named n)) continue;
                    xxHashes.putIfAbsent(KcfiHash.XXHASH64.hash(n.id()), n.id());
                    fnvHashes.putIfAbsent(KcfiHash.FNV1A.hash(n.id()), n.id());
                }
            }
        }
    }

    private Optional<String> spelled(int hash, ModuleFacts module, String signature, Configuration c) {
        if (signature.isEmpty()) return Optional.empty();
        return spellings.computeIfAbsent(c, k -> new HashNames(k.target(), k.mode(), k.algorithm())).idOf(hash, signature, Site.isRust(module));
    }

    /** A module's configuration; none for an unmodelled target (its types' codes are not known) or a hash clang 22 does not have. */
    private static Optional<Configuration> configuration(ModuleFacts module) {
        try {
            Target target = module.triple().isEmpty() ? Target.X86_64_LINUX_GNU : Target.of(module.triple());
            KcfiHash algorithm = KcfiHash.parse(module.flags().kcfiHash().orElse(KcfiHash.XXHASH64.flagValue()));
            return Optional.of(new Configuration(target, CfiMode.of(module.flags().normalizeIntegers(), false), algorithm));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
