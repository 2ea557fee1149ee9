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
        return List.copyOf(findings);
    }
}
