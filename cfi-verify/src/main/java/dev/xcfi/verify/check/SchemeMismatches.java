package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.TypeIdRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** scheme-mismatch: CFI modules built with different schemes or options, so that one module's checks cannot pass another's functions. */
final class SchemeMismatches {
    private SchemeMismatches() {}

    static void find(Program program, List<Finding> findings) {
        List<ModuleFacts> hardened = program.modules().stream().filter(m -> program.scheme(m) != Scheme.NONE).toList();
        if (hardened.size() < 2) return;
        differs(findings, hardened, m -> program.scheme(m) == Scheme.KCFI ? "kcfi" : "cfi-icall", "CFI scheme", "",
                "build every module with the same sanitizer: -fsanitize=kcfi / -Zsanitizer=kcfi, or -fsanitize=cfi-icall / -Zsanitizer=cfi");
        differs(findings, hardened, m -> m.flags().normalizeIntegers() ? "normalized" : "not normalized", "integer normalization", "",
                "enable integer normalization on every side (clang -fsanitize-cfi-icall-experimental-normalize-integers, "
                        + "rustc -Zsanitizer-cfi-normalize-integers) or on none");
        List<ModuleFacts> kcfi = hardened.stream().filter(m -> program.scheme(m) == Scheme.KCFI).toList();
        differs(findings, kcfi, m -> m.flags().kcfiHash().orElse("xxHash64"), "KCFI hash algorithm", "",
                "use one hash everywhere: rustc always uses xxHash64, so drop -fsanitize-kcfi-hash=FNV-1a from clang");
        // A caller reads the hash (4 + offset) bytes before the target's entry, where the target's
        // own module put it (4 + its offset) bytes before: every module must use one offset.
        differs(findings, kcfi, m -> "offset " + m.flags().kcfiOffset().orElse(0), "KCFI hash offset (the patchable-function-entry prefix)", "",
                "give every module the same patchable prefix: clang -fpatchable-function-entry=N,M and rustc -Zpatchable-function-entry=N,M "
                        + "with the same M (or none anywhere)");
        // A shared object's __cfi_check only knows the functions whose modules attached cross-DSO
        // ids: calls from other shared objects into a function of a single-DSO module trap.
        differs(findings, hardened.stream().filter(m -> program.scheme(m) == Scheme.CFI_ICALL).toList(),
                m -> m.flags().crossDso() ? "cross-DSO" : "single-DSO", "cross-DSO CFI",
                "; calls from other shared objects into the single-DSO modules' functions trap",
                "build every module with -fsanitize-cfi-cross-dso, or none (rustc has no cross-DSO CFI: a shared object with Rust code in it cannot use it)");
        List<ModuleFacts> testing = hardened.stream().filter(m -> m.typeTests().stream().anyMatch(t -> t.id() instanceof TypeIdRef.Named)).toList();
        differs(findings, testing, m -> m.typeTests().stream().anyMatch(t -> t.id() instanceof TypeIdRef.Named n && CfiMode.ofSuffixes(n.id()).generalizePointers())
                        ? "generalized pointers" : "exact pointers", "pointer generalization", "",
                "generalize pointers on every side (clang -fsanitize-cfi-icall-generalize-pointers, rustc -Zsanitizer-cfi-generalize-pointers) or on none");
    }

    /** {@code consequence}: appended to the message when the disagreement's effect is not obvious from it. */
    private static void differs(List<Finding> findings, List<ModuleFacts> ms, Function<ModuleFacts, String> property, String what, String consequence,
                                String fix) {
        Map<String, List<ModuleFacts>> byValue = new LinkedHashMap<>();
        for (ModuleFacts m : ms) byValue.computeIfAbsent(property.apply(m), k -> new ArrayList<>()).add(m);
        if (byValue.size() < 2) return;
        List<Finding.Location> locations = new ArrayList<>();
        byValue.forEach((value, group) -> group.forEach(m -> locations.add(new Finding.Location(Site.where(m), value, "", ""))));
        findings.add(new Finding(Rule.SCHEME_MISMATCH, "", "the modules disagree on " + what + ": " + String.join(" vs ", byValue.keySet()) + consequence,
                locations, fix));
    }
}
