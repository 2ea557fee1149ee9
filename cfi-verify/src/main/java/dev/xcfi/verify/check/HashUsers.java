package dev.xcfi.verify.check;

import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.SourceLocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who in a program has a KCFI hash: the functions that carry it (the targets a check for it lets
 * through) and the checked calls that expect it, each with the id the hash is of where that can
 * be found ({@link KcfiNames}) and its place in the source. What {@code xcfi which} answers for
 * bitcode.
 */
public final class HashUsers {
    /**
     * CARRIED: a definition, whose preamble holds the hash; DECLARED: a module's declaration of a
     * function says the hash (the definition, elsewhere, may carry another: what
     * declaration-mismatch finds); EXPECTED: a checked call.
     */
    public enum Role { CARRIED, DECLARED, EXPECTED }

    /** One function or call with the hash: its symbol, module, place in the source, and the id and its C/Rust view where known. */
    public record Use(int hash, Role role, String symbol, String module, SourceLocation source, Optional<String> id, String decoded) {}

    private HashUsers() {}

    /** The uses of each of {@code hashes} in {@code modules}, in module order: functions first, then calls. */
    public static List<Use> of(List<Integer> hashes, List<ModuleFacts> modules) {
        KcfiNames names = new KcfiNames(modules);
        IdExplainer explain = new IdExplainer(new Program(modules).target());
        List<Use> out = new ArrayList<>();
        for (int hash : hashes) {
            for (ModuleFacts m : modules) {
                for (FunctionFacts f : m.functions()) {
                    if (f.kcfiType().isEmpty() || f.kcfiType().getAsInt() != hash) continue;
                    out.add(use(hash, f.definition() ? Role.CARRIED : Role.DECLARED, f.name(), m, f.source(), names.idOf(hash, m, f.signature()), explain));
                }
            }
            for (ModuleFacts m : modules) {
                for (KcfiCall k : m.kcfiCalls()) {
                    if (k.hash() != hash) continue;
                    out.add(use(hash, Role.EXPECTED, k.function(), m, k.source(), names.idOf(hash, m, k.signature()), explain));
                }
            }
        }
        return out;
    }

    private static Use use(int hash, Role role, String symbol, ModuleFacts m, SourceLocation source, Optional<KcfiNames.HashedId> id, IdExplainer explain) {
        return new Use(hash, role, symbol, Site.where(m), source, id.map(KcfiNames.HashedId::id), id.map(h -> explain.decoded(h.id(), Site.writer(m))).orElse(""));
    }
}
