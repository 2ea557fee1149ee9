package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.rust.EncodedRustDeclaration;
import dev.xcfi.encoding.rust.ParsedRust;
import dev.xcfi.encoding.rust.RustDeclarationEncoder;
import dev.xcfi.encoding.rust.RustParser;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.RustStd;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every row rustc 1.95 emitted for the Rust fixtures against xcfi's Rust parser and encoder. */
class RustGoldenTest {
    static Path dir() {
        return Fixtures.root().resolve("fixtures/rust");
    }

    static Map<String, String> crates() throws IOException {
        Map<String, String> m = new HashMap<>(RustStd.RUSTC_1_95_CRATES);
        for (String line : Files.readAllLines(dir().resolve("golden/crates.tsv"))) {
            String[] f = line.split("\t");
            m.put(f[0], f[1]);
        }
        return m;
    }

    @TestFactory
    List<DynamicTest> everyRustGoldenRowMatchesRustc() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : List.of("corpus", "cfi_types_fig4", "cfi_types_fig5")) {
            for (CfiMode mode : CfiMode.all()) {
                tests.add(DynamicTest.dynamicTest(name + " " + mode.label(), () -> {
                    Path src = name.equals("corpus") ? dir().resolve("corpus.rs") : dir().resolve("examples/" + name + ".rs");
                    List<String> expected = Files.readAllLines(dir().resolve("golden/" + name + "." + mode.label() + ".tsv"));
                    List<String> actual = actualRows(src, mode, crates());
                    assertThat(GoldenCorpusTest.differences(expected, actual)).as(name + " " + mode.label()).isEmpty();
                    assertThat(actual).hasSameSizeAs(expected);
                }));
            }
        }
        return tests;
    }

    @Test
    void theRustCorpusIsLargeEnough() throws IOException {
        long rows = 0;
        for (CfiMode mode : CfiMode.all()) rows += Files.readAllLines(dir().resolve("golden/corpus." + mode.label() + ".tsv")).size();
        assertThat(rows).isGreaterThanOrEqualTo(2000);
    }

    static List<String> actualRows(Path source, CfiMode mode, Map<String, String> crates) {
        ParsedRust parsed;
        try {
            parsed = RustParser.parse(Target.X86_64_LINUX_GNU, RustcOracle.CRATE, List.of(new RustParser.Source(source.toString(), Files.readString(source))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(parsed.errors()).as("parse errors in " + source).isEmpty();
        return new RustDeclarationEncoder(Target.X86_64_LINUX_GNU, crates, mode).encodeAll(parsed.declarations()).stream()
                .map(EncodedRustDeclaration::tsv).toList();
    }
}
