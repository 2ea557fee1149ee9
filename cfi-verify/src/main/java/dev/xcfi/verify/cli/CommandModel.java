package dev.xcfi.verify.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.Map;

/**
 * One command's picocli model, written in code instead of annotations. The parser, the help and
 * the errors are picocli's either way; but the JDK represents each annotation type by a proxy class
 * it generates at run time, and generating those was 40 ms of a 150 ms {@code xcfi verify} run
 * (docs/performance.md). Options are listed in the order they are declared, help and version last.
 */
final class CommandModel {
    private final CommandSpec spec;
    private boolean finished;

    /** {@code command} is what picocli calls when this command is the one named: a {@code Callable<Integer>} or a {@code Runnable}. */
    CommandModel(String name, Object command, String... description) {
        spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(name);
        spec.versionProvider(Main.VERSION);
        spec.usageMessage().description(description).sortOptions(false);
    }

    /** An option taking one value, converted to {@code type} (enums by constant name). */
    OptionSpec option(String name, Class<?> type, String defaultValue, String label, String... description) {
        return add(OptionSpec.builder(name).type(type).defaultValue(defaultValue).paramLabel(label).description(description));
    }

    /** A string option whose known values the help lists where the description says {@code ${COMPLETION-CANDIDATES}}. */
    OptionSpec choice(String name, Iterable<String> known, String label, String... description) {
        return add(OptionSpec.builder(name).type(String.class).completionCandidates(known).paramLabel(label).description(description));
    }

    /** An option taking no value: true when given. */
    OptionSpec flag(String name, String... description) {
        return add(OptionSpec.builder(name).type(boolean.class).arity("0").initialValue(false).description(description));
    }

    /** An option that may be given many times; its value is a {@code List} of {@code type}, empty when never given. */
    OptionSpec repeated(String name, Class<?> type, String label, String... description) {
        return add(OptionSpec.builder(name).type(List.class).auxiliaryTypes(type).initialValue(new java.util.ArrayList<>())
                .paramLabel(label).description(description));
    }

    /** A repeatable {@code KEY=VALUE} option; its value is a {@code Map<String, String>} in the order given. */
    OptionSpec keyValues(String name, String label, String... description) {
        return add(OptionSpec.builder(name).type(Map.class).auxiliaryTypes(String.class, String.class)
                .initialValue(new java.util.LinkedHashMap<>()).paramLabel(label).description(description));
    }

    /** The operands: one or more, each converted to {@code type}; the value is a {@code List}. */
    PositionalParamSpec operands(Class<?> type, String label, String... description) {
        PositionalParamSpec p = PositionalParamSpec.builder().type(List.class).auxiliaryTypes(type).arity("1..*").required(true)
                .paramLabel(label).description(description).build();
        spec.addPositional(p);
        return p;
    }

    /** The finished model, with {@code -h/--help} and {@code -V/--version} after the command's own options. */
    CommandSpec spec() {
        if (!finished) {
            finished = true;
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
            spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
        }
        return spec;
    }

    private OptionSpec add(OptionSpec.Builder option) {
        OptionSpec o = option.build();
        spec.addOption(o);
        return o;
    }
}
