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
        if (ClangOracle.available()) return;
        if (Boolean.getBoolean("xcfi.requireCompilers")) fail(ClangOracle.CLANG + " is required (apt-get install clang-22) but was not found");
        Assumptions.abort(ClangOracle.CLANG + " not installed");
    }
}
