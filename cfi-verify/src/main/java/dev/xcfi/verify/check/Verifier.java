package dev.xcfi.verify.check;

import dev.xcfi.verify.facts.ModuleFacts;

import java.util.ArrayList;
import java.util.List;

/** Runs every rule over the modules that will be linked together, in the order reports list their findings. */
public final class Verifier {
    private Verifier() {}

    public static List<Finding> verify(List<ModuleFacts> modules) {
        Program program = new Program(modules);
        Sides sides = new Sides(program);
        List<Finding> findings = new ArrayList<>();
        SchemeMismatches.find(program, findings);
        DeclarationMismatches.find(program, sides, findings);
        CallbackMismatches.find(program, sides, findings);
        UnsatisfiableChecks.find(program, sides, findings);
        TableEntryMismatches.find(program, sides, findings);
        InternalTypeIds.find(program, findings);
        return withCauses(findings);
    }

    /**
     * A check no function can pass is often the other half of a mismatch already reported: the
     * callback or table entry meant for it carries another type. Such a check says which finding is
     * why, so a report reads as one story rather than two.
     */
    private static List<Finding> withCauses(List<Finding> findings) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Finding cause = f.rule() == Rule.UNSATISFIABLE_CHECK ? causeOf(f, findings) : null;
            out.add(cause == null ? f : new Finding(f.rule(), f.symbol(), f.message() + "; the " + cause.rule().id() + " of "
                    + Sides.name(cause.symbol()) + " is why", f.locations(), f.fix()));
        }
        return List.copyOf(out);
    }

    /** The callback or table-entry mismatch whose expected id (or hash) is the one {@code check} tests, if any. */
    private static Finding causeOf(Finding check, List<Finding> findings) {
        String tested = check.locations().getFirst().typeId();
        for (Finding f : findings) {
            if ((f.rule() == Rule.CALLBACK_MISMATCH || f.rule() == Rule.TABLE_ENTRY_MISMATCH) && !f.locations().isEmpty()
                    && f.locations().getFirst().typeId().equals(tested)) {
                return f;
            }
        }
        return null;
    }
}
