package dev.xcfi.verify.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code xcfi}: exact CFI type ids for C and Rust, and verification of the modules that will be linked.
 * Exit status: 0 ok, 1 errors in the input or findings, 2 usage or unreadable input.
 */
public final class Main {
    public static final int OK = 0;
    public static final int INPUT_ERRORS = 1;
    public static final int USAGE = 2;

    private static final String DESCRIPTION = "Cross-language CFI: the type ids clang and rustc emit, and why they differ.";

    /** The commands by name, in the order the help lists them; only the one named is built. */
    private static final List<String> NAMES = List.of("encode", "decode", "hash", "which", "verify");

    private Main() {}

    private static Supplier<Command> command(String name) {
        return switch (name) {
            case "encode" -> EncodeCommand::new;
            case "decode" -> DecodeCommand::new;
            case "hash" -> HashCommand::new;
            case "which" -> WhichCommand::new;
            case "verify" -> VerifyCommand::new;
            default -> null;
        };
    }

    public static void main(String[] args) {
        // Buffered, not auto-flushed: a 100,000-row encode must not make 100,000 write calls.
        PrintWriter out = new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), 1 << 16));
        PrintWriter err = new PrintWriter(System.err, true);
        // the launcher's AOT-cache training: the jar started as every run starts it, several runs in one JVM
        int[] status = new int[1];
        Runnable command = () -> status[0] = System.getProperty(AotTraining.PROPERTY) != null ? AotTraining.run(args, out, err) : run(args, out, err);
        // On a thread with room for the parsers' nesting bounds (256 declarator levels, 512 of an
        // expression): under C1 alone, as ./xcfi runs, a level takes several times the stack it
        // does in C2's code, and the default 1 MB ran out before the bounds were reached. Only
        // what is used is committed.
        Thread thread = new Thread(null, command, "xcfi", 64L << 20);
        // An error no command catches (a bug) must not end the run as if it had passed: CI reads the status.
        thread.setUncaughtExceptionHandler((t, e) -> {
            status[0] = USAGE;
            System.err.println("xcfi: internal error, please report it: " + e);
            e.printStackTrace();
        });
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.flush();
        System.err.flush();
        // halt, not exit: xcfi has no shutdown hooks to run, and System.exit first starts the JDK's
        // logging (to log the exit if asked to), milliseconds a short run notices (docs/performance.md).
        Runtime.getRuntime().halt(status[0]);
    }

    /** Runs the CLI with the given streams; used by tests as well as {@link #main}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        try {
            return dispatch(args, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(String[] args, PrintWriter out, PrintWriter err) {
        String first = args.length > 0 ? args[0] : null;
        Supplier<Command> named = first == null ? null : command(first);
        if (named == null) {
            if ("-h".equals(first) || "--help".equals(first)) {
                out.print(rootUsage());
                return OK;
            }
            if ("-V".equals(first) || "--version".equals(first)) {
                out.println(CommandModel.VERSION);
                return OK;
            }
            err.println("xcfi: " + (first == null ? "missing command: " : "unknown command '" + first + "': give one of ") + String.join(", ", NAMES));
            err.print(rootUsage());
            return USAGE;
        }
        Command command = named.get();
        CommandModel model = command.model();
        try {
            switch (model.parse(args, 1)) {
                case HELP -> {
                    out.print(model.usage());
                    return OK;
                }
                case VERSION -> {
                    out.println(CommandModel.VERSION);
                    return OK;
                }
                case RUN -> { }
            }
        } catch (CommandModel.UsageException e) {
            err.println("xcfi: " + e.getMessage());
            err.print(model.usage());
            return USAGE;
        }
        try {
            return command.run(out, err);
        } catch (OutOfMemoryError e) {
            err.println("xcfi: out of memory: " + heapLimit());
            return USAGE;
        } catch (StackOverflowError e) {
            // every parser and decoder bounds its nesting; this is the backstop for one that does not
            err.println("xcfi: the input nests too deeply to be processed (thousands of levels of types or expressions)");
            return INPUT_ERRORS;
        } catch (Exception e) {
            // A user error is a message, never a stack trace.
            err.println("xcfi: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return e instanceof IllegalArgumentException || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException ? USAGE : INPUT_ERRORS;
        }
    }

    /** The heap's limit, and how to raise it. */
    static String heapLimit() {
        return "the JVM's heap is at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MB (JAVA_TOOL_OPTIONS=-Xmx8g, say, raises it)";
    }

    private static String rootUsage() {
        return CommandModel.usage(DESCRIPTION, NAMES.stream().map(n -> command(n).get().model()).toList());
    }
}
