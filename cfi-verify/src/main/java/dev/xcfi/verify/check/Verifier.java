package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.verify.facts.CallbackArgument;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;
import dev.xcfi.types.Target;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs every rule over the modules that will be linked together. Ids are compared in the
 * variants the program's checks actually test: every rustc function carries four variants and
 * every clang function two, so agreement in an unused variant (say {@code .generalized}) must not
 * hide a disagreement in the tested one.
 */
public final class Verifier {
    private final List<ModuleFacts> modules;
    private final IdExplainer explain;
    private final KcfiNames hashIds;
    private final Set<CfiMode> testedModes;
    private final Map<String, List<Site>> definitions = new LinkedHashMap<>();
    private final Map<String, List<Site>> declarations = new LinkedHashMap<>();
    /** Definitions with internal linkage (C's static functions), seen only from their own module: by module identity, then name. */
    private final Map<ModuleFacts, Map<String, Site>> locals = new java.util.IdentityHashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    /** The ids and KCFI hashes some function in the analysed modules carries. */
    private final Set<String> carriedIds = new HashSet<>();
    private final Set<Integer> carriedHashes = new HashSet<>();

    /** A function as one module sees it. */
    private record Site(ModuleFacts module, FunctionFacts function) {
        Optional<String> id(CfiMode mode) {
            for (TypeAttachment t : function.typeIds()) {
                if (t.id() instanceof TypeIdRef.Named n && CfiMode.ofSuffixes(n.id()).equals(mode)) return Optional.of(n.id());
            }
            return Optional.empty();
        }

        String where() {
            return Verifier.where(module);
        }
    }

    /** A module as reports name it: its file, with {@code #n} for the later modules of a multi-module file. */
    private static String where(ModuleFacts m) {
        return m.module() == 0 ? m.path() : m.path() + "#" + m.module();
    }

