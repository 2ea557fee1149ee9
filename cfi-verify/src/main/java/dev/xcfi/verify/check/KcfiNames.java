package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.Target;
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
 * of the same code, say; both algorithms are tried, since rustc and clang may differ), else one of
 * the usual spellings of the IR type of the function or call that has the hash ({@link HashNames}).
 */
final class KcfiNames {
    /** The id a KCFI hash was computed from, and whether by FNV-1a. */
    record HashedId(String id, boolean fnv) {}

    private final List<ModuleFacts> modules;
    private Map<Integer, String> xxHashes, fnvHashes;
    /** Per module configuration (target, integer normalization, hash algorithm): the ids tried for hashes. */
    private final Map<String, HashNames> spellings = new HashMap<>();
    /** Each module's configuration, worked out from its triple and flags once, not per hash. */
    private final Map<ModuleFacts, Optional<HashNames>> byModule = new java.util.IdentityHashMap<>();

    KcfiNames(List<ModuleFacts> modules) {
        this.modules = modules;
    }

    /** The id of {@code hash}, met in {@code module} on a function or call of IR type {@code signature}. */
    Optional<HashedId> idOf(int hash, ModuleFacts module, String signature) {
        if (xxHashes == null) carriedIds();
        if (xxHashes.containsKey(hash)) return Optional.of(new HashedId(xxHashes.get(hash), false));
        if (fnvHashes.containsKey(hash)) return Optional.of(new HashedId(fnvHashes.get(hash), true));
        boolean fnv = module.flags().kcfiHash().orElse("").equals(KcfiHash.FNV1A.flagValue());
        return spelled(hash, module, signature).map(id -> new HashedId(id, fnv));
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

    private Optional<String> spelled(int hash, ModuleFacts module, String signature) {
        if (signature.isEmpty()) return Optional.empty();
        return byModule.computeIfAbsent(module, this::spellingsFor).flatMap(names -> names.idOf(hash, signature, Site.isRust(module)));
    }

    /** The ids tried for a module's hashes; none for an unmodelled target (its types' codes are not known) or a hash clang 22 does not have. */
    private Optional<HashNames> spellingsFor(ModuleFacts module) {
        Target target;
        KcfiHash algorithm;
        try {
            target = module.triple().isEmpty() ? Target.X86_64_LINUX_GNU : Target.of(module.triple());
            algorithm = KcfiHash.parse(module.flags().kcfiHash().orElse(KcfiHash.XXHASH64.flagValue()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        CfiMode mode = CfiMode.of(module.flags().normalizeIntegers(), false);
        return Optional.of(spellings.computeIfAbsent(target + " " + mode + " " + algorithm, k -> new HashNames(target, mode, algorithm)));
    }
}
