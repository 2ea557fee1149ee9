package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.types.rust.RustStd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against the rustc installed on this machine: a fresh random crate each run (seed printed;
 * {@code -Dxcfi.liveSeed=N} repeats one), in all four modes, with the disambiguators rustc used.
 */
class LiveRustcTest {
    static final long SEED = Long.getLong("xcfi.liveSeed", System.nanoTime());

    @TempDir
    static Path work;

    @BeforeAll
    static void rustc() {
        Compilers.requireRustc();
    }

    @Test
    void freshRandomCrateMatchesInstalledRustc() throws Exception {
        RustSignatureGenerator.Crate crate = new RustSignatureGenerator(SEED).crate(250);
        Path rs = work.resolve("live.rs");
        Files.writeString(rs, crate.source());
        RustcOracle.Result rustc;
        try {
            rustc = new RustcOracle(work).rows(rs, crate.rows());
        } catch (java.io.IOException e) {
            throw new AssertionError("seed " + SEED + " (repeat with -Dxcfi.liveSeed=" + SEED + "): " + e.getMessage(), e);
        }
        Map<String, String> crates = new HashMap<>(RustStd.RUSTC_1_95_CRATES);
        crates.putAll(rustc.crates());
        for (CfiMode mode : CfiMode.all()) {
            List<String> expected = rustc.rows().get(mode);
            List<String> actual = RustGoldenTest.actualRows(rs, mode, crates);
            assertThat(GoldenCorpusTest.differences(expected, actual))
                    .as("seed %d, %s (repeat with -Dxcfi.liveSeed=%d)", SEED, mode.label(), SEED).isEmpty();
            assertThat(actual).hasSameSizeAs(expected);
        }
    }
}
