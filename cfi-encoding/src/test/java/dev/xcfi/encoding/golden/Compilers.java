package dev.xcfi.encoding.golden;

import org.junit.jupiter.api.Assumptions;

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

    private static void require(boolean available, String tool, String install) {
        if (available) return;
        if (Boolean.getBoolean("xcfi.requireCompilers")) fail(tool + " is required (" + install + ") but was not found");
        Assumptions.abort(tool + " not installed");
    }
}
