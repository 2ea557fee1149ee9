package dev.xcfi.verify.cli;

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

@Command(name = "decode", description = "Read CFI type ids back as C types: _ZTSFvPFvlElE -> void (void (*)(long), long).")
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
            try {
                TypeIdDecoder.Decoded d = TypeIdDecoder.decode(id, t);
                out.println(id + "\t" + d.c() + (d.mode().suffix().isEmpty() ? "" : "\t(" + d.mode().label() + ")"));
            } catch (IllegalArgumentException e) {
                err.println("xcfi: " + e.getMessage());
                status = Main.INPUT_ERRORS;
            }
        }
        return status;
    }
}
