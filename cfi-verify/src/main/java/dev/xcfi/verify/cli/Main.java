package dev.xcfi.verify.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * {@code xcfi}: exact CFI type ids for C, and (later) verification of linked modules.
 * Exit status: 0 ok, 1 errors in the input or findings, 2 usage or unreadable input.
 */
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int INPUT_ERRORS = 1;
    public static final int USAGE = 2;

    static final CommandLine.IVersionProvider VERSION = () -> new String[] {"xcfi 0.1.0 (ids as clang 22 and rustc 1.95 emit them)"};

    private final CommandModel model = new CommandModel("xcfi", this,
            "Cross-language CFI: the type ids clang and rustc emit, and why they differ.");

    /** Runs when no command is named. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(model.spec().commandLine(), "missing command: encode, decode, hash or verify");
    }

    public static void main(String[] args) {
        // Buffered, not auto-flushed: a 100,000-row encode must not make 100,000 write calls.
        PrintWriter out = new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), 1 << 16));
        PrintWriter err = new PrintWriter(System.err, true);
        // the launcher's AOT-cache training: the jar started as every run starts it, several runs in one JVM
        int status = System.getProperty(AotTraining.PROPERTY) != null ? AotTraining.run(args, out, err) : run(args, out, err);
        System.out.flush();
        System.err.flush();
        // halt, not exit: xcfi has no shutdown hooks to run, and System.exit first starts the JDK's
        // logging (to log the exit if asked to), milliseconds a short run notices (docs/performance.md).
        Runtime.getRuntime().halt(status);
    }

    /**
     * Runs the CLI with the given streams; used by tests as well as {@link #main}. Only the
     * command the user named is built: picocli models every option of every command it is
     * given, which is a third of a short {@code verify} run's time.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main().model.spec());
        java.util.Map<String, java.util.function.Supplier<CommandModel>> commands = new java.util.LinkedHashMap<>();
        commands.put("encode", () -> new EncodeCommand().model);
        commands.put("decode", () -> new DecodeCommand().model);
        commands.put("hash", () -> new HashCommand().model);
        commands.put("which", () -> new WhichCommand().model);
        commands.put("verify", () -> new VerifyCommand().model);
        java.util.function.Supplier<CommandModel> named = args.length > 0 ? commands.get(args[0]) : null;
        if (named != null) cli.addSubcommand(args[0], new CommandLine(named.get().spec()));
        else commands.forEach((name, command) -> cli.addSubcommand(name, new CommandLine(command.get().spec())));
        // picocli's own Path conversion calls Path.of reflectively, which spins method handles at start-up
        cli.registerConverter(java.nio.file.Path.class, java.nio.file.Path::of);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> USAGE);
        // A user error is a message, never a stack trace.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("xcfi: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return e instanceof IllegalArgumentException || e instanceof java.io.IOException
                    || e instanceof java.io.UncheckedIOException ? USAGE : INPUT_ERRORS;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            err.println("xcfi: " + e.getMessage());
            e.getCommandLine().usage(err);
            return USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
