package dev.xcfi.verify.llvm;

import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.verify.facts.CallbackArgument;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads bitcode that clang-22 compiles during the test and checks each fact against the source. */
class LlvmReaderTest {
    static final String SOURCE = """
            void hello(long n) {}
            static void quiet(int n) {}
            extern void take(void (*cb)(long), long n);
            void call_n(void (*cb)(long), long n) { for (long i = 0; i < n; i++) cb(i); }
            void wire(void) { take(hello, 3); }
            """;
    static LlvmReader reader;

    @BeforeAll
    static void open() {
        Compilers.requireClang();
        reader = LlvmReader.openFirst(LibLlvmLocator.candidates(Optional.empty()), 22);
    }

    static byte[] compile(Path dir, String... flags) throws IOException, InterruptedException {
        Path c = dir.resolve("x.c");
        Files.writeString(c, SOURCE);
        Path bc = dir.resolve("x.bc");
        List<String> command = new ArrayList<>(List.of("clang-22", "-O1", "-c", "-o", bc.toString(), c.toString()));
        command.addAll(1, List.of(flags));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return Files.readAllBytes(bc);
    }

    static FunctionFacts function(ModuleFacts m, String name) {
        return m.functions().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readsCfiIcallIdsTypeTestsAndCallbacks(@TempDir Path dir) throws Exception {
        ModuleFacts m = reader.read("x.bc", 0, "", compile(dir, "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden"));
        assertThat(reader.version()).startsWith("22.");
        assertThat(m.triple()).isEqualTo("x86_64-pc-linux-gnu");
        FunctionFacts hello = function(m, "hello");
        assertThat(hello.definition()).isTrue();
        assertThat(hello.linkage()).isEqualTo(FunctionFacts.Linkage.EXTERNAL);
        assertThat(hello.typeIds()).containsExactly(new TypeAttachment(0, TypeIdRef.named("_ZTSFvlE")),
                new TypeAttachment(0, TypeIdRef.named("_ZTSFvlE.generalized")));
        assertThat(hello.kcfiType()).isEmpty();
        assertThat(function(m, "take").definition()).isFalse();
        assertThat(m.typeTests()).containsExactly(new TypeTest("call_n", TypeIdRef.named("_ZTSFvlE"), TypeTest.Kind.TYPE_TEST));
        assertThat(m.callbacks()).containsExactly(new CallbackArgument("wire", "take", 0, "hello"));
        assertThat(m.kcfiCalls()).isEmpty();
        assertThat(m.flags().kcfi()).isFalse();
        assertThat(m.flags().canonicalJumpTables()).isTrue();
        assertThat(m.flags().normalizeIntegers()).isFalse();
    }

    @Test
    void readsKcfiHashesBundlesAndFlags(@TempDir Path dir) throws Exception {
        ModuleFacts m = reader.read("x.bc", 0, "", compile(dir, "-fsanitize=kcfi", "-emit-llvm",
                "-fsanitize-cfi-icall-experimental-normalize-integers"));
        int normalized = (int) dev.xcfi.encoding.KcfiHash.XXHASH64.hash("_ZTSFvu3i64E.normalized");
        assertThat(function(m, "hello").kcfiType()).isEqualTo(OptionalInt.of(normalized));
        assertThat(m.kcfiCalls()).containsExactly(new KcfiCall("call_n", normalized));
        assertThat(m.typeTests()).isEmpty();
        assertThat(m.flags().kcfi()).isTrue();
        assertThat(m.flags().kcfiHash()).isEqualTo(Optional.of("xxHash64"));
        assertThat(m.flags().normalizeIntegers()).isTrue();
    }

    @Test
    void locatorPrefersTheNamedLibraryAndRefusesOldOnes() {
        List<Path> found = LibLlvmLocator.candidates(Optional.of(Path.of("/nowhere/libLLVM.so.22.1")));
        assertThat(found.get(0)).isEqualTo(Path.of("/nowhere/libLLVM.so.22.1"));
        assertThat(found).anySatisfy(p -> assertThat(LibLlvmLocator.major(p)).isEqualTo(22));
        assertThat(LibLlvmLocator.major(Path.of("libLLVM-22-rust-1.95.0-stable.so"))).isEqualTo(22);
        assertThat(LibLlvmLocator.major(Path.of("libLLVM.so.22.1-rust-1.95.0-stable"))).isEqualTo(22);
        assertThat(LibLlvmLocator.major(Path.of("libLLVM-14.so.1"))).isEqualTo(14);
        assertThatThrownBy(() -> LlvmReader.openFirst(List.of(Path.of("/nowhere/libLLVM.so.22.1")), 22))
                .hasMessageContaining("no usable libLLVM").hasMessageContaining("/nowhere/libLLVM.so.22.1").hasMessageContaining("libllvm22");
        assertThat(reader.library().getFileName().toString()).contains("22");
    }

    @Test
    void badBitcodeIsAnErrorNotAnExit(@TempDir Path dir) throws Exception {
        byte[] good = compile(dir, "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden");
        assertThatThrownBy(() -> reader.read("junk.bc", 0, "", "not bitcode".getBytes()))
                .isInstanceOf(BitcodeException.class).hasMessageContaining("Invalid bitcode signature");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        assertThatThrownBy(() -> reader.read("half.bc", 0, "", truncated)).isInstanceOf(BitcodeException.class);
        assertThat(function(reader.read("x.bc", 0, "", good), "hello").typeIds()).hasSize(2);   // the reader is still usable
    }
}
