package dev.xcfi.verify.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher's training run for the JDK's AOT cache: one JVM that runs a command on several
 * committed fixtures, one run each, so that the cache holds what each kind of run needs. A single
 * run over all the fixtures together would take other paths: cfi-icall and KCFI modules together
 * are a scheme mismatch, so the KCFI-only path (hash naming, the Rust encoder) was never trained
 * and a KCFI run paid for loading and generating its classes (docs/performance.md).
 *
 * <p>Usage: {@code java -Dxcfi.aot.training -XX:AOTCacheOutput=… -cp xcfi.jar dev.xcfi.verify.cli.Main verify|encode ROOT}:
 * started as every run starts the jar ({@code ./xcfi} uses {@code -cp}; output written as a run writes it), so
 * the cache also holds what that costs.
 */
final class AotTraining {
    static final String PROPERTY = "xcfi.aot.training";

    private AotTraining() {}

    /** Runs every training run of the command in {@code args[0]} on the fixtures under {@code args[1]}. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length != 2) {
            err.println("xcfi: AOT training takes a command and the repository's root");
            return Main.USAGE;
        }
        VerifyCommand.bodiesAloneFirst = 1;   // the fixtures are small: their bodies are read side by side all the same
        for (List<String> run : runs(args[0], Path.of(args[1]))) Main.run(run.toArray(String[]::new), out, err);
        out.flush();
        return Main.OK;
    }

    static List<List<String>> runs(String command, Path root) {
        List<List<String>> runs = new ArrayList<>();
        Path verify = root.resolve("fixtures/verify");
        switch (command) {
            case "verify", "verify-json" -> {
                // each kind of program alone: what a real run meets
                for (String fixture : List.of("fig4", "kcfi", "plugins", "bindings", "tables", "normalized", "thinlto", "debuginfo", "drivers")) {
                    runs.add(List.of("verify", "--reader", "java", verify.resolve(fixture).toString()));
                }
                // JSON and SARIF only for their own cache: the cache's classes are all loaded when a run
                // starts, and Jackson's 510 would cost every text run 13 ms
                if (command.equals("verify-json")) {
                    runs.add(List.of("verify", "--reader", "java", "--format", "json", verify.resolve("fig4").toString(), verify.resolve("kcfi").toString()));
                    runs.add(List.of("verify", "--reader", "java", "--format", "sarif", verify.resolve("tables").toString()));
                    runs.add(List.of("verify", "--reader", "java", "--format", "json", verify.resolve("plugins").toString()));
                }
                // the decoders' other branches, which the explanations of a large program's findings
                // reach; and `xcfi decode` and `xcfi hash`, which the launcher runs with this cache
                runs.add(List.of("decode", "_ZTSFPKcPKvPFvPvEPA4_iE", "_ZTSFvu3refIu3i64EE", "_ZTSFvPKu3i64PFvu5usizeEE"));
                runs.add(List.of("hash", "_ZTSFvlE", "_ZTSFvu3i64E.normalized"));
            }
            case "encode", "encode-json" -> {
                Path c = root.resolve("fixtures/c");
                runs.add(List.of("encode", "--target", "x86_64-linux-gnu", c.resolve("corpus/x86_64-linux-gnu.h").toString()));
                // what real headers also have: macros, constant expressions in array bounds (sizeof,
                // _Alignof, offsetof), the odd declarations of the hand-written cases
                runs.add(List.of("encode", c.resolve("macros.h").toString()));
                runs.add(List.of("encode", c.resolve("layouts.h").toString()));
                runs.add(List.of("encode", "-I", c.resolve("include").toString(), c.resolve("tricky.h").toString()));
                if (command.equals("encode-json")) runs.add(List.of("encode", "--format", "json", c.resolve("examples/hello.h").toString()));
            }
            default -> { }   // decode and hash: short runs whose classes the other two load
        }
        return runs;
    }
}
