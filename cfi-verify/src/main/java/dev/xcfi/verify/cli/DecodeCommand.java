package dev.xcfi.verify.cli;

import dev.xcfi.encoding.RustIdDecoder;
import dev.xcfi.encoding.TypeIdDecoder;
import dev.xcfi.types.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = {"Read CFI type ids back as types: id<TAB>C view<TAB>Rust view[<TAB>(mode)].",
        "_ZTSFvPFvlElE -> void (void (*)(long), long) / extern \"C\" fn(extern \"C\" fn(c_long), c_long).",
        "A view an id cannot be read in (a rustc path in C, say) is '-'."})
final class DecodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", description = "Target whose type codes to assume (default: this machine).")
    String target;

    @Parameters(paramLabel = "ID", arity = "1..*")
    List<String> ids;

    @Override
    public Integer call() {
        Target t = target == null ? Target.host() : Target.of(target);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = Main.OK;
        for (String id : ids) {
            String c = null, rust = null, mode = null, why = null;
            try {
                TypeIdDecoder.Decoded d = TypeIdDecoder.decode(id, t);
                c = d.c();
                mode = d.mode().label();
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
            try {
                RustIdDecoder.Decoded d = RustIdDecoder.decode(id);
                rust = d.rust();
                mode = d.mode().label();
            } catch (IllegalArgumentException e) {
                if (why == null) why = e.getMessage();
            }
            if (c == null && rust == null) {
                err.println("xcfi: " + why);
                status = Main.INPUT_ERRORS;
                continue;
            }
            out.println(id + "\t" + (c == null ? "-" : c) + "\t" + (rust == null ? "-" : rust) + (mode.equals("plain") ? "" : "\t(" + mode + ")"));
        }
        return status;
    }
}
