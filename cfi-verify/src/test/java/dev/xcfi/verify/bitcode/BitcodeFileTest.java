package dev.xcfi.verify.bitcode;

import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.verify.TestBitcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Splits multi-module files exactly as llvm-modextract does and reads producers. */
class BitcodeFileTest {
    static final String C = "void hello(long n) {}\nvoid call(void (*f)(long)) { f(1); }\n";
    static final String RUST = "#[no_mangle]\npub extern \"C\" fn hello(_n: i64) {}\n#[no_mangle]\npub fn call(f: extern \"C\" fn(i64)) { f(1) }\n";

    static void assertSplitLikeModextract(Path dir, Path file, int expectedModules) throws Exception {
        List<BitcodeFile.Module> modules = BitcodeFile.modules(Files.readAllBytes(file));
        assertThat(modules).hasSize(expectedModules);
        for (BitcodeFile.Module m : modules) {
            Path expected = dir.resolve("m" + m.index() + ".bc");
            Compilers.run(List.of("llvm-modextract-22", "-n", String.valueOf(m.index()), "-b", file.toString(), "-o", expected.toString()), Map.of());
            assertThat(m.image()).as("module %d", m.index()).isEqualTo(Files.readAllBytes(expected));
        }
    }

    @Test
    void splitsClangThinLtoCfiFiles(@TempDir Path dir) throws Exception {
        Path thin = TestBitcode.clang(dir, "x", C, "-flto=thin", "-fsanitize=cfi-icall", "-fvisibility=hidden");
        assertSplitLikeModextract(dir, thin, 2);
        assertThat(BitcodeFile.modules(Files.readAllBytes(thin))).extracting(BitcodeFile.Module::producer).containsOnly("LLVM22.1.8");
    }

    @Test
    void splitsRustcLinkerPluginLtoFiles(@TempDir Path dir) throws Exception {
        Path r = TestBitcode.rustc(dir, "r", RUST, "-Zsanitizer=cfi", "-Clinker-plugin-lto");
        assertSplitLikeModextract(dir, r, 2);
        assertThat(BitcodeFile.modules(Files.readAllBytes(r)).get(0).producer()).startsWith("LLVM22.").contains("-rust-1.95");
    }

    @Test
    void singleModuleFilesComeBackUnchanged(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(TestBitcode.clang(dir, "k", C, "-fsanitize=kcfi", "-emit-llvm"));
        List<BitcodeFile.Module> modules = BitcodeFile.modules(bytes);
        assertThat(modules).hasSize(1);
        assertThat(modules.get(0).image()).isSameAs(bytes);
        assertThat(BitcodeFile.isBitcode(bytes)).isTrue();
    }

    @Test
    void corruptContainersGiveBitOffsets(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(TestBitcode.clang(dir, "k", C, "-fsanitize=kcfi", "-emit-llvm"));
        assertThatThrownBy(() -> BitcodeFile.modules("hello".getBytes())).isInstanceOf(BitcodeException.class).hasMessageContaining("not LLVM bitcode");
        assertThatThrownBy(() -> BitcodeFile.modules(Arrays.copyOf(bytes, bytes.length / 2)))
                .isInstanceOf(BitcodeException.class).hasMessageContaining("runs past the end").hasMessageMatching(".*at bit \\d+\\)");
        byte[] noBlock = Arrays.copyOf(bytes, 8);
        noBlock[4] = 0;   // abbreviation id 0 where a block must start
        assertThatThrownBy(() -> BitcodeFile.modules(noBlock)).isInstanceOf(BitcodeException.class)
                .satisfies(e -> assertThat(((BitcodeException) e).bitOffset()).isEqualTo(32));
    }
}
