package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.types.Target;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The modules that will be linked together, as the linker resolves their functions: which
 * definition a name means, what each module sees, which scheme each was built with, and which
 * id variants the program's checks test (every rustc function carries four variants and every
 * clang function two, so agreement in an unused variant must not hide a disagreement in the
 * tested one).
 */
final class Program {
    private final List<ModuleFacts> modules;
    private final Target target;
    /** The variants call sites test, in the order they are first met; without any cfi-icall test, the plain (or normalized) variant. */
    private final Set<CfiMode> testedModes = new LinkedHashSet<>();
    private final Map<String, List<Site>> definitions = new LinkedHashMap<>();
    private final Map<String, List<Site>> declarations = new LinkedHashMap<>();
    /** Definitions with internal linkage (C's static functions), seen only from their own module: by module identity, then name. */
    private final Map<ModuleFacts, Map<String, Site>> locals = new IdentityHashMap<>();
    /** The ids and KCFI hashes some function in the analysed modules carries. */
    private final Set<String> carriedIds = new HashSet<>();
    private final Set<Integer> carriedHashes = new HashSet<>();
    /** The ids some type test in the analysed modules checks, and the KCFI hashes some indirect call checks. */
    private final Set<String> checkedIds = new HashSet<>();
    private final Set<Integer> checkedHashes = new HashSet<>();
    /** The checks whose id or hash no function carries, in module order (each module's type tests, then its KCFI calls). */
    private final List<Uncarried> uncarried = new ArrayList<>();
    /** Each module's scheme, worked out once: rules ask it per callback, and a module without CFI has to look at every function to say so. */
    private final Map<ModuleFacts, Scheme> schemes = new IdentityHashMap<>();

    Program(List<ModuleFacts> modules) {
        this.modules = modules;
        this.target = target(modules);
        for (ModuleFacts m : modules) {
            Map<String, Site> own = new HashMap<>();
            for (FunctionFacts f : m.functions()) index(m, f, own);
            locals.put(m, own);
        }
        // then the checks, against what every module's functions carry
        boolean normalized = false;
        for (ModuleFacts m : modules) {
            normalized |= m.flags().normalizeIntegers();
            for (TypeTest t : m.typeTests()) checked(m, t);
            for (KcfiCall k : m.kcfiCalls()) checked(m, k);
        }
        if (testedModes.isEmpty()) testedModes.add(CfiMode.of(normalized, false));
    }

    // The loops over every function and every test call a method per item: they run once, and C1
    // compiles a method after a few hundred calls but a loop only after tens of thousands of turns.
    private void index(ModuleFacts m, FunctionFacts f, Map<String, Site> own) {
        if (f.definition() && f.linkage().isExported()) definitions.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(new Site(m, f));
        else if (!f.definition()) declarations.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(new Site(m, f));
        else own.put(f.name(), new Site(m, f));
        for (TypeAttachment t : f.typeIds()) if (t.id() instanceof TypeIdRef.Named n) carriedIds.add(n.id());
        if (f.kcfiType().isPresent()) carriedHashes.add(f.kcfiType().getAsInt());
    }

    /**
     * A test's id is checked; the first test of each id adds its variant to the tested ones (a large
     * module tests a few hundred ids thousands of times); a test of an id no function carries is kept.
     */
    private void checked(ModuleFacts m, TypeTest t) {
        if (!(t.id() instanceof TypeIdRef.Named n)) return;
        if (checkedIds.add(n.id()) && n.isFunctionType()) testedModes.add(CfiMode.ofSuffixes(n.id()));
        if (!carriedIds.contains(n.id())) uncarried.add(new Uncarried.Test(m, t, n));
    }

    private void checked(ModuleFacts m, KcfiCall k) {
        checkedHashes.add(k.hash());
        if (!carriedHashes.contains(k.hash())) uncarried.add(new Uncarried.Kcfi(m, k));
    }

    private static Target target(List<ModuleFacts> modules) {
        for (ModuleFacts m : modules) {
            try {
                if (!m.triple().isEmpty()) return Target.of(m.triple());
            } catch (IllegalArgumentException e) {
                // an unmodelled triple: try the next module
            }
        }
        return Target.X86_64_LINUX_GNU;
    }

    List<ModuleFacts> modules() {
        return modules;
    }

    /** The target ids are decoded for: the first modelled triple among the modules. */
    Target target() {
        return target;
    }

    Set<CfiMode> testedModes() {
        return testedModes;
    }

    Scheme scheme(ModuleFacts m) {
        return schemes.computeIfAbsent(m, Scheme::of);
    }

    /** The exported definitions of each name, in module order (more than one: weak ones, or a link error). */
    Map<String, List<Site>> definitions() {
        return Collections.unmodifiableMap(definitions);
    }

    /** The declarations of each name, in module order. */
    Map<String, List<Site>> declarations() {
        return Collections.unmodifiableMap(declarations);
    }

    /** The definition a name resolves to at link time: a strong one if there is one, else the first (weak) one; null if none. */
    Site definition(String name) {
        List<Site> defs = definitions.get(name);
        if (defs == null) return null;
        for (Site d : defs) if (!d.function().linkage().isReplaceable()) return d;
        return defs.get(0);
    }

    /**
     * The function a name in {@code caller} means: its own static function of that name, else the
     * exported definition wherever it is, else the declaration the calling module sees.
     */
    Optional<Site> site(String name, ModuleFacts caller) {
        Map<String, Site> own = locals.get(caller);
        Site local = own == null ? null : own.get(name);
        if (local != null) return Optional.of(local);
        Site def = definition(name);
        if (def != null) return Optional.of(def);
        for (Site s : declarations.getOrDefault(name, List.of())) if (s.module() == caller) return Optional.of(s);
        return Optional.empty();
    }

    /**
     * Whether {@code target}, reached from code built with {@code checking}, carries nothing a check
     * could pass: a definition in a module built without CFI. Under cfi-icall only a definition
     * inside the LTO unit counts: one linked as native code (embedded bitcode) is reached through
     * the jump-table entry LowerTypeTests makes from a declaration, which carries the id.
     */
    boolean unhardened(Scheme checking, Site target) {
        return checking != Scheme.NONE && target.function().definition() && scheme(target.module()) == Scheme.NONE
                && !(checking == Scheme.CFI_ICALL && target.module().embedded());
    }

    boolean carries(int hash) {
        return carriedHashes.contains(hash);
    }

    /**
     * An indirect-call check that no function in the analysed modules can pass, whatever the target:
     * a type test of an id none carries, or a KCFI-checked call of a hash none carries.
     */
    sealed interface Uncarried {
        ModuleFacts module();

        record Test(ModuleFacts module, TypeTest test, TypeIdRef.Named id) implements Uncarried {}

        record Kcfi(ModuleFacts module, KcfiCall call) implements Uncarried {}
    }

    /** The checks no function carries the id or hash of, in module order (found while the program is indexed: one pass over thousands of tests). */
    List<Uncarried> uncarried() {
        return uncarried;
    }

    /** Whether some indirect call in the analysed modules is checked against {@code id}. */
    boolean checks(String id) {
        return checkedIds.contains(id);
    }

    /** Whether some indirect call in the analysed modules is checked against KCFI hash {@code hash}. */
    boolean checks(int hash) {
        return checkedHashes.contains(hash);
    }
}
