package dev.xcfi.verify.cli;

import dev.xcfi.encoding.CTypePrinter;
import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.HashedTypeId;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.types.Target;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Which of a code base's function types a KCFI hash is: a kernel's trap report says only
 * {@code expected type: 0x…}. Every function, function or function-pointer typedef and
 * function-pointer member the headers (or sources) name is hashed as clang hashes it, and the
 * ones that match are printed.
 */
final class WhichCommand implements Callable<Integer> {
    final CommandModel model = new CommandModel("which", this,
            "Name the function types in C headers or sources whose KCFI hash is HASH (as a KCFI trap reports 'expected type: 0x...').",
            "Rows: hash<TAB>kind<TAB>name<TAB>type_id<TAB>file:line<TAB>C type, kind function, typedef or member; a hash nothing has is hash<TAB>-, exit status 1.");
    private final OptionSpec target = model.choice("--target", EncodeCommand.TARGET_NAMES, "TRIPLE",
            "Target triple (default: this machine). Known: ${COMPLETION-CANDIDATES}");
    private final OptionSpec normalize = model.flag("--normalize-integers", "Integer normalization (-fsanitize-cfi-icall-experimental-normalize-integers).");
    private final OptionSpec generalize = model.flag("--generalize-pointers", "Pointer generalization (-fsanitize-cfi-icall-generalize-pointers).");
    private final OptionSpec kcfiHash = model.option("--kcfi-hash", String.class, "xxhash64", "HASH", "KCFI hash: xxhash64 (default) or fnv1a.");
    private final OptionSpec includeDirs = model.repeated("-I", Path.class, "DIR", "Search DIR for #include \"...\" and <...> headers.");
    private final OptionSpec defines = model.repeated("-D", String.class, "NAME[=VALUE]", "Define a macro, as clang's -D does (VALUE defaults to 1).");
    private final OptionSpec undefines = model.repeated("-U", String.class, "NAME", "Undefine a macro (after every -D).");
    private final PositionalParamSpec operands = model.operands(String.class, "HASH|FILE",
            "KCFI hashes (0x followed by up to 8 hex digits) and the C headers or sources to look in.");

    @Override
    public Integer call() throws IOException {
        String triple = target.getValue();
        Target t = triple == null ? Target.host() : Target.of(triple);
        CfiMode mode = CfiMode.of(normalize.getValue(), generalize.getValue());
        KcfiHash algorithm = KcfiHash.parse(kcfiHash.getValue());
        Map<Integer, String> hashes = new LinkedHashMap<>();
        List<HeaderParser.Input> inputs = new ArrayList<>();
        EncodeCommand.commandLineMacros(defines.getValue(), undefines.getValue()).ifPresent(inputs::add);
        for (String operand : operands.<List<String>>getValue()) {
            if (operand.matches("0[xX][0-9a-fA-F]{1,8}")) hashes.put(Integer.parseUnsignedInt(operand.substring(2), 16), operand.toLowerCase(Locale.ROOT));
            else inputs.add(EncodeCommand.read(operand));
        }
        if (hashes.isEmpty()) throw new IllegalArgumentException("give at least one KCFI hash (0x...) to look for");
        if (inputs.stream().noneMatch(in -> !in.name().equals("<command line>"))) throw new IllegalArgumentException("give at least one C header or source to look in");
        PrintWriter out = model.spec().commandLine().getOut();
        PrintWriter err = model.spec().commandLine().getErr();
        List<SyntaxException> errors = new ArrayList<>();
        List<HeaderParser.NamedFunctionType> types = HeaderParser.functionTypes(t, includeDirs.getValue(), inputs, errors);
        for (SyntaxException e : errors) err.println(e.diagnostic());
        ClangEncoder clang = ClangEncoder.of(t);
        Map<Integer, Boolean> found = new LinkedHashMap<>();
        hashes.keySet().forEach(h -> found.put(h, false));
        for (HeaderParser.NamedFunctionType named : types) {
            HashedTypeId id;
            try {
                id = clang.encode(named.type(), mode, algorithm);
            } catch (RuntimeException e) {
                continue;   // a type the target does not have: no hash
            }
            if (!hashes.containsKey(id.kcfi())) continue;
            found.put(id.kcfi(), true);
            out.println(KcfiHash.format(id.kcfi()) + "\t" + named.kind().name().toLowerCase(Locale.ROOT) + "\t" + named.name() + "\t"
                    + (id.id().string() == null ? "<internal>" : id.id().string()) + "\t" + named.location().file() + ":" + named.location().line()
                    + "\t" + CTypePrinter.print(named.type()));
        }
        boolean all = true;
        for (Map.Entry<Integer, Boolean> e : found.entrySet()) {
            if (e.getValue()) continue;
            all = false;
            out.println(KcfiHash.format(e.getKey()) + "\t-");
        }
        return all && errors.isEmpty() ? Main.OK : Main.INPUT_ERRORS;
    }
}
