package dev.xcfi.verify.llvm;

import dev.xcfi.verify.facts.ModuleFacts;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads bitcode through libLLVM in a child JVM, so that a file which crashes libLLVM (it can:
 * SIGSEGV in the metadata loader, aborts on "out of memory", runaway allocation) costs only that
 * file. The worker is reused across files, killed when it exceeds its time or memory limit, and
 * started again for the next file.
 */
public final class SupervisedReader implements AutoCloseable {
    /** Per-file wall time and the worker's resident-memory cap (heap plus libLLVM's native memory). */
    public record Limits(Duration timePerFile, long maxResidentBytes) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), 4L << 30);
    }

    /** The outcome for one file: its modules' facts, or why it could not be read. */
    public sealed interface Result {
        record Read(List<ModuleFacts> modules) implements Result {}

        record Failed(String message) implements Result {}
    }

    private static final Duration POLL = Duration.ofMillis(20);
    private final Path libllvm;
    private final Limits limits;
    private final ExecutorService answers = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "xcfi-worker-answers");
        t.setDaemon(true);
        return t;
    });
    private Process worker;
    private DataInputStream fromWorker;
    private DataOutputStream toWorker;
    private String version;
    private int restarts;

    private SupervisedReader(Path libllvm, Limits limits) {
        this.libllvm = libllvm;
        this.limits = limits;
    }

    /** Starts a worker on {@code libllvm}; fails with the worker's reason if it cannot use that library. */
    public static SupervisedReader start(Path libllvm, Limits limits) {
        SupervisedReader r = new SupervisedReader(libllvm, limits);
        r.ensureWorker();
        return r;
    }

    public String llvmVersion() {
        return version;
    }

    /** How many times a worker had to be replaced after a crash or a limit. */
    public int restarts() {
        return restarts;
    }

    long workerPid() {
        return worker.pid();
    }

    public Result read(Path file) {
        try {
            ensureWorker();
        } catch (IllegalStateException e) {
            return new Result.Failed(e.getMessage());
        }
        Process current = worker;
        Future<Result> answer;
        try {
            FactsWire.string(toWorker, file.toAbsolutePath().toString());
            toWorker.flush();
            answer = answers.submit(this::answer);
        } catch (IOException e) {
            return fail(current, "the reader process could not take the file: " + e.getMessage());
        }
        long deadline = System.nanoTime() + limits.timePerFile().toNanos();
        while (true) {
            try {
                return answer.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) return fail(current, "reading took longer than " + seconds(limits.timePerFile()) + "; stopped");
                long rss = residentBytes(current.pid());
                if (rss > limits.maxResidentBytes()) {
                    return fail(current, "reading needed more than " + (limits.maxResidentBytes() >> 20) + " MiB of memory; stopped");
                }
            } catch (ExecutionException e) {
                return fail(current, crashMessage(current));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(current, "interrupted");
            }
        }
    }

    private Result answer() throws IOException {
        int status = fromWorker.readInt();
        if (status == ReaderWorker.ERROR) return new Result.Failed(FactsWire.string(fromWorker));
        if (status != ReaderWorker.OK) throw new IOException("garbled answer from the reader process");
        int n = fromWorker.readInt();
        List<ModuleFacts> modules = new ArrayList<>(n);
        for (int i = 0; i < n; i++) modules.add(FactsWire.read(fromWorker));
        return new Result.Read(modules);
    }

    private Result fail(Process current, String message) {
        current.destroyForcibly();
        try {
            current.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker = null;
        restarts++;
        return new Result.Failed(message);
    }

    private static String seconds(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    private static String crashMessage(Process p) {
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) return "libLLVM stopped answering";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = p.exitValue();
        String how = code > 128 ? "signal " + (code - 128) + signalName(code - 128) : "exit status " + code;
        return "libLLVM crashed while reading this file (" + how + "); the other files are unaffected";
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 6 -> ", SIGABRT";
            case 9 -> ", SIGKILL";
            case 11 -> ", SIGSEGV";
            default -> "";
        };
    }

    private void ensureWorker() {
        if (worker != null && worker.isAlive()) return;
        try {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-XX:-CreateCoredumpOnCrash", "-XX:+DisplayVMOutputToStderr",
                    "-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "xcfi-reader-crash-%p.log"),
                    "-cp", System.getProperty("java.class.path"), ReaderWorker.class.getName(), libllvm.toString());
            worker = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            fromWorker = new DataInputStream(new BufferedInputStream(worker.getInputStream(), 1 << 16));
            toWorker = new DataOutputStream(new BufferedOutputStream(worker.getOutputStream()));
            int status = fromWorker.readInt();
            String text = FactsWire.string(fromWorker);
            if (status != ReaderWorker.OK) {
                worker.destroyForcibly();
                worker = null;
                throw new IllegalStateException(text);
            }
            version = text;
        } catch (IOException e) {
            // EOF on the first answer: the worker JVM died before it said anything (a broken class path, say)
            String why = e instanceof java.io.EOFException ? "it exited before answering" + exitStatus() : String.valueOf(e.getMessage());
            worker = null;
            throw new IllegalStateException("cannot start the libLLVM reader process: " + why);
        }
    }

    /** " (exit status N)" once the worker has ended, within a second; "" otherwise. */
    private String exitStatus() {
        try {
            if (worker != null && worker.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) return " (exit status " + worker.exitValue() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    /** VmRSS from /proc; 0 where /proc is unavailable (then only the time limit applies). */
    private static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // the process just ended, or no /proc
        }
        return 0;
    }

    @Override
    public void close() {
        if (worker != null) {
            try {
                toWorker.close();
                worker.waitFor(2, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // fall through to the kill
            }
            worker.destroyForcibly();
        }
        answers.shutdownNow();
    }
}
