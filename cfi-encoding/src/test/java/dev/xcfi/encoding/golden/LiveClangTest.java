package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.EncodingException;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.CType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against the clang-22 installed on this machine, not the committed golden data: a fresh random
 * batch (a new seed each run, printed for reproduction; {@code -Dxcfi.liveSeed=N} repeats one),
 * every builtin type on every target, and each target's standard typedefs.
 */
class LiveClangTest {
    static final long SEED = Long.getLong("xcfi.liveSeed", System.nanoTime());
    static final int BATCH = 200;

    @TempDir
    static Path work;

    @BeforeAll
    static void clang() {
        Compilers.requireClang();
    }

    @TestFactory
    List<DynamicTest> freshRandomBatchMatchesInstalledClang() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Target target : Target.known()) {
            tests.add(DynamicTest.dynamicTest(target.shortName() + " seed " + SEED, () -> {
                Path header = work.resolve("live-" + target.shortName() + ".h");
                Files.writeString(header, new CPrototypeGenerator(SEED + target.hashCode(), target).header("live", BATCH));
                assertSameAsClang(target, header, List.of(CfiMode.all()), BATCH);
            }));
        }
        return tests;
    }

    /** xcfi's rows for a generated header, in each of {@code modes}, are clang's: {@code rows} of them. */
    private static void assertSameAsClang(Target target, Path header, List<CfiMode> modes, int rows) {
        Map<CfiMode, List<GoldenRow>> clang;
        try {
            clang = new ClangOracle(target, Fixtures.includeDirs(), work).rows(header, KcfiHash.XXHASH64);
        } catch (IOException e) {
            throw new AssertionError("seed " + SEED + " (repeat with -Dxcfi.liveSeed=" + SEED + "): " + e.getMessage(), e);
        }
        for (CfiMode mode : modes) {
            List<String> expected = clang.get(mode).stream().map(GoldenRow::tsv).toList();
            List<String> actual = GoldenCorpusTest.actualRows(target, header, mode, KcfiHash.XXHASH64);
            assertThat(GoldenCorpusTest.differences(expected, actual))
                    .as("seed %d, %s, %s (repeat with -Dxcfi.liveSeed=%d)", SEED, target, mode.label(), SEED).isEmpty();
            assertThat(actual).hasSize(rows);
        }
    }

    /** A fresh batch of random records on every target: the sizes and alignments their ids spell are clang's. */
    @TestFactory
    List<DynamicTest> freshRandomRecordsHaveClangsLayouts() {
        List<DynamicTest> tests = new ArrayList<>();
        Path header = work.resolve("live-layouts.h");
        for (Target target : Target.known()) {
            tests.add(DynamicTest.dynamicTest(target.shortName() + " seed " + SEED, () -> {
                String text = new CRecordGenerator(SEED).header(60);
                if (!Files.exists(header)) Files.writeString(header, text);
                // generalized ids erase the pointed-to arrays, and with them the layouts
                assertSameAsClang(target, header, List.of(CfiMode.PLAIN, CfiMode.NORMALIZED), (int) text.lines().filter(l -> l.startsWith("void ")).count());
            }));
        }
        return tests;
    }

    /**
     * Real headers through {@code -I}: 27 of glibc's (installed with clang-22: libc6-dev is one of
     * its dependencies), which use function-like macros, {@code #include_next}, feature checks and
     * asm labels. Every function xcfi reads from them must have clang's ids; clang is asked through
     * a redeclaration of each in the main file ({@code __typeof__(f) f;}), since the oracle lists
     * only that file's functions.
     */
    @TestFactory
    List<DynamicTest> glibcHeadersMatchInstalledClang() throws IOException {
        Target host = Target.host();   // the installed C library is the host's (Debian's multiarch layout)
        List<Path> includes = List.of(Path.of("/usr/include"), Path.of("/usr/include", host.shortName()));
        assertThat(includes.get(0).resolve("stdio.h")).as("glibc's headers (libc6-dev)").exists();
        return glibcHeaders(host, includes, List.of("stdio", "stdlib", "string", "time", "signal", "pthread", "unistd", "sys/socket",
                "math", "wchar", "locale", "setjmp", "dirent", "fcntl", "sys/stat", "errno", "ctype", "inttypes", "netdb", "sys/mman",
                "poll", "sched", "threads", "uchar", "search", "glob", "dlfcn"), 1000, "");
    }

    /**
     * The host's glibc headers read for every other Linux-like target: odd C for them (the x86_64
     * folder, with an empty {@code gnu/stubs-32.h} for the 32-bit paths), but the same text for
     * both compilers, so every data model and ABI meets real declarations (LLP64's 32-bit long,
     * ILP32, unsigned char, other long doubles).
     */
    @TestFactory
    List<DynamicTest> glibcHeadersMatchInstalledClangOnTheOtherTargets() throws IOException {
        Target host = Target.host();
        Path stubs = work.resolve("stubs");
        Files.createDirectories(stubs.resolve("gnu"));
        Files.writeString(stubs.resolve("gnu/stubs-32.h"), "");
        List<Path> includes = List.of(Path.of("/usr/include"), Path.of("/usr/include", host.shortName()), stubs);
        List<DynamicTest> tests = new ArrayList<>();
        for (Target target : Target.known()) {
            if (target.equals(host) || target.os() == Target.Os.DARWIN) continue;   // glibc is not for Apple's targets
            tests.addAll(glibcHeaders(target, includes, List.of("stdio", "stdlib", "string", "time", "signal", "unistd", "math", "wchar",
                    "locale", "setjmp", "dirent", "fcntl", "errno", "ctype", "inttypes", "netdb", "sched", "uchar", "search", "glob",
                    "dlfcn", "err", "regex", "termios", "pwd", "grp"), 900, target.shortName() + " "));
        }
        return tests;
    }

    private List<DynamicTest> glibcHeaders(Target target, List<Path> includes, List<String> names, int atLeast, String label) throws IOException {
        StringBuilder headers = new StringBuilder();
        for (String h : names) headers.append("#include <").append(h).append(".h>\n");
        return headersMatchClang(target, includes, "glibc-" + target.shortName() + ".h", headers.toString(), atLeast, label);
    }

    /**
     * Linux's own headers as a kernel build reads them (Debian's linux-headers-amd64, which
     * scripts/test installs on x86_64): fs.h, skbuff.h, mm.h, sched.h, sock.h, bpf.h, perf_event.h,
     * kvm_host.h and the rest of include/linux they pull in — static calls, struct_group's
     * directives among macro arguments, GENMASK enumerators, jump-label pastes, typeof.
     */
    @TestFactory
    List<DynamicTest> linuxKernelHeadersMatchInstalledClang() throws IOException {
        Path common = null, generated = null;
        try (var folders = Files.list(Path.of("/usr/src"))) {
            for (Path p : folders.sorted().toList()) {
                String name = p.getFileName().toString();
                Path amd64 = p.resolveSibling(name.replaceFirst("-common$", "-amd64"));
                if (name.startsWith("linux-headers-") && name.endsWith("-common") && Files.isDirectory(amd64)) {
                    common = p;
                    generated = amd64;
                }
            }
        }
        assertThat(common).as("Linux's headers (apt-get install linux-headers-amd64, as scripts/test does)").isNotNull();
        List<Path> includes = List.of(common.resolve("arch/x86/include"), generated.resolve("arch/x86/include/generated"),
                common.resolve("include"), generated.resolve("include"), common.resolve("arch/x86/include/uapi"),
                generated.resolve("arch/x86/include/generated/uapi"), common.resolve("include/uapi"), generated.resolve("include/generated/uapi"));
        StringBuilder text = new StringBuilder("""
                #define __KERNEL__ 1
                #define KBUILD_MODNAME "xcfi"
                #define CC_USING_FENTRY 1
                #include <linux/kconfig.h>
                #include <linux/compiler_types.h>
                """);
        for (String h : List.of("linux/fs", "linux/skbuff", "linux/mm", "linux/sched", "net/sock", "linux/bpf", "linux/perf_event",
                "linux/kvm_host", "linux/static_call", "linux/nvme", "linux/pci", "linux/usb")) {
            text.append("#include <").append(h).append(".h>\n");
        }
        // Kbuild compiles everything with -fshort-wchar
        return headersMatchClang(Target.of("x86_64-linux-gnu").withShortWchar(), includes, "linux-" + common.getFileName() + ".h", text.toString(), 10_000, "linux ");
    }

    /** What xcfi reads in {@code text} (saved as {@code file}) has no error, and clang's ids in every mode, function by function. */
    private List<DynamicTest> headersMatchClang(Target target, List<Path> includes, String file, String text, int atLeast, String label) throws IOException {
        Path plain = work.resolve(file);
        Files.writeString(plain, text);
        var parsed = dev.xcfi.encoding.c.HeaderParser.parse(target, includes, List.of(dev.xcfi.encoding.c.HeaderParser.Input.of(plain)));
        Map<CfiMode, List<GoldenRow>> clang = new ClangOracle(target, includes, work)
                .rowsOfIncluded(plain, parsed.functions().stream().map(f -> f.name()).toList(), KcfiHash.XXHASH64);
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest(label + "parsed without errors", () -> {
            assertThat(parsed.errors()).isEmpty();
            assertThat(parsed.functions()).hasSizeGreaterThan(atLeast);
        }));
        for (CfiMode mode : CfiMode.all()) {
            tests.add(DynamicTest.dynamicTest(label + mode.label(), () -> {
                List<String> actual = GoldenCorpusTest.actualRows(target, plain, includes, mode, KcfiHash.XXHASH64);
                assertThat(GoldenCorpusTest.differencesByName(actual, clang.get(mode))).isEmpty();
                // (a function declared twice is a row each time in xcfi, one name in clang's)
                assertThat(clang.get(mode).stream().map(GoldenRow::name).collect(java.util.stream.Collectors.toSet()))
                        .isEqualTo(actual.stream().map(row -> row.substring(0, row.indexOf('\t'))).collect(java.util.stream.Collectors.toSet()));
            }));
        }
        return tests;
    }

    /** Every builtin by value and behind a pointer: clang accepts it exactly where xcfi does, with the same id. */
    @TestFactory
    List<DynamicTest> everyBuiltinOnEveryTarget() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Target target : Target.known()) {
            tests.add(DynamicTest.dynamicTest(target.shortName(), () -> {
                ClangEncoder encoder = ClangEncoder.of(target);
                List<String> mismatches = new ArrayList<>();
                for (Kind kind : Kind.values()) {
                    if (kind == Kind.VOID || kind == Kind.NULLPTR) continue;   // nullptr_t needs C23; void is not a parameter
                    for (boolean pointer : new boolean[] {false, true}) {
                        CType t = pointer ? PointerType.to(BuiltinType.of(kind)) : BuiltinType.of(kind);
                        String spelled = kind.spelling() + (pointer ? " *" : "");
                        String clang = clangId(target, "void f(" + spelled + ");");
                        // the declaration as written, through the parser (which refuses keywords a target lacks) and the encoder
                        String ours;
                        var parsed = dev.xcfi.encoding.c.HeaderParser.parse(target, "t.h", "void f(" + spelled + ");\n");
                        try {
                            ours = parsed.errors().isEmpty() ? encoder.encode(parsed.functions().getFirst().type(), CfiMode.PLAIN).value() : "rejected";
                        } catch (EncodingException e) {
                            ours = "rejected";
                        }
                        assertThat(parsed.errors().isEmpty() ? parsed.functions().getFirst().type() : FunctionType.of(BuiltinType.VOID, t))
                                .isEqualTo(FunctionType.of(BuiltinType.VOID, t));
                        if (!clang.equals(ours)) mismatches.add(spelled + ": clang " + clang + ", xcfi " + ours);
                    }
                }
                assertThat(mismatches).isEmpty();
            }));
        }
        return tests;
    }

    /** The standard typedefs per target, as clang's freestanding headers define them. */
    /** __has_builtin answers as the installed clang does for every builtin name in its library, on every target. */
    @TestFactory
    List<DynamicTest> builtinsAreTheInstalledClangs() throws IOException {
        List<String> candidates = ClangOracle.builtinCandidates();
        assertThat(candidates).as("builtin names found in libclang-cpp").hasSizeGreaterThan(1000);
        List<DynamicTest> tests = new ArrayList<>();
        for (Target target : Target.known()) {
            tests.add(DynamicTest.dynamicTest(target.shortName(), () -> {
                Path probe = work.resolve("has-builtin-" + target.shortName() + ".h");
                StringBuilder text = new StringBuilder();
                for (String c : candidates) text.append("#if __has_builtin(").append(c).append(")\nvoid has_").append(c).append("(void);\n#endif\n");
                Files.writeString(probe, text);
                var parsed = dev.xcfi.encoding.c.HeaderParser.parse(target, List.of(), List.of(dev.xcfi.encoding.c.HeaderParser.Input.of(probe)));
                assertThat(parsed.errors()).isEmpty();
                assertThat(parsed.functions().stream().map(f -> f.name().substring(4)).toList())
                        .containsExactlyElementsOf(new ClangOracle(target, List.of(), work).builtins(candidates));
            }));
        }
        return tests;
    }

    /**
     * GCC's machine modes ({@code mode(DI)}, glibc's and the kernel's {@code __attribute__((mode(…)))}
     * typedefs) and clang's {@code ext_vector_type} on every target, in every mode: DI is long on
     * LP64 targets and long long elsewhere, word and pointer follow the pointer's width, TI is
     * __int128 even where the keyword is not, a plain char base keeps the target's signedness.
     */
    @TestFactory
    List<DynamicTest> machineModesAndExtVectorsAreClangs() throws IOException {
        Path header = work.resolve("modes.h");
        Files.writeString(header, """
                typedef int qi __attribute__((mode(QI)));
                typedef unsigned uqi __attribute__((__mode__(__QI__)));
                typedef int hi __attribute__((mode(HI)));
                typedef long si __attribute__((mode(SI)));
                typedef int di __attribute__((mode(DI)));
                typedef unsigned long long udi __attribute__((mode(DI)));
                typedef int ti __attribute__((mode(TI)));
                typedef unsigned ti_u __attribute__((mode(TI)));
                typedef char ch __attribute__((mode(HI)));
                typedef _Bool bq __attribute__((mode(QI)));
                typedef int by __attribute__((mode(byte)));
                typedef unsigned wo __attribute__((mode(word)));
                typedef int po __attribute__((mode(pointer)));
                typedef float sf __attribute__((mode(SF)));
                typedef double df __attribute__((mode(DF)));
                typedef float df2 __attribute__((mode(DF)));
                typedef int v4si __attribute__((mode(V4SI)));
                typedef char v8qi __attribute__((mode(V8QI)));
                typedef float v2df __attribute__((mode(V2DF)));
                typedef int e2 __attribute__((ext_vector_type(2)));
                typedef float e3 __attribute__((ext_vector_type(3)));
                typedef unsigned char e16 __attribute__((ext_vector_type(16)));
                typedef _Bool eb __attribute__((ext_vector_type(8)));
                typedef double e4 __attribute__((ext_vector_type(4)));
                void m1(qi a, uqi b, hi c, si d, di e, udi f);
                void m2(ti a, ti_u b, ch c, bq d, by e, wo f, po g);
                void m3(sf a, df b, df2 c, const di *p, di (*fp)(wo));
                void m4(v4si a, v8qi b, v2df c, v4si *p);
                void m5(e2 a, e3 b, e16 c, eb d, e4 e, const e3 *p);
                """);
        List<DynamicTest> tests = new ArrayList<>();
        for (Target target : Target.known()) {
            tests.add(DynamicTest.dynamicTest(target.shortName(), () -> assertSameAsClang(target, header, List.of(CfiMode.all()), 5)));
        }
        return tests;
    }

    /**
     * clang's {@code -fshort-wchar} (Kbuild's for Linux's EFI code; UEFI firmware) on every target:
     * wchar_t and the macros that describe it, in every mode.
     */
    @TestFactory
    List<DynamicTest> shortWcharIsClangs() throws IOException {
        Path header = work.resolve("short-wchar.h");
        Files.writeString(header, """
                #include <stddef.h>
                void w1(wchar_t c, const wchar_t *s, wchar_t (*table)[4]);
                void w2(__WCHAR_TYPE__ *p, char (*)[sizeof(wchar_t)], char (*)[__SIZEOF_WCHAR_T__], char (*)[_Alignof(wchar_t)]);
                void w3(char (*)[__WCHAR_MAX__ == 65535 ? 1 : 2], char (*)[__WCHAR_WIDTH__]);
                #ifdef __WCHAR_UNSIGNED__
                void w4(unsigned u);
                #else
                void w4(signed s);
                #endif
                #if defined __ARM_SIZEOF_WCHAR_T && __ARM_SIZEOF_WCHAR_T != 2
                void w5(long l);
                #else
                void w5(short s);
                #endif
                """);
        List<DynamicTest> tests = new ArrayList<>();
        for (Target target : Target.known()) {
            tests.add(DynamicTest.dynamicTest(target.shortName(), () -> {
                Target shortWchar = target.withShortWchar();
                assertThat(ClangOracle.targetFlags(shortWchar)).as("a Windows target's wchar_t is short already")
                        .hasSize(target.os() == Target.Os.WINDOWS ? 1 : 2);
                assertSameAsClang(shortWchar, header, List.of(CfiMode.all()), 5);
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> predefinedMacrosAreTheInstalledClangs() {
        // The committed tables come from fixtures/c/regenerate; a newer clang that defines other
        // macros must be noticed, since headers choose their declarations by them.
        List<DynamicTest> tests = new ArrayList<>();
        for (Target target : Target.known()) {
            tests.add(DynamicTest.dynamicTest(target.shortName(), () ->
                    assertThat(Files.readString(Fixtures.predefinedMacros(target))).isEqualTo(ClangOracle.predefinedMacros(target))));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> standardTypedefsMatchClang() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Target target : Target.known()) {
            tests.add(DynamicTest.dynamicTest(target.shortName(), () -> {
                StringBuilder src = new StringBuilder("#include <stddef.h>\n#include <stdint.h>\n#include <uchar.h>\n#include <wchar.h>\n#include <stdarg.h>\n");
                List<String> names = new ArrayList<>(target.standardTypedefs().keySet());
                names.add("va_list");
                names.add("max_align_t");
                for (String n : names) src.append("void td_").append(n).append("(").append(n).append(");\n");
                Path h = work.resolve("typedefs-" + target.shortName() + ".h");
                Files.writeString(h, src);
                Map<CfiMode, List<GoldenRow>> clang = new ClangOracle(target, Fixtures.includeDirs(), work).rows(h, KcfiHash.XXHASH64);
                List<String> expected = clang.get(CfiMode.PLAIN).stream().map(GoldenRow::tsv).toList();
                assertThat(GoldenCorpusTest.differences(expected, GoldenCorpusTest.actualRows(target, h, CfiMode.PLAIN, KcfiHash.XXHASH64))).isEmpty();
            }));
        }
        return tests;
    }

    /** The plain id clang gives the one function in {@code decl}, or "rejected" when clang reports an error. */
    private static String clangId(Target target, String decl) throws IOException, InterruptedException {
        Path c = work.resolve("one.c");
        Files.writeString(c, decl + "\nvoid *p = (void *)&f;\n");
        Process p = new ProcessBuilder(ClangOracle.CLANG, "--target=" + target.triple(), "-ffreestanding", "-nostdlibinc", "-w",
                "-S", "-emit-llvm", "-o", "-", "-flto", "-fvisibility=hidden", "-Xclang", "-fsanitize=cfi-icall",
                "-Xclang", "-fsanitize-trap=cfi-icall", c.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        if (p.exitValue() != 0) return "rejected";
        int i = out.indexOf("!\"_ZTS");
        return out.substring(i + 2, out.indexOf('"', i + 2));
    }

}
