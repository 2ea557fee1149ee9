package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.StoredFunction;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * table-entry-mismatch: a function stored by one language (held by a C operations table or a Rust
 * static of a {@code #[repr(C)]} struct, or written to memory: {@code ops->log = f}, a Rust struct
 * of callbacks built at run time) carries an id that no checked call tests, while a call in the
 * other language tests an id of the same shape ({@link IdExplainer#shape}): the same type but for
 * how integers are spelled (C's {@code long} against Rust's {@code i64}) or what its records are
 * called ({@code struct ctx *} against a hand-written binding's {@code *mut Ctx}). Pointers are
 * opaque in the IR, so which calls read the table cannot be seen; a function whose id nothing
 * tests next to a tested twin is what such a call looks like. A warning, not an error: the
 * function may only be called by code outside the analysed modules. Under KCFI the same with
 * hashes, each named by the id it hashes ({@link KcfiNames}); where the entry's hash cannot be
 * named (struct pointers), a call of the same IR type expecting a hash nothing carries.
 *
 * <p>Also, in any program: a function defined in a module built without the sanitizer but stored
 * by one built with it (it carries no id or hash at all).
 *
 * <p>Twins only across languages: within C the same cast is for clang's
 * {@code -Wcast-function-type-strict}, and comparing every untested entry with every test
 * re-encodes hundreds of ids in a large C program (15 ms of SQLite's 180).
 */
final class TableEntryMismatches {
    private final Program program;
    private final Sides sides;
    private final List<Finding> findings;
    /** Per language (true: rustc's) and tested mode: the ids tested, each with its first test in module order. */
    private final Map<Boolean, Map<CfiMode, Map<String, Tested>>> tested = new HashMap<>();
    /** The same, by the ids' shapes ({@link IdExplainer#shape}); worked out on the first entry that needs it. */
    private final Map<Boolean, Map<CfiMode, Map<String, Tested>>> byShape = new HashMap<>();
    /** Per language: the hashes KCFI-checked calls expect, each with its first call; and by the shape of the id each hashes. */
    private final Map<Boolean, Map<Integer, Called>> called = new HashMap<>();
    private final Map<Boolean, Map<String, Called>> calledByShape = new HashMap<>();
    /** Every id and hash some check tests, whatever its language: an entry carrying one of them is reachable. */
    private final Set<String> anyTested = new HashSet<>();
    private final Set<Integer> anyCalled = new HashSet<>();
    private final Set<String> reported = new HashSet<>();

    /** A type test and the module it is in. */
    private record Tested(ModuleFacts module, TypeTest test, String id) {}

    /** A KCFI-checked call and the module it is in. */
    private record Called(ModuleFacts module, KcfiCall call) {}

    private TableEntryMismatches(Program program, Sides sides, List<Finding> findings) {
        this.program = program;
        this.sides = sides;
        this.findings = findings;
    }

    static void find(Program program, Sides sides, List<Finding> findings) {
        boolean rust = false, c = false, unhardened = false;
        for (ModuleFacts m : program.modules()) {
            if (Site.isRust(m)) rust = true;
            else c = true;
            unhardened |= program.scheme(m) == Scheme.NONE;
        }
        TableEntryMismatches rule = new TableEntryMismatches(program, sides, findings);
        if (unhardened) {
            for (ModuleFacts m : program.modules()) {
                if (program.scheme(m) == Scheme.NONE) continue;
                for (StoredFunction s : m.stored()) rule.unhardened(m, s);
            }
        }
        if (!rust || !c) return;
        for (ModuleFacts m : program.modules()) {
            for (TypeTest t : m.typeTests()) rule.index(m, t);
            for (KcfiCall k : m.kcfiCalls()) rule.index(m, k);
        }
        if (rule.anyTested.isEmpty() && rule.anyCalled.isEmpty()) return;
        for (ModuleFacts m : program.modules()) for (StoredFunction s : m.stored()) rule.check(m, s);
    }

    private void index(ModuleFacts m, TypeTest t) {
        if (!(t.id() instanceof TypeIdRef.Named n) || !CallChecks.needsCarrier(m, n)) return;
        anyTested.add(n.id());
        tested.computeIfAbsent(Site.isRust(m), k -> new HashMap<>()).computeIfAbsent(CfiMode.ofSuffixes(n.id()), k -> new LinkedHashMap<>())
                .putIfAbsent(n.id(), new Tested(m, t, n.id()));
    }

    private void index(ModuleFacts m, KcfiCall k) {
        if (!CallChecks.needsCarrier(m, k)) return;
        anyCalled.add(k.hash());
        called.computeIfAbsent(Site.isRust(m), x -> new LinkedHashMap<>()).putIfAbsent(k.hash(), new Called(m, k));
    }

    /**
     * A function defined in a module built without the sanitizer, stored by a module built with
     * it ({@link Program#unhardened}): it carries no id or hash, so a checked call through what
     * holds it traps whatever its type.
     */
    private void unhardened(ModuleFacts m, StoredFunction s) {
        Scheme scheme = program.scheme(m);
        Site stored = program.site(s.function(), m).orElse(null);
        if (stored == null || !program.unhardened(scheme, stored) || !firstReport(s)) return;
        findings.add(new Finding(Rule.TABLE_ENTRY_MISMATCH, s.function(),
                Sides.name(s.function()) + " is stored " + s.placed() + " by a module built with " + scheme.label() + ", but is defined in a module "
                        + "built without it and carries no " + scheme.carried() + ": a checked call that reaches it traps",
                List.of(new Finding.Location(Site.where(m), "stored " + s.where(), "", "built with " + scheme.label(), s.source()),
                        new Finding.Location(stored.where(), "definition", "", "built without " + scheme.label(), stored.function().source())),
                Sides.rebuild(s.function(), scheme)));
    }

    /** One finding per function and place it is stored, whichever way it is found. */
    private boolean firstReport(StoredFunction s) {
        return reported.add(s.where() + '\0' + s.function());
    }

    private void check(ModuleFacts m, StoredFunction s) {
        Optional<Site> stored = program.site(s.function(), m);
        if (stored.isEmpty()) return;
        if (stored.get().function().kcfiType().isPresent()) checkHash(s, stored.get());
        else checkId(s, stored.get());
    }

    private void checkId(StoredFunction s, Site stored) {
        boolean other = !stored.isRust();
        for (CfiMode mode : program.testedModes()) {
            Optional<String> carried = stored.id(mode);
            if (carried.isEmpty()) continue;
            if (anyTested.contains(carried.get())) return;
            Map<String, Tested> tests = tested.getOrDefault(other, Map.of()).get(mode);
            if (tests == null) continue;
            Tested twin = sides.explain().shape(carried.get(), Site.writer(stored.module())).map(k -> shapedTests(other, mode, tests).get(k)).orElse(null);
            if (twin == null || !firstReport(s)) return;
            Site tester = program.site(twin.test().function(), twin.module()).orElse(stored);
            findings.add(sides.mismatch(Rule.TABLE_ENTRY_MISMATCH, s.function(),
                    Sides.name(s.function()) + " is stored " + s.placed() + " and carries " + carried.get() + ", which no checked call tests, but "
                            + Sides.name(twin.test().function()) + " checks calls against " + twin.id() + ", a type " + SAME_SHAPE + ": if those calls reach it, they trap",
                    tester, sides.id(twin.module(), twin.test().source(), "type test in " + twin.test().function(), twin.id()),
                    stored, sides.id(stored.module(), stored.function().source(), "function stored " + s.where(), carried.get()), fix(s)));
            return;
        }
    }

    /** What makes two types twins ({@link IdExplainer#shape}), as a finding says it. */
    private static final String SAME_SHAPE = "of the same shape (it differs only in how integers, records or pointers are spelled, "
            + "or how substitutions are numbered)";

    private void checkHash(StoredFunction s, Site stored) {
        int carried = stored.function().kcfiType().getAsInt();
        boolean other = !stored.isRust();
        Map<Integer, Called> calls = called.get(other);
        if (anyCalled.contains(carried) || calls == null) return;
        Optional<String> carriedId = sides.hashedId(carried, stored.module(), stored.function().signature());
        Optional<String> key = carriedId.flatMap(id -> sides.explain().shape(id, Site.writer(stored.module())));
        Called twin = key.map(k -> shapedCalls(other, calls).get(k)).orElse(null);
        String why = "the hash of a type " + SAME_SHAPE;
        String fix = fix(s);
        if (twin == null && !isRustVtable(s, stored)) {
            twin = orphanedCall(calls, stored.function().signature());
            why = "a hash no function carries, through the same IR type " + stored.function().signature()
                    + (twin == null ? "" : unnamed(carriedId.isPresent(), sides.hashedId(twin.call().hash(), twin.module(), twin.call().signature()).isPresent()));
            fix = "declare " + (stored.isRust() ? Sides.name(s.function()) : "the Rust function-pointer type that calls it") + " with exactly the "
                    + "C types of the other side: each struct named as C's tag (or given its encoding with #[cfi_encoding]), each integer as C's "
                    + "(the cfi_types crate's newtypes), or build both sides with integer normalization if only integers differ";
        }
        if (twin == null || !firstReport(s)) return;
        KcfiCall call = twin.call();
        Site caller = program.site(call.function(), twin.module()).orElse(stored);
        findings.add(sides.mismatch(Rule.TABLE_ENTRY_MISMATCH, s.function(),
                Sides.name(s.function()) + " is stored " + s.placed() + " and carries KCFI hash " + Sides.hex(carried) + ", which no checked call expects, but "
                        + Sides.name(call.function()) + " makes KCFI-checked calls expecting " + Sides.hex(call.hash()) + ", " + why
                        + ": if those calls reach it, they trap",
                caller, sides.hash(call.source(), "kcfi call in " + call.function(), call.hash(), twin.module(), call.signature()),
                stored, sides.hash(stored.function().source(), "function stored " + s.where(), carried, stored.module(), stored.function().signature()),
                fix));
    }

    /**
     * Why an entry and an orphaned call of one IR type are paired by that type alone: which hash
     * cannot be named (a struct pointer's name is not in the IR; a module's debug information gives
     * it), or, both named, that they differ in more than integer spellings and record names.
     */
    private static String unnamed(boolean entryNamed, boolean callNamed) {
        if (entryNamed && callNamed) return " (the two types differ in more than how integers are spelled or what records are called)";
        String which = entryNamed ? "the call's hash cannot" : callNamed ? "the entry's hash cannot" : "neither hash can";
        return " (" + which + " be named: a struct pointer's name is not in the IR; debug information, -g, gives it)";
    }

    /**
     * rustc's trait-object vtables ({@code vtable.0}, …): their methods take {@code &self} and are
     * called by Rust's own checked calls, never by C; an IR type alone must not pair them with C.
     */
    private static boolean isRustVtable(StoredFunction s, Site stored) {
        return s.kind() == StoredFunction.Kind.INITIALIZER && stored.isRust() && s.holder().matches("vtable\\.\\d+");
    }

    /**
     * When neither hash can be named: the first call of the other language that expects a hash no
     * function in the program carries (an unsatisfiable check) through the same IR type. Two
     * orphans of one IR type across a language boundary are what a mistyped table entry leaves.
     */
    private Called orphanedCall(Map<Integer, Called> calls, String signature) {
        if (signature.isEmpty()) return null;
        for (Called c : calls.values()) if (c.call().signature().equals(signature) && !program.carries(c.call().hash())) return c;
        return null;
    }

    private static String fix(StoredFunction s) {
        return "give " + Sides.name(s.function()) + " exactly the type of the function pointer it is stored as (a cast where it is stored "
                + "does not change the id calls check), or store a wrapper of that type that calls it";
    }

    private Map<String, Tested> shapedTests(boolean rust, CfiMode mode, Map<String, Tested> tests) {
        return byShape.computeIfAbsent(rust, k -> new HashMap<>()).computeIfAbsent(mode, k -> {
            Map<String, Tested> index = new HashMap<>();
            for (Tested t : tests.values()) sides.explain().shape(t.id(), Site.writer(t.module())).ifPresent(n -> index.putIfAbsent(n, t));
            return index;
        });
    }

    private Map<String, Called> shapedCalls(boolean rust, Map<Integer, Called> calls) {
        return calledByShape.computeIfAbsent(rust, k -> {
            Map<String, Called> index = new HashMap<>();
            for (Called c : calls.values()) {
                sides.hashedId(c.call().hash(), c.module(), c.call().signature()).flatMap(id -> sides.explain().shape(id, Site.writer(c.module())))
                        .ifPresent(n -> index.putIfAbsent(n, c));
            }
            return index;
        });
    }
}
