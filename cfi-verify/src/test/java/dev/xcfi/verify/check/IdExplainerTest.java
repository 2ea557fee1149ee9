package dev.xcfi.verify.check;

import dev.xcfi.encoding.Compiler;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a report says an id is, in C and in Rust. */
class IdExplainerTest {
    @Test
    void idsReadAsCAndRustAndCOnlyTypesSaySo() {
        IdExplainer x86 = new IdExplainer(Target.X86_64_LINUX_GNU);
        assertThat(x86.decoded("_ZTSFvlE", Compiler.CLANG)).isEqualTo("C: void (long); Rust: extern \"C\" fn(c_long)");
        assertThat(x86.decoded("_ZTSFvu3i64E", Compiler.RUSTC)).isEqualTo("C: void (i64); Rust: extern \"C\" fn(i64)");
        IdExplainer darwin = new IdExplainer(Target.AARCH64_APPLE_DARWIN);
        assertThat(darwin.decoded("_ZTSFvU13block_pointerFviES0_E", Compiler.CLANG))
                .isEqualTo("C: void (void (^)(int), void (^)(int)); Rust: (none: a C type with no Rust counterpart)");
        assertThat(x86.decoded("_ZTSFvQE", Compiler.CLANG)).isEqualTo("C: (not decodable); Rust: (not decodable)");
        assertThat(x86.decoded("_ZTSFvu3refIu3i32EE", Compiler.RUSTC)).isEqualTo("C: (none: a Rust type with no C counterpart); Rust: extern \"C\" fn(&i32)");
    }

    /** One string, two types: which compiler wrote it decides how its back-references read. */
    @Test
    void anIdReadsByItsWritersNumbering() {
        IdExplainer x86 = new IdExplainer(Target.X86_64_LINUX_GNU);
        assertThat(x86.decoded("_ZTSFvPFviEPcS0_E", Compiler.RUSTC))
                .isEqualTo("C: void (void (*)(int), char *, char *); Rust: extern \"C\" fn(extern \"C\" fn(c_int), *mut c_char, *mut c_char)");
        assertThat(x86.decoded("_ZTSFvPFviEPcS0_E", Compiler.CLANG))
                .isEqualTo("C: void (void (*)(int), char *, void (*)(int)); Rust: extern \"C\" fn(extern \"C\" fn(c_int), *mut c_char, extern \"C\" fn(c_int))");
    }

    @Test
    void oneTypeNumberedByBothCompilersDiffersOnlyInItsNumbering() {
        IdExplainer x86 = new IdExplainer(Target.X86_64_LINUX_GNU);
        assertThat(x86.differences("_ZTSFvPFviEPcS0_E", Compiler.RUSTC, "_ZTSFvPFviEPcS1_E", Compiler.CLANG))
                .singleElement().satisfies(d -> {
                    assertThat(d.numbering()).isTrue();
                    assertThat(d.text()).isEqualTo("both spell `void (void (*)(int), char *, char *)`, numbered by each compiler's rules (S0_ vs S1_): "
                            + "rustc counts a function pointer as one substitution, clang counts its function type as well");
                });
        // the same ids, each read by the wrong rules, would differ in a parameter instead
        assertThat(x86.differences("_ZTSFvPFviEPcS0_E", Compiler.CLANG, "_ZTSFvPFviEPcS1_E", Compiler.CLANG))
                .singleElement().satisfies(d -> assertThat(d.numbering()).isFalse());
        // a real difference after the function pointer is still that difference
        assertThat(x86.differences("_ZTSFvPFvu3i64EPcS1_E", Compiler.RUSTC, "_ZTSFvPFvlEPcS1_E", Compiler.CLANG))
                .extracting(IdExplainer.Difference::text).containsExactly("parameter 1 (a function pointer): its parameter 1 is `i64` vs `long`");
    }

    /** Any two ids, each said to be either compiler's: the explainer answers, never throws (reports are rendered from its answers). */
    @Test
    void anyPairOfIdsByEitherCompilerIsExplainedWithoutAnException() throws java.io.IOException {
        java.nio.file.Path root = dev.xcfi.encoding.golden.Fixtures.root();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(root.resolve("fixtures/c/golden/x86_64-linux-gnu/corpus.plain.tsv"))) ids.add(line.split("\t")[1]);
        for (String line : java.nio.file.Files.readAllLines(root.resolve("fixtures/rust/golden/corpus.plain.tsv"))) ids.add(line.split("\t")[1]);
        java.util.SplittableRandom r = new java.util.SplittableRandom(13);
        IdExplainer x86 = new IdExplainer(Target.X86_64_LINUX_GNU);
        int explained = 0;
        for (int i = 0; i < 3_000; i++) {
            String a = ids.get(r.nextInt(ids.size())), b = ids.get(r.nextInt(ids.size()));
            Compiler wa = Compiler.values()[r.nextInt(2)], wb = Compiler.values()[r.nextInt(2)];
            assertThat(x86.decoded(a, wa)).isNotEmpty();
            java.util.List<IdExplainer.Difference> parts = x86.differences(a, wa, b, wb);
            String fix = Fixes.suggest(wa == Compiler.RUSTC, wb == Compiler.RUSTC, parts, "same");
            assertThat(fix).isNotEmpty();
            if (!parts.isEmpty()) explained++;
        }
        assertThat(explained).isGreaterThan(1_000);
    }
}
