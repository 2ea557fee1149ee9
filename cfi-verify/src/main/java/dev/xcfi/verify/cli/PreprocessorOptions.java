package dev.xcfi.verify.cli;

import dev.xcfi.encoding.c.HeaderParser;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** clang's {@code -I}, {@code -D} and {@code -U}, declared once for {@code encode} and {@code which}. */
final class PreprocessorOptions {
    private final CommandModel.Option<List<Path>> includeDirs;
    private final CommandModel.Option<List<String>> defines, undefines;

    PreprocessorOptions(CommandModel model) {
        includeDirs = model.repeated("-I", "DIR", Path::of, "Search DIR for #include \"...\" and <...> headers.");
        defines = model.repeated("-D", "NAME[=VALUE]", String::valueOf, "Define a macro, as clang's -D does (VALUE defaults to 1).");
        undefines = model.repeated("-U", "NAME", String::valueOf, "Undefine a macro (after every -D).");
    }

    List<Path> includeDirs() {
        return includeDirs.value();
    }

    /**
     * {@code -D} and {@code -U} as clang applies them: as the lines of a {@code <command line>}
     * input read before the headers (an error in a value is reported there, as clang does).
     */
    Optional<HeaderParser.Input> commandLineMacros() {
        StringBuilder text = new StringBuilder();
        for (String d : defines.value()) {
            int eq = d.indexOf('=');
            String name = eq < 0 ? d : d.substring(0, eq);
            text.append("#define ").append(macroName(name, "-D")).append(' ').append(eq < 0 ? "1" : d.substring(eq + 1)).append('\n');
        }
        for (String u : undefines.value()) text.append("#undef ").append(macroName(u, "-U")).append('\n');
        return text.isEmpty() ? Optional.empty() : Optional.of(new HeaderParser.Input("<command line>", text.toString(), null));
    }

    private static String macroName(String name, String option) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException(option + " needs a macro name, not '" + name + "'");
        return name;
    }
}
