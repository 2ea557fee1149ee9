package dev.xcfi.verify.report;

import dev.xcfi.verify.check.Finding;
import dev.xcfi.verify.check.Rule;
import dev.xcfi.verify.facts.ModuleFacts;

import java.util.List;
import java.util.Optional;

/**
 * A verification run: what was read, what was found, which inputs could not be read, and, when a
 * baseline was given, which findings it already had and which of its findings are gone.
 */
public record Report(List<Input> inputs, List<Finding> findings, List<InputError> errors, Optional<Baseline.Comparison> baseline) {
    public Report {
        inputs = List.copyOf(inputs);
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
    }

    public Report(List<Input> inputs, List<Finding> findings, List<InputError> errors) {
        this(inputs, findings, errors, Optional.empty());
    }

    /** One file, the reader that read it ({@code java} or {@code llvm}), and its modules. */
    public record Input(String path, String reader, List<ModuleFacts> modules) {}

    /** A file that could not be read, and why. */
    public record InputError(String path, String message) {}

    /** Whether the baseline had this finding already. */
    public boolean isKnown(Finding f) {
        return baseline.isPresent() && baseline.get().isKnown(f);
    }

    /** The findings of a severity that the baseline did not have (all of them without a baseline). */
    public long count(Rule.Severity severity) {
        return findings.stream().filter(f -> f.rule().severity() == severity && !isKnown(f)).count();
    }

    /** 2 if an input could not be read, else 1 if any new error finding, else 0. */
    public int exitStatus() {
        return exitStatus(false);
    }

    /** As {@link #exitStatus()}, with new warnings failing the run too when {@code warnings}. */
    public int exitStatus(boolean warnings) {
        if (!errors.isEmpty()) return 2;
        return count(Rule.Severity.ERROR) > 0 || warnings && count(Rule.Severity.WARNING) > 0 ? 1 : 0;
    }
}
