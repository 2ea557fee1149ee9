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
    private final Sides sides;
    private final List<Finding> findings;
    /** Per function, the ids and hashes already reported (a function may test one id many times). */
    private final Map<String, Set<Object>> reported = new HashMap<>();

    private UnsatisfiableChecks(Sides sides, List<Finding> findings) {
        this.sides = sides;
        this.findings = findings;
    }

    static void find(Program program, Sides sides, List<Finding> findings) {
        UnsatisfiableChecks rule = new UnsatisfiableChecks(sides, findings);
        for (Program.Uncarried u : program.uncarried()) {
            if (u instanceof Program.Uncarried.Test t) rule.check(t.module(), t.test(), t.id());
            else if (u instanceof Program.Uncarried.Kcfi k) rule.check(k.module(), k.call());
        }
    }

    private void check(ModuleFacts m, TypeTest t, TypeIdRef.Named n) {
        if (!CallChecks.needsCarrier(m, n) || !firstTime(t.function(), n.id())) return;
        findings.add(new Finding(Rule.UNSATISFIABLE_CHECK, t.function(),
                Sides.name(t.function()) + " checks indirect calls against " + n.id() + ", which no function in the analysed modules carries: every such call traps",
                List.of(sides.id(m, t.source(), "type test", n.id()).location()),
                "if the target is in a module not given to xcfi, add it; otherwise fix the callee's type so its id is " + n.id()));
    }

    private void check(ModuleFacts m, KcfiCall k) {
        if (!CallChecks.needsCarrier(m, k) || !firstTime(k.function(), k.hash())) return;
        findings.add(new Finding(Rule.UNSATISFIABLE_CHECK, k.function(),
                Sides.name(k.function()) + " makes a KCFI-checked call expecting hash " + Sides.hex(k.hash()) + ", which no function in the analysed modules carries",
                List.of(sides.hash(k.source(), "kcfi call", k.hash(), m, k.signature()).location()),
                "if the target is in a module not given to xcfi, add it; otherwise fix the callee's type"));
    }

    private boolean firstTime(String function, Object what) {
        return reported.computeIfAbsent(function, k -> new HashSet<>()).add(what);
    }
}
