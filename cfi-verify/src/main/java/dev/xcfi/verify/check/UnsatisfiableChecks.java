package dev.xcfi.verify.check;

import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** unsatisfiable-check: an indirect-call check for an id or hash no function in the analysed modules carries. */
final class UnsatisfiableChecks {
    private final Program program;
    private final Sides sides;
    private final List<Finding> findings;
    /**
     * rustc's drop glue for a {@code dyn} value: the call through the vtable's drop entry, typed
     * {@code fn(*mut dyn Drop)}. rustc leaves the entry null for a type without drop glue and tests
     * it for null before the checked call, so when no function carries this id nothing is called:
     * not an unsatisfiable check. Its id names core's path (any disambiguator); under KCFI, its hash
     * with rustc 1.95's core, plain and normalized.
     */
    private static final java.util.regex.Pattern RUST_DROP_GLUE =
            java.util.regex.Pattern.compile("_ZTSFvPu3dynIu\\d+NtNtNtC\\w+_4core3ops4drop4Dropu6regionEE(\\.normalized)?");
    private static final String RUST_1_95_DROP_GLUE = "_ZTSFvPu3dynIu39NtNtNtC" + dev.xcfi.types.rust.RustStd.RUSTC_1_95_CRATES.get("core")
            + "4core3ops4drop4Dropu6regionEE";
    private static final Set<Integer> RUST_DROP_GLUE_HASHES = Set.of(dev.xcfi.encoding.KcfiHash.XXHASH64.hash(RUST_1_95_DROP_GLUE),
            dev.xcfi.encoding.KcfiHash.XXHASH64.hash(RUST_1_95_DROP_GLUE + ".normalized"));
    /** Per function, the ids and hashes already reported (a function may test one id many times). */
    private final Map<String, Set<Object>> reported = new HashMap<>();

    private UnsatisfiableChecks(Program program, Sides sides, List<Finding> findings) {
        this.program = program;
        this.sides = sides;
        this.findings = findings;
    }

    static void find(Program program, Sides sides, List<Finding> findings) {
        UnsatisfiableChecks rule = new UnsatisfiableChecks(program, sides, findings);
        for (ModuleFacts m : program.modules()) {
            for (TypeTest t : m.typeTests()) rule.check(m, t);
            for (KcfiCall k : m.kcfiCalls()) rule.check(m, k);
        }
    }

    // one method per item: these loops run once, and C1 compiles a method after a few hundred calls but a loop only after tens of thousands of turns
    private void check(ModuleFacts m, TypeTest t) {
        // a class or member-function id (C++'s vcall, cast and mfcall checks) is carried by vtables, which are not read
        if (!(t.id() instanceof TypeIdRef.Named n) || !n.isFunctionType() || program.carries(n.id())) return;
        if (Site.isRust(m) && RUST_DROP_GLUE.matcher(n.id()).matches() || !firstTime(t.function(), n.id())) return;
        findings.add(new Finding(Rule.UNSATISFIABLE_CHECK, t.function(),
                Sides.name(t.function()) + " checks indirect calls against " + n.id() + ", which no function in the analysed modules carries: every such call traps",
                List.of(sides.id(Site.where(m), t.source(), "type test", n.id()).location()),
                "if the target is in a module not given to xcfi, add it; otherwise fix the callee's type so its id is " + n.id()));
    }

    private void check(ModuleFacts m, KcfiCall k) {
        if (program.carries(k.hash()) || Site.isRust(m) && RUST_DROP_GLUE_HASHES.contains(k.hash()) || !firstTime(k.function(), k.hash())) return;
        findings.add(new Finding(Rule.UNSATISFIABLE_CHECK, k.function(),
                Sides.name(k.function()) + " makes a KCFI-checked call expecting hash " + Sides.hex(k.hash()) + ", which no function in the analysed modules carries",
                List.of(sides.hash(Site.where(m), k.source(), "kcfi call", k.hash(), m, k.signature()).location()),
                "if the target is in a module not given to xcfi, add it; otherwise fix the callee's type"));
    }

    private boolean firstTime(String function, Object what) {
        return reported.computeIfAbsent(function, k -> new HashSet<>()).add(what);
    }
}
