package dev.xcfi.verify.bitcode;

import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.verify.TestBitcode;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.llvm.LibLlvmLocator;
import dev.xcfi.verify.llvm.LlvmReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pure-Java reader against libLLVM: for every fixture module and for modules compiled here
 * (debug info, C++ exceptions, -O0, ThinLTO, rustc CFI and KCFI), both readers' facts must be
 * equal, field by field.
 */
class ReaderDifferentialTest {
    static final Path FIXTURES = Path.of("..", "fixtures", "verify");
    static LlvmReader llvm;

    @BeforeAll
    static void open() {
        Compilers.requireClang();
        llvm = LlvmReader.openFirst(LibLlvmLocator.candidates(Optional.empty()), 22);
    }

    /** Both readers' facts, with the Java reader's function bodies read one by one and side by side. */
    static void assertSameFacts(String path, byte[] file) throws BitcodeException {
        List<ModuleFacts> expected = llvm.readFile(path, file);
        assertSameFacts(path + " (bodies read in order)", expected, BitcodeReader.readFile(path, file, Integer.MAX_VALUE));
        assertSameFacts(path + " (bodies read in parallel)", expected, BitcodeReader.readFile(path, file, 1));
    }

    static void assertSameFacts(String path, List<ModuleFacts> expected, List<ModuleFacts> actual) {
        assertThat(actual).as(path + ": modules").hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            ModuleFacts e = expected.get(i), a = actual.get(i);
            String where = path + " module " + i;
            assertThat(a.producer()).as(where + ": producer").isEqualTo(e.producer());
            assertThat(a.triple()).as(where + ": triple").isEqualTo(e.triple());
            assertThat(a.flags()).as(where + ": module flags").isEqualTo(e.flags());
            assertThat(a.functions()).as(where + ": functions").containsExactlyElementsOf(e.functions());
            assertThat(a.typeTests()).as(where + ": type tests").containsExactlyElementsOf(e.typeTests());
            assertThat(a.kcfiCalls()).as(where + ": kcfi calls").containsExactlyElementsOf(e.kcfiCalls());
            assertThat(a.callbacks()).as(where + ": callbacks").containsExactlyElementsOf(e.callbacks());
            assertThat(a.stored()).as(where + ": functions held by globals").containsExactlyElementsOf(e.stored());
            assertThat(a).as(where).isEqualTo(e);
        }
    }

    static List<Path> fixtureModules() throws IOException {
        try (Stream<Path> s = Files.walk(FIXTURES)) {
            return s.filter(p -> p.toString().endsWith(".bc"))
                    .filter(p -> !p.startsWith(FIXTURES.resolve("corrupt")) && !p.startsWith(FIXTURES.resolve("crash"))
                            && !p.startsWith(FIXTURES.resolve("llvm14")))
                    .sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> fixtures() throws IOException {
        List<Path> modules = fixtureModules();
        assertThat(modules).hasSizeGreaterThanOrEqualTo(11);
        return modules.stream().map(p -> DynamicTest.dynamicTest(FIXTURES.relativize(p).toString(),
                () -> assertSameFacts(p.toString(), Files.readAllBytes(p))));
    }

    /** Many bodies: the Java reader reads them on several threads, in chunks that reuse their readers. */
    @org.junit.jupiter.api.Test
    void aModuleOfManyFunctions(@TempDir Path dir) throws Exception {
        Path ll = TestBitcode.manyFunctions(dir.resolve("many.ll"), 5_000), bc = dir.resolve("many.bc");
        Compilers.run(List.of("llvm-as-22", ll.toString(), "-o", bc.toString()));
        assertSameFacts(bc.toString(), Files.readAllBytes(bc));
    }

    /** Cross-DSO builds: the third {@code !type} of each function is its cross-DSO id, and checks also call {@code __cfi_slowpath}. */
    @org.junit.jupiter.api.Test
    void crossDsoIdsAndSlowPathChecks(@TempDir Path dir) throws Exception {
        Path bc = TestBitcode.clang(dir, "x", C, "-flto", "-fsanitize=cfi-icall", "-fsanitize-cfi-cross-dso", "-fvisibility=hidden");
        byte[] file = Files.readAllBytes(bc);
        assertSameFacts(bc.toString(), file);
        ModuleFacts m = BitcodeReader.readFile("x.bc", file).get(0);
        long twice = dev.xcfi.encoding.CrossDsoId.of("_ZTSFllE");
        assertThat(m.functions()).filteredOn(f -> f.name().equals("twice")).singleElement()
                .satisfies(f -> assertThat(f.typeIds()).extracting(dev.xcfi.verify.facts.TypeAttachment::id)
                        .containsExactly(dev.xcfi.verify.facts.TypeIdRef.named("_ZTSFllE"), dev.xcfi.verify.facts.TypeIdRef.named("_ZTSFllE.generalized"),
                                new dev.xcfi.verify.facts.TypeIdRef.CrossDso(twice)));
        assertThat(m.typeTests()).filteredOn(t -> t.kind() == dev.xcfi.verify.facts.TypeTest.Kind.SLOWPATH && t.function().equals("apply"))
                .extracting(dev.xcfi.verify.facts.TypeTest::id).containsExactly(new dev.xcfi.verify.facts.TypeIdRef.CrossDso(twice));
    }

    /** Darwin's wrapper header (magic 0x0B17C0DE, version, offset, size, CPU type) in front of a module, and padding after it. */
    @org.junit.jupiter.api.Test
    void aWrappedModuleReadsLikeTheBareOne() throws Exception {
        byte[] bare = Files.readAllBytes(FIXTURES.resolve("fig4/c.bc"));
        java.nio.ByteBuffer wrapped = java.nio.ByteBuffer.allocate(20 + bare.length + 12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        wrapped.putInt(0x0B17C0DE).putInt(0).putInt(20).putInt(bare.length).putInt(0x01000007).put(bare);
        assertSameFacts("wrapped.bc", wrapped.array());
        List<ModuleFacts> facts = BitcodeReader.readFile("wrapped.bc", wrapped.array());
        assertThat(facts.get(0).functions()).isEqualTo(BitcodeReader.readFile("c.bc", bare).get(0).functions());
    }

    @org.junit.jupiter.api.Test
    void bitcodeOutsideLlvm15To22IsUnsupportedNotMalformed() throws IOException {
        byte[] old = Files.readAllBytes(FIXTURES.resolve("llvm14/old.bc"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BitcodeReader.readFile("old.bc", old))
                .isInstanceOf(UnsupportedBitcodeException.class).hasMessageStartingWith("bitcode from LLVM14.0.6;");
    }

    @org.junit.jupiter.api.Test
    void corruptFixturesFailWithBitOffsetAndBlockPath() throws IOException {
        byte[] truncated = Files.readAllBytes(FIXTURES.resolve("corrupt/truncated.bc"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BitcodeReader.readFile("t.bc", truncated))
                .isInstanceOf(BitcodeException.class).isNotInstanceOf(UnsupportedBitcodeException.class)
                .satisfies(e -> assertThat(((BitcodeException) e).bitOffset()).isPositive());
    }

    /**
     * Benchmark modules (benchmarks/verify-sqlite's SQLite, 3.75 MB) are too slow to build in
     * every CI run: {@code -Dxcfi.differential.modules=a.bc:b.bc} adds them.
     */
    @TestFactory
    Stream<DynamicTest> benchmarkModules() {
        String extra = System.getProperty("xcfi.differential.modules", "");
        return Stream.of(extra.split(":")).filter(s -> !s.isBlank()).map(Path::of)
                .map(p -> DynamicTest.dynamicTest(p.toString(), () -> assertSameFacts(p.toString(), Files.readAllBytes(p))));
    }

    static final String C = """
            #include <stdarg.h>
            struct ops { long (*get)(long); void (*put)(int, ...); };
            static long twice(long x) { return 2 * x; }
            long apply(long (*f)(long), long x) { return f(x); }
            extern void take(long (*f)(long), void (*g)(int, ...));
            void vput(int n, ...) { va_list ap; va_start(ap, n); va_end(ap); }
            static struct ops table = { twice, vput };
            struct ops *ops(void) { return &table; }
            long run(struct ops *o, long x) { o->put(1, x); take(twice, vput); return apply(o->get, x) + o->get(x); }
            """;
    static final String CPP = """
            struct E {};
            void thrower(long n) { if (n) throw E(); }
            long guarded(void (*f)(long), long n) { try { f(n); } catch (E &) { return 1; } return 0; }
            """;
    static final String RUST = """
            pub fn apply(f: fn(i64) -> i64, x: i64) -> i64 { f(x) }
            pub extern "C" fn twice(x: i64) -> i64 { 2 * x }
            pub fn run(x: i64) -> i64 { apply(|y| y + 1, x) + apply(twice_rs, x) }
            fn twice_rs(x: i64) -> i64 { twice(x) }
            pub fn slice(f: fn(&[u8]) -> usize, s: &[u8]) -> usize { f(s) }
            pub trait Shape { fn area(&self) -> i64; }
            struct Square(i64);
            impl Shape for Square { fn area(&self) -> i64 { self.0 * self.0 } }
            pub fn shape(n: i64) -> Box<dyn Shape> { Box::new(Square(n)) }
            #[repr(C)]
            pub struct Ops { pub get: extern "C" fn(i64) -> i64, pub more: [Option<extern "C" fn(i64) -> i64>; 2] }
            #[no_mangle]
            pub static OPS: Ops = Ops { get: twice, more: [Some(twice), None] };
            """;
    /** Tables inside tables, a table of them, a lone pointer, a function only llvm.used names, and stores at run time. */
    static final String TABLES = """
            struct ops { long (*get)(long); void (*put)(int, ...); };
            struct driver { const char *name; struct ops ops[2]; void (*probe)(void); };
            static long one(long x) { return x; }
            static long two(long x) { return 2 * x; }
            static void put(int n, ...) { }
            static void probe(void) { }
            __attribute__((used)) static void kept(void) { }
            const struct driver drivers[] = { { "a", { { one, put }, { two, put } }, probe }, { "b", { { two, put }, { one, 0 } }, 0 } };
            void (*hook)(void) = probe;
            long (*unset)(long);
            long call(const struct driver *d, long x) { d->probe(); return d->ops[1].get(x); }
            void install(struct ops *o) { o->get = two; o->put = put; hook = probe; }
            void install_again(struct ops *o, int which) { o->get = which ? one : two; o[1].get = one; }
            """;

    @TestFactory
    Stream<DynamicTest> compiled(@TempDir Path dir) throws Exception {
        Map<String, Path> modules = new java.util.LinkedHashMap<>();
        modules.put("c cfi-icall -flto", TestBitcode.clang(dir, "c1", C, "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden"));
        modules.put("c cfi-icall -O0 -g", TestBitcode.clang(dir, "c2", C, "-O0", "-g", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden"));
        modules.put("c cfi-icall normalized generalized -g", TestBitcode.clang(dir, "c3", C, "-g", "-flto", "-fsanitize=cfi-icall",
                "-fsanitize-cfi-icall-experimental-normalize-integers", "-fsanitize-cfi-icall-generalize-pointers", "-fvisibility=hidden"));
        modules.put("c cfi-icall cross-dso", TestBitcode.clang(dir, "c4", C, "-flto", "-fsanitize=cfi-icall", "-fsanitize-cfi-cross-dso", "-fvisibility=hidden"));
        modules.put("c kcfi -g", TestBitcode.clang(dir, "c5", C, "-g", "-emit-llvm", "-fsanitize=kcfi"));
        modules.put("c kcfi -O0", TestBitcode.clang(dir, "c6", C, "-O0", "-emit-llvm", "-fsanitize=kcfi"));
        modules.put("c thinlto cfi-icall", TestBitcode.clang(dir, "c7", C, "-flto=thin", "-fsanitize=cfi-icall", "-fvisibility=hidden"));
        modules.put("c++ exceptions cfi-icall", cpp(dir));
        modules.put("rust cfi", TestBitcode.rustc(dir, "r1", RUST, "-Zsanitizer=cfi", "-Clto", "-Cembed-bitcode=yes"));
        modules.put("rust cfi normalized", TestBitcode.rustc(dir, "r2", RUST, "-Zsanitizer=cfi", "-Zsanitizer-cfi-normalize-integers", "-Clto", "-Cembed-bitcode=yes"));
        modules.put("rust kcfi", TestBitcode.rustc(dir, "r3", RUST, "-Zsanitizer=kcfi", "-Cpanic=abort"));
        modules.put("rust cfi debuginfo", TestBitcode.rustc(dir, "r4", RUST, "-Zsanitizer=cfi", "-Clto", "-Cembed-bitcode=yes", "-g"));
        List<DynamicTest> tests = new ArrayList<>();
        modules.forEach((name, p) -> tests.add(DynamicTest.dynamicTest(name, () -> assertSameFacts(p.toString(), Files.readAllBytes(p)))));
        return tests.stream();
    }

    /** The functions global initializers hold: first appearances in order, through nested aggregates, toolchain globals left out. */
    @org.junit.jupiter.api.Test
    void functionsHeldByGlobals(@TempDir Path dir) throws Exception {
        for (String[] flags : List.of(new String[] {"-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden"}, new String[] {"-emit-llvm", "-fsanitize=kcfi"},
                new String[] {"-O0", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden"})) {
            Path bc = TestBitcode.clang(dir, "tables", TABLES, flags);
            byte[] file = Files.readAllBytes(bc);
            assertSameFacts(bc + " " + String.join(" ", flags), file);
            assertThat(BitcodeReader.readFile("tables.bc", file).get(0).stored()).as(String.join(" ", flags)).extracting(s -> s.kind() + " " + s.holder() + " " + s.function())
                    .startsWith("INITIALIZER drivers one", "INITIALIZER drivers put", "INITIALIZER drivers two", "INITIALIZER drivers probe", "INITIALIZER hook probe",
                            "STORE install two", "STORE install put", "STORE install probe")
                    .contains("STORE install_again one");
        }
        Path rs = TestBitcode.rustc(dir, "tables_rs", RUST, "-Zsanitizer=cfi", "-Clinker-plugin-lto");
        byte[] file = Files.readAllBytes(rs);
        assertSameFacts(rs.toString(), file);
        List<dev.xcfi.verify.facts.StoredFunction> stored = BitcodeReader.readFile("tables_rs.bc", file).get(0).stored();
        assertThat(stored).filteredOn(s -> s.holder().equals("OPS")).singleElement().satisfies(s -> assertThat(s.function()).contains("twice"));
        // the trait object's vtable holds its method
        assertThat(stored).anySatisfy(s -> assertThat(s.function()).contains("area"));
    }

    private static Path cpp(Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve("e.cpp");
        Files.writeString(src, CPP);
        Path out = dir.resolve("e.bc");
        Compilers.run(List.of("clang++-22", "-O1", "-c", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden", "-o", out.toString(), src.toString()));
        return out;
    }
}
