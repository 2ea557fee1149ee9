package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.Compiler;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.SourceLocation;

import java.util.List;
import java.util.Optional;

/**
 * The two sides of a finding as reports show them: each id decoded to C and Rust, each KCFI hash
 * named by the id it hashes where that can be found ({@link KcfiNames}), the part that differs
 * and the repair for the languages involved ({@link Fixes}).
 */
final class Sides {
    /**
     * One side: where and in which role, the id it carries (a type id, or the id its KCFI hash was
     * found to be the hash of) and the compiler that wrote that id.
     */
    record Side(Finding.Location location, Optional<String> id, Compiler writer) {}

    private final IdExplainer explain;
    private final KcfiNames hashIds;

    Sides(Program program) {
        this.explain = new IdExplainer(program.target());
        this.hashIds = new KcfiNames(program.modules());
    }

    IdExplainer explain() {
        return explain;
    }

    /** The side of an id {@code module} carries or tests (its compiler wrote it). */
    Side id(ModuleFacts module, SourceLocation source, String role, String id) {
        Compiler writer = Site.writer(module);
        return new Side(new Finding.Location(Site.where(module), role, id, explain.decoded(id, writer), source), Optional.of(id), writer);
    }

    /** The id a KCFI hash met in {@code module} on IR type {@code signature} is the hash of, where that can be found. */
    Optional<String> hashedId(int hash, ModuleFacts module, String signature) {
        return hashIds.idOf(hash, module, signature).map(KcfiNames.HashedId::id);
    }

    /** {@link #hashedId}, with the algorithm that made the hash. */
    Optional<KcfiNames.HashedId> hashedIdOf(int hash, ModuleFacts module, String signature) {
        return hashIds.idOf(hash, module, signature);
    }

    /** The side of a KCFI hash met in {@code module}: its compiler hashed an id of its own writing. */
    Side hash(SourceLocation source, String role, int hash, ModuleFacts module, String signature) {
        Compiler writer = Site.writer(module);
        Optional<KcfiNames.HashedId> named = hashIds.idOf(hash, module, signature);
        String decoded = named.map(h -> "hash of " + h.id() + (h.fnv() ? " (FNV-1a)" : "") + ": " + explain.decoded(h.id(), writer)).orElse("");
        return new Side(new Finding.Location(Site.where(module), role, hex(hash), decoded, source), named.map(KcfiNames.HashedId::id), writer);
    }

    /**
     * Two sides that disagree: the message, naming every part that differs when both ids are known
     * (two ids often differ in an integer and in a record's name at once), with a repair for each;
     * {@code sameLanguage}: the repair when both sides come from one compiler (no encoding attribute
     * can bridge them).
     */
    Finding mismatch(Rule rule, String symbol, String message, Site a, Side sideA, Site b, Side sideB, String sameLanguage) {
        List<IdExplainer.Difference> parts = explain.withGeneralizedCallbacks(parts(sideA, sideB), ungeneralized(a, sideA), sideA.writer(),
                ungeneralized(b, sideB), sideB.writer());
        return finding(rule, symbol, message, a, sideA, b, sideB, sameLanguage, parts);
    }

    /**
     * The id {@code site} carries beside a side's generalized one (modules carry both), if the
     * side's id is generalized and is the site's own (a callback's expected id is not its callee's).
     */
    private static Optional<String> ungeneralized(Site site, Side side) {
        if (side.id().isEmpty()) return Optional.empty();
        CfiMode mode = CfiMode.ofSuffixes(side.id().get());
        if (!mode.generalizePointers() || !site.id(mode).equals(side.id())) return Optional.empty();
        return site.id(CfiMode.of(mode.normalizeIntegers(), false));
    }

    private List<IdExplainer.Difference> parts(Side sideA, Side sideB) {
        return sideA.id().isPresent() && sideB.id().isPresent()
                ? explain.differences(sideA.id().get(), sideA.writer(), sideB.id().get(), sideB.writer()) : List.of();
    }

    private static Finding finding(Rule rule, String symbol, String message, Site a, Side sideA, Site b, Side sideB, String sameLanguage,
                                   List<IdExplainer.Difference> parts) {
        StringBuilder text = new StringBuilder(message);
        for (IdExplainer.Difference d : parts) text.append("; ").append(d.text());
        String fix = Fixes.suggest(a.isRust(), b.isRust(), parts, sameLanguage) + unnamedHashes(sideA, sideB);
        return new Finding(rule, symbol, text.toString(), List.of(sideA.location(), sideB.location()), fix);
    }

    /**
     * Where a KCFI hash stayed a number (no debug information, or a part it does not record such as a
     * {@code cfi_salt}), the command that names it from the declaring source.
     */
    private static String unnamedHashes(Side sideA, Side sideB) {
        StringBuilder hashes = new StringBuilder();
        for (Side side : List.of(sideA, sideB)) {
            if (side.id().isEmpty() && side.location().typeId().startsWith("0x")) hashes.append(hashes.isEmpty() ? "" : " ").append(side.location().typeId());
        }
        return hashes.isEmpty() ? "" : " (`xcfi which " + hashes + " FILE...` names a hash from the C headers or Rust sources that declare it)";
    }

    /** The repair for a function built without the sanitizer that code built with {@code scheme} reaches. */
    static String rebuild(String function, Scheme scheme) {
        return "build the module that defines " + name(function) + " with " + scheme.flags() + " as well";
    }

    /** A symbol as messages name it: a Rust v0 symbol by its path ({@code ops::rust_log}), others as they are. */
    static String name(String symbol) {
        return dev.xcfi.encoding.SymbolNames.demangle(symbol).orElse(symbol);
    }

    static String hex(int hash) {
        return String.format("0x%08x", hash);
    }
}
