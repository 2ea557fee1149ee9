package dev.xcfi.verify.report;

import dev.xcfi.verify.check.Finding;
import dev.xcfi.verify.check.Rule;
import dev.xcfi.verify.facts.ModuleFacts;

import java.util.List;

/** A verification run: what was read, what was found, and which inputs could not be read. */
public record Report(List<Input> inputs, List<Finding> findings, List<InputError> errors) {
    public Report {
        inputs = List.copyOf(inputs);
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
    }

    /** One file, the reader that read it ({@code java} or {@code llvm}), and its modules. */
    public record Input(String path, String reader, List<ModuleFacts> modules) {}

    /** A file that could not be read, and why. */
    public record InputError(String path, String message) {}

    public long count(Rule.Severity severity) {
        return findings.stream().filter(f -> f.rule().severity() == severity).count();
    }

    /** 2 if an input could not be read, else 1 if any error finding, else 0. */
    public int exitStatus() {
        if (!errors.isEmpty()) return 2;
        return count(Rule.Severity.ERROR) > 0 ? 1 : 0;
    }
}