    private Verifier(List<ModuleFacts> modules) {
        this.modules = modules;
        this.explain = new IdExplainer(target(modules));
        this.hashIds = new KcfiNames(modules);
        this.testedModes = testedModes(modules);
        for (ModuleFacts m : modules) {
            Map<String, Site> own = new HashMap<>();
            for (FunctionFacts f : m.functions()) index(m, f, own);
            locals.put(m, own);
        }
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

    public static List<Finding> verify(List<ModuleFacts> modules) {
        Verifier v = new Verifier(modules);
        v.schemes();
        v.declarations();
        v.callbacks();
        v.unsatisfiableChecks();
        v.internalTypeIds();
        return List.copyOf(v.findings);
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

    /** The variants call sites test; without any cfi-icall test, the plain (or normalized) variant. */
    private static Set<CfiMode> testedModes(List<ModuleFacts> modules) {
        Set<CfiMode> modes = new LinkedHashSet<>();
        boolean normalized = false;
        for (ModuleFacts m : modules) {
            normalized |= m.flags().normalizeIntegers();
            for (TypeTest t : m.typeTests()) addMode(t, modes);
        }
        if (modes.isEmpty()) modes.add(CfiMode.of(normalized, false));
        return modes;
    }

    private static void addMode(TypeTest t, Set<CfiMode> modes) {
        if (t.id() instanceof TypeIdRef.Named n) modes.add(CfiMode.ofSuffixes(n.id()));
    }

    // --- scheme-mismatch ------------------------------------------------------------------------------

    private enum Scheme { NONE, CFI_ICALL, KCFI }

    /** Each module's scheme, worked out once: the callback rule asks it per callback, and a module without CFI has to look at every function to say so. */
    private final Map<ModuleFacts, Scheme> schemes = new java.util.IdentityHashMap<>();

    private Scheme scheme(ModuleFacts m) {
        return schemes.computeIfAbsent(m, Verifier::schemeOf);
    }

    private static Scheme schemeOf(ModuleFacts m) {
        if (m.flags().kcfi()) return Scheme.KCFI;
        if (!m.typeTests().isEmpty()) return Scheme.CFI_ICALL;
        for (FunctionFacts f : m.functions()) if (!f.typeIds().isEmpty()) return Scheme.CFI_ICALL;
        return Scheme.NONE;
    }

    private void schemes() {
        List<ModuleFacts> hardened = modules.stream().filter(m -> scheme(m) != Scheme.NONE).toList();
        if (hardened.size() < 2) return;
        differs(hardened, m -> scheme(m) == Scheme.KCFI ? "kcfi" : "cfi-icall", "CFI scheme",
                "build every module with the same sanitizer: -fsanitize=kcfi / -Zsanitizer=kcfi, or -fsanitize=cfi-icall / -Zsanitizer=cfi");
        differs(hardened, m -> m.flags().normalizeIntegers() ? "normalized" : "not normalized", "integer normalization",
                "enable integer normalization on every side (clang -fsanitize-cfi-icall-experimental-normalize-integers, "
                        + "rustc -Zsanitizer-cfi-normalize-integers) or on none");
        List<ModuleFacts> kcfi = hardened.stream().filter(m -> scheme(m) == Scheme.KCFI).toList();
        differs(kcfi, m -> m.flags().kcfiHash().orElse("xxHash64"), "KCFI hash algorithm",
                "use one hash everywhere: rustc always uses xxHash64, so drop -fsanitize-kcfi-hash=FNV-1a from clang");
        // A caller reads the hash (4 + offset) bytes before the target's entry, where the target's
        // own module put it (4 + its offset) bytes before: every module must use one offset.
        differs(kcfi, m -> "offset " + m.flags().kcfiOffset().orElse(0), "KCFI hash offset (the patchable-function-entry prefix)",
                "give every module the same patchable prefix: clang -fpatchable-function-entry=N,M and rustc -Zpatchable-function-entry=N,M "
                        + "with the same M (or none anywhere)");
        // A shared object's __cfi_check only knows the functions whose modules attached cross-DSO
        // ids: calls from other shared objects into a function of a single-DSO module trap.
        differs(hardened.stream().filter(m -> scheme(m) == Scheme.CFI_ICALL).toList(), m -> m.flags().crossDso() ? "cross-DSO" : "single-DSO",
                "cross-DSO CFI", "; calls from other shared objects into the single-DSO modules' functions trap",
                "build every module with -fsanitize-cfi-cross-dso, or none (rustc has no cross-DSO CFI: a shared object with Rust code in it cannot use it)");
        List<ModuleFacts> testing = hardened.stream().filter(m -> m.typeTests().stream().anyMatch(t -> t.id() instanceof TypeIdRef.Named)).toList();
        differs(testing, m -> m.typeTests().stream().anyMatch(t -> t.id() instanceof TypeIdRef.Named n && CfiMode.ofSuffixes(n.id()).generalizePointers())
                ? "generalized pointers" : "exact pointers", "pointer generalization",
                "generalize pointers on every side (clang -fsanitize-cfi-icall-generalize-pointers, rustc -Zsanitizer-cfi-generalize-pointers) or on none");
    }

    private void differs(List<ModuleFacts> ms, java.util.function.Function<ModuleFacts, String> property, String what, String fix) {
        differs(ms, property, what, "", fix);
    }

    /** {@code consequence}: appended to the message when the disagreement's effect is not obvious from it. */
    private void differs(List<ModuleFacts> ms, java.util.function.Function<ModuleFacts, String> property, String what, String consequence, String fix) {
        Map<String, List<ModuleFacts>> byValue = new LinkedHashMap<>();
        for (ModuleFacts m : ms) byValue.computeIfAbsent(property.apply(m), k -> new ArrayList<>()).add(m);
        if (byValue.size() < 2) return;
        List<Finding.Location> locations = new ArrayList<>();
        byValue.forEach((value, group) -> group.forEach(m -> locations.add(new Finding.Location(where(m), value, "", ""))));
        findings.add(new Finding(Rule.SCHEME_MISMATCH, "", "the modules disagree on " + what + ": " + String.join(" vs ", byValue.keySet()) + consequence,
                locations, fix));
    }

    // --- declaration-mismatch -------------------------------------------------------------------------

    private void declarations() {
        declarations.forEach((name, decls) -> {
            Site def = definition(name);
            if (def != null) {
                for (Site decl : decls) if (decl.module() != def.module()) compare(name, decl, Views.DECLARED_DEFINED, def);
                return;
            }
            // Defined outside the analysed modules (a native library): the link keeps one
            // declaration's ids for the function's jump-table entry, so the other modules' checks fail.
            Site first = decls.get(0);
            for (Site decl : decls) if (decl.module() != first.module()) compare(name, decl, Views.DECLARED_TWICE, first);
        });
        // A weak definition (C's __attribute__((weak)) default) is, to the linker, a declaration
        // once a strong definition exists: its module's pointers to it point to the strong one.
        definitions.forEach((name, defs) -> {
            Site strong = definition(name);
            if (strong.function().linkage().isReplaceable()) return;
            for (Site weak : defs) {
                if (weak.module() != strong.module() && weak.function().linkage().isReplaceable()) compare(name, weak, Views.WEAK_STRONG, strong);
            }
        });
    }

    /** The definition a name resolves to at link time: a strong one if there is one, else the first (weak) one. */
    private Site definition(String name) {
        List<Site> defs = definitions.get(name);
        if (defs == null) return null;
        for (Site d : defs) if (!d.function().linkage().isReplaceable()) return d;
        return defs.get(0);
    }

    /** Two modules' views of one function that must agree, and how a finding words them: {@code use} is the view that traps. */
    private enum Views {
        DECLARED_DEFINED("declaration", " is declared with ", " but defined with ", "definition",
                ": a call through a pointer of the declared type traps", ": indirect calls through the declared type trap"),
        WEAK_STRONG("weak definition", " has a weak definition with ", " but the strong definition that replaces it carries ", "definition",
                ": a call through a pointer of the weak definition's type traps", ": indirect calls through the weak definition's type trap"),
        DECLARED_TWICE("declaration", " is declared with ", " but another module declares it with ", "other declaration",
                ", and no analysed module defines it: the link keeps one declaration's id for it, so calls through pointers of the other type trap",
                ", and no analysed module defines it: its definition carries one hash at most, so indirect calls through the other type trap");

        final String role, verb, against, otherRole, idConsequence, hashConsequence;

        Views(String role, String verb, String against, String otherRole, String idConsequence, String hashConsequence) {
            this.role = role;
            this.verb = verb;
            this.against = against;
            this.otherRole = otherRole;
            this.idConsequence = idConsequence;
            this.hashConsequence = hashConsequence;
        }
    }

    /** {@code use}'s view of {@code name} against {@code other}'s: KCFI hashes when both have one, else the tested ids. */
    private void compare(String name, Site use, Views views, Site other) {
        if (other.function().kcfiType().isPresent() && use.function().kcfiType().isPresent()) {
            int a = other.function().kcfiType().getAsInt(), b = use.function().kcfiType().getAsInt();
            if (a == b) return;
            HashSide u = hashSide(use.where(), views.role, b, use.module(), use.function().signature());
            HashSide o = hashSide(other.where(), views.otherRole, a, other.module(), other.function().signature());
            findings.add(mismatch(Rule.DECLARATION_MISMATCH, name, name + views.verb + "KCFI hash " + hex(b) + views.against + hex(a)
                            + views.hashConsequence, use, u.location(), u.id(), other, o.location(), o.id(),
                    "make the " + views.role + "'s parameter and return types encode like the " + views.otherRole + "'s"));
            return;
        }
        for (CfiMode mode : testedModes) {
            Optional<String> a = other.id(mode), b = use.id(mode);
            if (a.isPresent() && b.isPresent() && !a.get().equals(b.get())) {
                findings.add(mismatch(Rule.DECLARATION_MISMATCH, name,
                        name + views.verb + "type id " + b.get() + views.against + a.get() + views.idConsequence,
                        use, new Finding.Location(use.where(), views.role, b.get(), explain.decoded(b.get())),
                        other, new Finding.Location(other.where(), views.otherRole, a.get(), explain.decoded(a.get())),
                        "make the " + views.role + "'s parameter and return types the same as the " + views.otherRole + "'s"));
                return;
            }
        }
    }

    // --- callback-mismatch ----------------------------------------------------------------------------

    // A callee takes many callbacks (SQLite registers hundreds through a few functions): what its id
    // says about a parameter is decoded once, not per call.
    private final Map<String, Optional<Integer>> parameters = new HashMap<>();
    private final Map<String, Optional<String>> expectedIds = new HashMap<>();

    private void callbacks() {
        Set<String> reported = new HashSet<>();
        for (ModuleFacts m : modules) {
            for (CallbackArgument cb : m.callbacks()) {
                Optional<Site> callee = site(cb.callee(), m), passed = site(cb.passed(), m);
                if (callee.isEmpty() || passed.isEmpty()) continue;
                if (unhardenedCallback(cb, callee.get(), passed.get(), reported)) continue;
                if (kcfiCallback(cb, callee.get(), passed.get(), reported)) continue;
                for (CfiMode mode : testedModes) {
                    Optional<String> passedId = passed.get().id(mode);
                    if (passedId.isEmpty()) continue;
                    Optional<Expected> expected = expectedId(callee.get(), cb, mode);
                    if (expected.isEmpty() || expected.get().id().equals(passedId.get())) continue;
                    int parameter = expected.get().parameter();
                    if (!reported.add(cb.callee() + "\u0000" + cb.passed() + "\u0000" + parameter)) break;
                    findings.add(mismatch(Rule.CALLBACK_MISMATCH, cb.passed(),
                            cb.function() + " passes " + cb.passed() + " to " + cb.callee() + " (parameter " + (parameter + 1)
                                    + "), which calls it through a pointer of type id " + expected.get().id() + ", but " + cb.passed()
                                    + " carries " + passedId.get() + ": the call back traps",
                            callee.get(), location(expected.get(), callee.get(), cb), passed.get(),
                            new Finding.Location(passed.get().where(), "passed function", passedId.get(), explain.decoded(passedId.get())),
                            callbackFix(cb, isRust(callee.get().module()) == isRust(passed.get().module()))));
                    break;
                }
            }
        }
    }

    /** The id a cfi-icall callee's call through a callback's parameter tests, and which id parameter that is. */
    private record Expected(int parameter, String id) {}

    /** Where a finding shows the expected id: the callee's parameter, decoded (only for findings: decoding is cold code). */
    private Finding.Location location(Expected e, Site callee, CallbackArgument cb) {
        return new Finding.Location(callee.where(), "callee parameter " + (e.parameter() + 1) + " of " + cb.callee(), e.id(), explain.decoded(e.id()));
    }

    /** In {@code mode}: decoded from the callee's own id, once per callee id and parameter. */
    private Optional<Expected> expectedId(Site callee, CallbackArgument cb, CfiMode mode) {
        Optional<String> calleeId = callee.id(mode);
        if (calleeId.isEmpty()) return Optional.empty();
        String id = calleeId.get();
        Optional<Integer> parameter = parameters.computeIfAbsent(id + '\0' + cb.arguments() + '\0' + cb.argument(), k -> parameterOf(id, cb));
        if (parameter.isEmpty()) return Optional.empty();
        Optional<String> expected = expectedIds.computeIfAbsent(id + '\0' + parameter.get(), k -> explain.expectedCallbackId(id, parameter.get()));
        return expected.map(e -> new Expected(parameter.get(), e));
    }

    /** The KCFI-checked calls a callee makes through the callback's parameter (the kcfi bundles its body has there). */
    private static List<KcfiCall> callsThrough(Site callee, CallbackArgument cb) {
        List<KcfiCall> calls = new ArrayList<>(1);
        for (KcfiCall call : callee.module().kcfiCalls()) if (call.function().equals(cb.callee()) && call.parameter() == cb.argument()) calls.add(call);
        return calls;
    }

    /**
     * A function defined in a module built without CFI, passed to a callee that checks its call
     * through that parameter: the function carries no id and no hash, so no check can pass. Under
     * cfi-icall only a definition inside the LTO unit counts: one linked as native code (embedded
     * bitcode) is reached through the jump-table entry LowerTypeTests makes from a declaration,
     * which carries the id. True when the callback is settled here (reported, or already reported).
     */
    private boolean unhardenedCallback(CallbackArgument cb, Site callee, Site passed, Set<String> reported) {
        Scheme checking = scheme(callee.module());
        if (!passed.function().definition() || scheme(passed.module()) != Scheme.NONE || checking == Scheme.NONE) return false;
        if (checking == Scheme.CFI_ICALL && passed.module().embedded()) return false;
        Finding.Location expected = null;
        String check = null;
        if (checking == Scheme.KCFI) {
            for (KcfiCall call : callsThrough(callee, cb)) {
                expected = hashSide(callee.where(), "callee argument " + (cb.argument() + 1) + " of " + cb.callee(), call.hash(), callee.module(),
                        call.signature()).location();
                check = "with a KCFI check for " + hex(call.hash());
                break;
            }
        } else {
            for (CfiMode mode : testedModes) {
                Optional<Expected> want = expectedId(callee, cb, mode);
                if (want.isEmpty()) continue;
                expected = location(want.get(), callee, cb);
                check = "through a pointer of type id " + want.get().id();
                break;
            }
        }
        if (expected == null) return false;
        if (!reported.add(cb.callee() + "\u0000" + cb.passed() + "\u0000" + cb.argument())) return true;
        boolean kcfi = checking == Scheme.KCFI;
        String sanitizer = kcfi ? "-fsanitize=kcfi (rustc -Zsanitizer=kcfi)" : "-fsanitize=cfi-icall (rustc -Zsanitizer=cfi)";
        findings.add(new Finding(Rule.CALLBACK_MISMATCH, cb.passed(),
                cb.function() + " passes " + cb.passed() + " to " + cb.callee() + " (argument " + (cb.argument() + 1) + "), which calls it " + check
                        + ", but " + cb.passed() + " is defined in a module built without " + (kcfi ? "KCFI" : "CFI") + " and carries no "
                        + (kcfi ? "hash" : "type id") + ": the call back traps",
                List.of(expected, new Finding.Location(passed.where(), "passed function", "", "built without " + (kcfi ? "KCFI" : "CFI"))),
                "build the module that defines " + cb.passed() + " with " + sanitizer + " as well"));
        return true;
    }

    /**
     * KCFI: the callee's own body says which hash its call through that parameter checks (the
     * {@code kcfi} bundle on a call of the parameter), so no id has to be decoded.
     */
    private boolean kcfiCallback(CallbackArgument cb, Site callee, Site passed, Set<String> reported) {
        if (!callee.module().flags().kcfi() || passed.function().kcfiType().isEmpty()) return false;
        int carried = passed.function().kcfiType().getAsInt();
        for (KcfiCall call : callsThrough(callee, cb)) {
            if (call.hash() == carried) continue;
            if (!reported.add(cb.callee() + "\u0000" + cb.passed() + "\u0000" + cb.argument())) return true;
            HashSide expected = hashSide(callee.where(), "callee argument " + (cb.argument() + 1) + " of " + cb.callee(), call.hash(), callee.module(),
                    call.signature());
            HashSide actual = hashSide(passed.where(), "passed function", carried, passed.module(), passed.function().signature());
            findings.add(mismatch(Rule.CALLBACK_MISMATCH, cb.passed(), cb.function() + " passes " + cb.passed() + " to " + cb.callee() + " (argument "
                            + (cb.argument() + 1) + "), which calls it with a KCFI check for " + hex(call.hash()) + ", but " + cb.passed() + " carries "
                            + hex(carried) + ": the call back traps", callee, expected.location(), expected.id(), passed, actual.location(), actual.id(),
                    callbackFix(cb, isRust(callee.module()) == isRust(passed.module()))));
            return true;
        }
        return true;
    }

    /**
     * The function a name in {@code caller} means: its own static function of that name, else the
     * exported definition wherever it is, else the declaration the calling module sees.
     */
    private Optional<Site> site(String name, ModuleFacts caller) {
        Map<String, Site> own = locals.get(caller);
        Site local = own == null ? null : own.get(name);
        if (local != null) return Optional.of(local);
        Site def = definition(name);
        if (def != null) return Optional.of(def);
        for (Site s : declarations.getOrDefault(name, List.of())) if (s.module() == caller) return Optional.of(s);
        return Optional.empty();
    }

    /**
     * Which id parameter IR argument {@code cb.argument()} is. They coincide when the counts agree;
     * otherwise (a Rust slice is two IR arguments, an sret pointer one more) only a lone
     * function-pointer parameter is certain.
     */
    private Optional<Integer> parameterOf(String calleeId, CallbackArgument cb) {
        Optional<Integer> count = explain.parameterCount(calleeId);
        if (count.isPresent() && count.get() == cb.arguments()) return Optional.of(cb.argument());
        List<Integer> pointers = explain.functionPointerParameters(calleeId);
        return pointers.size() == 1 ? Optional.of(pointers.get(0)) : Optional.empty();
    }

    // --- unsatisfiable-check --------------------------------------------------------------------------

    private void unsatisfiableChecks() {
        // per function, the ids and hashes already reported (a function may test one id many times)
        Map<String, Set<Object>> reported = new HashMap<>();
        for (ModuleFacts m : modules) {
            for (TypeTest t : m.typeTests()) unsatisfiable(m, t, reported);
            for (KcfiCall k : m.kcfiCalls()) {
                if (carriedHashes.contains(k.hash()) || !firstTime(reported, k.function(), k.hash())) continue;
                findings.add(new Finding(Rule.UNSATISFIABLE_CHECK, k.function(),
                        k.function() + " makes a KCFI-checked call expecting hash " + hex(k.hash()) + ", which no function in the analysed modules carries",
                        List.of(hashSide(where(m), "kcfi call", k.hash(), m, k.signature()).location()),
                        "if the target is in a module not given to xcfi, add it; otherwise fix the callee's type"));
            }
        }
    }

    private void unsatisfiable(ModuleFacts m, TypeTest t, Map<String, Set<Object>> reported) {
        if (!(t.id() instanceof TypeIdRef.Named n) || carriedIds.contains(n.id()) || !firstTime(reported, t.function(), n.id())) return;
        findings.add(new Finding(Rule.UNSATISFIABLE_CHECK, t.function(),
                t.function() + " checks indirect calls against " + n.id() + ", which no function in the analysed modules carries: every such call traps",
                List.of(new Finding.Location(where(m), "type test", n.id(), explain.decoded(n.id()))),
                "if the target is in a module not given to xcfi, add it; otherwise fix the callee's type so its id is " + n.id()));
    }

    private static boolean firstTime(Map<String, Set<Object>> reported, String function, Object what) {
        return reported.computeIfAbsent(function, k -> new HashSet<>()).add(what);
    }

    // --- internal-type-id -----------------------------------------------------------------------------

    private void internalTypeIds() {
        definitions.forEach((name, defs) -> {
            Site def = definition(name);
            if (!hasDistinctId(def.function())) return;
            List<Site> users = declarations.getOrDefault(name, List.of()).stream().filter(s -> s.module() != def.module()).toList();
            if (users.isEmpty()) return;
            List<Finding.Location> locations = new ArrayList<>();
            locations.add(new Finding.Location(def.where(), "definition", "distinct !{}", "a type without linkage"));
            users.forEach(u -> locations.add(new Finding.Location(u.where(), "use", "", "")));
            findings.add(new Finding(Rule.INTERNAL_TYPE_ID, name,
                    name + " has a type without linkage (its id is a module-local node), but other modules use it: their checks can never match it",
                    locations, "give the types in its signature linkage (name them outside anonymous namespaces or static scopes)"));
        });
    }

    private static boolean hasDistinctId(FunctionFacts f) {
        for (TypeAttachment t : f.typeIds()) if (t.id() instanceof TypeIdRef.Distinct) return true;
        return false;
    }

    // --- shared -------------------------------------------------------------------------------------

    /** {@code sameLanguage}: the repair when both sides come from one compiler (no encoding attribute can bridge them). */
    private Finding mismatch(Rule rule, String symbol, String message, Site siteA, Finding.Location a, Site siteB, Finding.Location b,
                             String sameLanguage) {
        return mismatch(rule, symbol, message, siteA, a, Optional.of(a.typeId()), siteB, b, Optional.of(b.typeId()), sameLanguage);
    }

    /**
     * Two sides that disagree: the message, with the part that differs when both ids are known
     * ({@code idA}, {@code idB}: a type id, or the id a KCFI hash was found to be the hash of), and
     * a repair; {@code sameLanguage}: the repair when both sides come from one compiler.
     */
    private Finding mismatch(Rule rule, String symbol, String message, Site siteA, Finding.Location a, Optional<String> idA,
                             Site siteB, Finding.Location b, Optional<String> idB, String sameLanguage) {
        Optional<IdExplainer.Difference> part = idA.isPresent() && idB.isPresent() ? explain.difference(idA.get(), idB.get()) : Optional.empty();
        String text = part.map(p -> message + "; " + p.text()).orElse(message);
        return new Finding(rule, symbol, text, List.of(a, b), Fixes.suggest(isRust(siteA.module()), isRust(siteB.module()), part, sameLanguage));
    }

    /**
     * The repair of a callback whose type differs from the pointer it is called through; within one
     * language the usual cause is a cast where it is passed, which the check does not see.
     */
    private static String callbackFix(CallbackArgument cb, boolean sameLanguage) {
        String fix = "give " + cb.passed() + " exactly the parameter and return types of the function pointer " + cb.callee() + " expects";
        return sameLanguage ? fix + " (a cast where it is passed does not change the id the call checks), or pass a wrapper of that type that calls it" : fix;
    }

    /** Whether rustc wrote the module (its producer reads like "LLVM22.1.2-rust-1.95.0-stable"). */
    private static boolean isRust(ModuleFacts m) {
        return m.producer().contains("-rust-");
    }

    /** One side of a KCFI mismatch: its location, whose hash is named where it can be ({@link KcfiNames}), and that id. */
    private record HashSide(Finding.Location location, Optional<String> id) {}

    private HashSide hashSide(String where, String role, int hash, ModuleFacts module, String signature) {
        Optional<KcfiNames.HashedId> named = hashIds.idOf(hash, module, signature);
        String decoded = named.map(h -> "hash of " + h.id() + (h.fnv() ? " (FNV-1a)" : "") + ": " + explain.decoded(h.id())).orElse("");
        return new HashSide(new Finding.Location(where, role, hex(hash), decoded), named.map(KcfiNames.HashedId::id));
    }

    static String hex(int hash) {
        return String.format("0x%08x", hash);
    }
}
