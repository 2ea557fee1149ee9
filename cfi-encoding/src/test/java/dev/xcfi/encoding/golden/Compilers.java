package dev.xcfi.encoding.golden;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.fail;

/**
 * Gate for tests that run the real compilers. With {@code -Dxcfi.requireCompilers=true} (what
 * {@code scripts/test} and CI pass) a missing clang-22 fails the test; on a developer machine
 * without it the test is skipped with a reason.
 */
public final class Compilers {
    private Compilers() {}

    public static void requireClang() {
        require(ClangOracle.available(), ClangOracle.CLANG, "apt-get install clang-22");
    }

    public static void requireRustc() {
        require(RustcOracle.available(), RustcOracle.RUSTC, "rustup toolchain install 1.95.0");
    }

    /** qemu's aarch64 user-mode emulator, which runs the aarch64 thunk tests' programs on this x86_64 machine. */
    public static final String QEMU_AARCH64 = "qemu-aarch64-static";

    public static void requireQemuAarch64() {
        require(onPath(QEMU_AARCH64), QEMU_AARCH64, "apt-get install qemu-user-static");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Runs a compiler or LLVM tool; a non-zero exit fails the test with the command and everything it printed. */
    public static void run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) fail(String.join(" ", command) + " failed:\n" + output);
    }

    public static void run(List<String> command) throws IOException, InterruptedException {
        run(command, Map.of());
    }

    private static void require(boolean available, String tool, String install) {
        if (available) return;
        if (Boolean.getBoolean("xcfi.requireCompilers")) fail(tool + " is required (" + install + ") but was not found");
        Assumptions.abort(tool + " not installed");
    }
}
