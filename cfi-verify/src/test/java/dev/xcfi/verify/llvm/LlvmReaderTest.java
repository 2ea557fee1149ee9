package dev.xcfi.verify.llvm;

import dev.xcfi.verify.bitcode.BitcodeException;
import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.verify.TestBitcode;
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
        return Files.readAllBytes(TestBitcode.clang(dir, "x", SOURCE, flags));
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
        assertThat(hello.signature()).as("only a KCFI hash needs it").isEmpty();
        assertThat(function(m, "take").definition()).isFalse();
        assertThat(m.typeTests()).containsExactly(new TypeTest("call_n", TypeIdRef.named("_ZTSFvlE"), TypeTest.Kind.TYPE_TEST));
        assertThat(m.callbacks()).containsExactly(new CallbackArgument("wire", "take", 0, 2, "hello"));
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
        assertThat(function(m, "hello").signature()).isEqualTo("void(i64)");
        assertThat(m.kcfiCalls()).containsExactly(new KcfiCall("call_n", normalized, 0, "void(i64)"));
        assertThat(m.typeTests()).isEmpty();
        assertThat(m.flags().kcfi()).isTrue();
        assertThat(m.flags().kcfiHash()).isEqualTo(Optional.of("xxHash64"));
        assertThat(m.flags().normalizeIntegers()).isTrue();
    }

    static final String RUST = """
            #[no_mangle]
            pub extern "C" fn hello(_n: i64) {}
            #[no_mangle]
            pub extern "C" fn call_n(cb: extern "C" fn(i64), n: i64) { for i in 0..n { cb(i) } }
            """;

    static Path rustc(Path dir, String out, String... flags) throws IOException, InterruptedException {
        return TestBitcode.rustc(dir, out.replace(".bc", ""), RUST, flags);
    }

    @Test
    void readsRustcKcfiWithoutAHashFlag(@TempDir Path dir) throws Exception {
        ModuleFacts m = reader.read("r.bc", 0, "", Files.readAllBytes(rustc(dir, "r.bc", "-Zsanitizer=kcfi", "-Cpanic=abort")));
        int hash = dev.xcfi.encoding.KcfiHash.XXHASH64.hash("_ZTSFvu3i64E");
        assertThat(function(m, "hello").kcfiType()).isEqualTo(OptionalInt.of(hash));
        assertThat(m.kcfiCalls()).containsExactly(new KcfiCall("call_n", hash, 0, "void(i64)"));
        assertThat(function(m, "call_n").signature()).isEqualTo("void(ptr,i64)");
        assertThat(m.flags().kcfi()).isTrue();
        assertThat(m.flags().kcfiHash()).isEmpty();
    }

    @Test
    void splitsAndReadsRustcMultiModuleFiles(@TempDir Path dir) throws Exception {
        Path both = rustc(dir, "r.bc", "-Zsanitizer=cfi", "-Clinker-plugin-lto");
        assertThatThrownBy(() -> reader.read("r.bc", 0, "", Files.readAllBytes(both)))
                .isInstanceOf(BitcodeException.class).hasMessageContaining("Expected a single module");
        List<ModuleFacts> modules = reader.readFile("r.bc", Files.readAllBytes(both));
        assertThat(modules).extracting(ModuleFacts::module).containsExactly(0, 1);
        assertThat(modules.get(0).producer()).contains("rust-1.95");
        ModuleFacts m = modules.get(0);
        assertThat(function(m, "hello").typeIds()).extracting(TypeAttachment::id).extracting(id -> ((TypeIdRef.Named) id).id())
                .containsExactlyInAnyOrder("_ZTSFvu3i64E", "_ZTSFvu3i64E.generalized", "_ZTSFvu3i64E.normalized", "_ZTSFvu3i64E.normalized.generalized");
        assertThat(m.typeTests()).containsExactly(new TypeTest("call_n", TypeIdRef.named("_ZTSFvu3i64E"), TypeTest.Kind.TYPE_TEST));
    }

    @Test
    void locatorPrefersTheNamedLibraryAndRefusesOldOnes() {
        assertThat(LibLlvmLocator.candidates(Optional.of(Path.of("/nowhere/libLLVM.so.22.1")))).containsExactly(Path.of("/nowhere/libLLVM.so.22.1"));
        List<Path> found = LibLlvmLocator.candidates(Optional.empty());
        assertThat(found).anySatisfy(p -> assertThat(LibLlvmLocator.major(p)).isEqualTo(22));
        assertThat(LibLlvmLocator.major(Path.of("libLLVM-22-rust-1.95.0-stable.so"))).isEqualTo(22);
        assertThat(LibLlvmLocator.major(Path.of("libLLVM.so.22.1-rust-1.95.0-stable"))).isEqualTo(22);
        assertThat(LibLlvmLocator.major(Path.of("libLLVM-14.so.1"))).isEqualTo(14);
        assertThatThrownBy(() -> LlvmReader.openFirst(List.of(Path.of("/nowhere/libLLVM.so.22.1")), 22))
                .hasMessageContaining("no usable libLLVM").hasMessageContaining("/nowhere/libLLVM.so.22.1").hasMessageContaining("libllvm22");
        assertThat(reader.library().getFileName().toString()).contains("22");
    }

    @Test
    void readsTextualIr(@TempDir Path dir) throws Exception {
        Path ll = dir.resolve("x.ll");
        TestBitcode.clang(dir, "x", SOURCE, "-fsanitize=kcfi", "-emit-llvm");
        Compilers.run(List.of("llvm-dis-22", dir.resolve("x.bc").toString(), "-o", ll.toString()), java.util.Map.of());
        List<ModuleFacts> text = reader.readFile("x.ll", Files.readAllBytes(ll));
        List<ModuleFacts> binary = reader.readFile("x.ll", Files.readAllBytes(dir.resolve("x.bc")));
        assertThat(text).hasSize(1);
        assertThat(text.get(0).functions()).isEqualTo(binary.get(0).functions());
        assertThat(text.get(0).kcfiCalls()).isEqualTo(binary.get(0).kcfiCalls()).hasSize(1);
    }

    @Test
    void badBitcodeIsAnErrorNotAnExit(@TempDir Path dir) throws Exception {
        byte[] good = compile(dir, "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden");
        assertThatThrownBy(() -> reader.read("junk.bc", 0, "", "not bitcode".getBytes()))
                .isInstanceOf(BitcodeException.class).hasMessageContaining("Invalid bitcode signature");
        assertThatThrownBy(() -> reader.readFile("bad.ll", "define void @f( {\n".getBytes()))
                .isInstanceOf(BitcodeException.class).hasMessage("bad.ll:2:1: error: expected type");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        assertThatThrownBy(() -> reader.read("half.bc", 0, "", truncated)).isInstanceOf(BitcodeException.class);
        assertThat(function(reader.read("x.bc", 0, "", good), "hello").typeIds()).hasSize(2);   // the reader is still usable
    }
}
