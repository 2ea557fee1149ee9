package dev.xcfi.verify.check;

import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.verify.bitcode.BitcodeReader;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.llvm.LibLlvmLocator;
import dev.xcfi.verify.llvm.LlvmReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KCFI hashes named from debug information, against clang-22: the committed random prototype
 * corpus of a target, compiled as definitions with {@code -g -fsanitize=kcfi}; each definition's
 * hash, named from the module's debug information, must be the id clang gives it (the golden
 * corpus of the encoder's tests). Every definition must be named except those whose declaration
 * uses what debug information does not record.
 */
class DebugNamesTest {
    /** A salt, a transparent union, {@code noescape}, an address space or a calling convention: not in debug information. */
    private static final Pattern NOT_IN_DEBUG_INFO = Pattern.compile(
            "cfi_salt|\\bTRU\\b|noescape|address_space|ms_abi|sysv_abi|stdcall|fastcall|vectorcall|regcall|preserve_|swiftcall|pcs\\(");

    @TempDir
    Path dir;

    /** Both readers place each side in the source from debug information; text, JSON and SARIF show it. */
    @org.junit.jupiter.api.Test
    void sidesArePlacedInTheSourceByDebugInformation() throws Exception {
        for (String reader : List.of("java", "llvm")) {
            VerifyFixturesTest.Run r = VerifyFixturesTest.verify("--reader=" + reader, "debuginfo");
            assertThat(r.json().get("findings").get(0).get("message").asText()).as(reader)
                    .startsWith("ctx_binding::rust_read is stored in rust_ops (at fixtures/rust/examples/ctx_binding.rs:20) and carries KCFI hash 0x3560a2a0");
            var locations = r.json().get("findings").get(0).get("locations");
            assertThat(locations.get(0).get("source").toString()).as(reader)
                    .isEqualTo("{\"file\":\"fixtures/verify/debuginfo.c\",\"line\":9,\"column\":79,\"directory\":\".\"}");
            assertThat(locations.get(1).get("source").toString()).as(reader)
                    .isEqualTo("{\"file\":\"fixtures/rust/examples/ctx_binding.rs\",\"line\":15,\"directory\":\".\"}");
        }
        java.io.StringWriter out = new java.io.StringWriter();
        dev.xcfi.verify.cli.Main.run(new String[] {"verify", "--format", "sarif", Path.of("..").toAbsolutePath().normalize().resolve("fixtures/verify/debuginfo").toString()},
                new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()));
        var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString()).get("runs").get(0).get("results").get(0);
        var physical = result.get("locations").get(0).get("physicalLocation");
        assertThat(physical.get("artifactLocation").get("uri").asText()).isEqualTo("fixtures/verify/debuginfo.c");
        assertThat(physical.get("region").toString()).isEqualTo("{\"startLine\":9,\"startColumn\":79}");
        assertThat(physical.get("properties").get("module").asText()).endsWith("fixtures/verify/debuginfo/c.bc");
        assertThat(result.get("relatedLocations").get(0).get("physicalLocation").get("region").toString()).isEqualTo("{\"startLine\":15}");
        // without debug information: the module file, and no source
        VerifyFixturesTest.Run plain = VerifyFixturesTest.verify("kcfi");
        assertThat(plain.json().get("findings").get(0).get("locations").get(0).has("source")).isFalse();
        assertThat(plain.text()).doesNotContain("\"source\"");
    }

    /**
     * A DEBUG_LOC places only the instruction just before it: a type test hoisted out of a loop
     * (-O2) has none, and the branch after it, which has one, must not lend it its place. Both
     * readers agree; the checked call in the loop keeps its own.
     */
    @org.junit.jupiter.api.Test
    void aHoistedTypeTestHasNoPlace() throws Exception {
        Path bc = dir.resolve("loop.bc");
        Files.writeString(dir.resolve("loop.c"), """
                typedef int (*cb_t)(void *, int);
                int run(cb_t cb, void *p, int n) {
                    int s = 0;
                    for (int i = 0; i < n; i++) s += cb(p, i);
                    return s;
                }
                """);
        Compilers.run(List.of("clang-22", "-O2", "-g", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden", "-c", dir.resolve("loop.c").toString(),
                "-o", bc.toString()));
        byte[] file = Files.readAllBytes(bc);
        ModuleFacts java = BitcodeReader.readFile(bc.toString(), file).getFirst();
        ModuleFacts llvm = LlvmReader.openFirst(LibLlvmLocator.candidates(Optional.empty()), 22).readFile(bc.toString(), file).getFirst();
        assertThat(java.typeTests()).hasSize(1);
        assertThat(java.typeTests().getFirst().source().isKnown()).isFalse();
        assertThat(java.functions().stream().filter(f -> f.name().equals("run")).findFirst().orElseThrow().source().line()).isEqualTo(2);
        assertThat(java).isEqualTo(llvm);
    }

    /** A callback cast where it is passed: with {@code -g} the message says where the call that passes it is. */
    @org.junit.jupiter.api.Test
    void aCallbackMismatchSaysWhereTheCallIs() throws Exception {
        Path bc = dev.xcfi.verify.TestBitcode.clang(dir, "cb", """
                struct expr { int x; };
                __attribute__((noinline)) void cleanup(void (*del)(void *), void *p) { del(p); }
                static void expr_delete(struct expr *e) { e->x = 0; }
                void run(struct expr *e) {
                    cleanup((void (*)(void *)) expr_delete, e);
                }
                void free_it(void *p) { }
                void (*volatile keep)(void *) = free_it;
                """, "-g", "-fsanitize=kcfi", "-emit-llvm");
        VerifyFixturesTest.Run r = VerifyFixturesTest.verify(bc.toString());
        assertThat(r.findings()).containsExactly("callback-mismatch expr_delete");
        String message = r.json().get("findings").get(0).get("message").asText();
        assertThat(message).matches("run passes expr_delete to cleanup \\(argument 1, the call at .*cb\\.c:5:5\\), which calls it .*")
                .endsWith("parameter 1 is `void *` vs `expr *`");
        assertThat(r.json().get("findings").get(0).get("locations").get(0).get("source").get("line").asInt()).isEqualTo(2);
        assertThat(r.json().get("findings").get(0).get("locations").get(1).get("source").get("line").asInt()).isEqualTo(3);
    }

    /** What a KCFI trap reports, the hash a checked call expects, named by {@code xcfi which} from the source: clang's check is the member's type. */
    @org.junit.jupiter.api.Test
    void whichNamesTheHashAKcfiCheckExpects() throws Exception {
        String source = """
                struct file;
                struct file_ops { long (*read)(struct file *, char *, unsigned long, long long *); int (*release)(struct file *); };
                long vfs_read(const struct file_ops *ops, struct file *f, char *buf) { return ops->read(f, buf, 16, 0); }
                """;
        Path bc = dev.xcfi.verify.TestBitcode.clang(dir, "vfs", source, "-fsanitize=kcfi", "-emit-llvm");
        ModuleFacts m = BitcodeReader.readFile(bc.toString(), Files.readAllBytes(bc)).getFirst();
        assertThat(m.kcfiCalls()).hasSize(1);
        String expected = dev.xcfi.encoding.KcfiHash.format(m.kcfiCalls().getFirst().hash());
        java.io.StringWriter out = new java.io.StringWriter();
        int status = dev.xcfi.verify.cli.Main.run(new String[] {"which", "--target", "x86_64-linux-gnu", expected, dir.resolve("vfs.c").toString()},
                new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()));
        assertThat(status).isZero();
        assertThat(out.toString().lines()).singleElement().asString()
                .startsWith(expected + "\tmember\tstruct file_ops.read\t_ZTSFlP4filePcmPxE\t").endsWith("\tlong (struct file *, char *, unsigned long, long long *)");
    }

    /**
     * rustc's debug information names Rust hashes with no C module to twin them with, measured
     * against rustc: the committed random Rust corpus compiled with {@code -g -Zsanitizer=kcfi}
     * (the golden data's flags); each definition's hash named from the module's debug information
     * alone must be the id rustc gives it (the golden corpus), and every signature of scalars,
     * units, raw pointers and references to them (the shapes debug information spells whole) is named.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void rustDebugInformationNamesRustHashes(boolean normalized) throws Exception {
        Compilers.requireRustc();
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path bc = dir.resolve("corpus.bc");
        List<String> command = new ArrayList<>(List.of("rustc", "--edition", "2021", "--crate-type", "lib", "--crate-name", "xcfi_fixture", "-Cmetadata=xcfi",
                "-Ccodegen-units=1", "-Copt-level=1", "--emit=llvm-bc", "-A", "warnings", "-g", "-Zsanitizer=kcfi", "-Cpanic=abort",
                "-Cunsafe-allow-abi-mismatch=sanitizer" + (normalized ? ",sanitizer-cfi-normalize-integers" : ""),
                "-o", bc.toString(), root.resolve("fixtures/rust/corpus.rs").toString()));
        if (normalized) command.add("-Zsanitizer-cfi-normalize-integers");
        Compilers.run(command, Map.of("RUSTC_BOOTSTRAP", "1"));
        Map<String, String[]> golden = new HashMap<>();
        for (String row : Files.readAllLines(root.resolve("fixtures/rust/golden/corpus." + (normalized ? "normalized" : "plain") + ".tsv"))) {
            String[] f = row.split("\t");
            golden.put(f[0], f);
        }
        java.util.Set<String> simpleFns = new java.util.HashSet<>();
        java.util.regex.Matcher simpleFn = SIMPLE_RUST_FN.matcher(Files.readString(root.resolve("fixtures/rust/corpus.rs")));
        while (simpleFn.find()) simpleFns.add(simpleFn.group(1));
        ModuleFacts m = BitcodeReader.readFile(bc.toString(), Files.readAllBytes(bc)).getFirst();
        KcfiNames names = new KcfiNames(List.of(m));
        int definitions = 0, named = 0, simple = 0;
        List<String> simpleUnnamed = new ArrayList<>();
        for (FunctionFacts f : m.functions()) {
            String[] row = golden.get(f.name());
            if (row == null || !f.definition() || f.kcfiType().isEmpty()) continue;
            definitions++;
            assertThat(dev.xcfi.encoding.KcfiHash.format(f.kcfiType().getAsInt())).as(f.name()).isEqualTo(row[2]);
            Optional<String> name = names.debugName(f.kcfiType().getAsInt(), m);
            if (name.isPresent()) {
                named++;
                assertThat(name.get()).as(f.name()).isEqualTo(row[1]);
            }
            if (simpleFns.contains(f.name())) {
                simple++;
                if (name.isEmpty()) simpleUnnamed.add(f.name() + " " + row[1]);
            }
        }
        System.out.printf("Rust corpus, -g KCFI%s: %d of %d definitions named from debug information (%d of scalars and pointers, all named)%n",
                normalized ? " (normalized integers)" : "", named, definitions, simple);
        assertThat(simpleUnnamed).isEmpty();
        assertThat(simple).isGreaterThan(20);
        assertThat(definitions).isGreaterThan(300);
        // without debug information, none of these is named by this path
        ModuleFacts stripped = new ModuleFacts(m.path(), m.module(), m.producer(), m.triple(), m.flags(), m.functions(), m.typeTests(), m.kcfiCalls(),
                m.callbacks(), m.stored(), List.of(), m.embedded());
        FunctionFacts any = m.functions().stream().filter(f -> f.kcfiType().isPresent() && golden.containsKey(f.name())
                && names.debugName(f.kcfiType().getAsInt(), m).isPresent()).findFirst().orElseThrow();
        assertThat(new KcfiNames(List.of(stripped)).debugName(any.kcfiType().getAsInt(), stripped)).isEmpty();
    }

    /** A Rust type of scalars, unit, {@code c_void} and the C aliases, behind any raw pointers or references. */
    private static final String SIMPLE_RUST_TYPE = "(?:\\*mut |\\*const |&'static mut |&'static |&mut |&)*"
            + "(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|char|\\(\\)|c_void|c_(?:s|u)?char|c_u?short|c_u?int|c_u?long|c_u?longlong|c_float|c_double)";
    /** A corpus definition whose parameters and result are all {@link #SIMPLE_RUST_TYPE}s: its name and signature. */
    private static final Pattern SIMPLE_RUST_FN = Pattern.compile("fn ([der]\\d+)\\(((?:a\\d+: " + SIMPLE_RUST_TYPE + "(?:, )?)*)\\)(?: -> "
            + SIMPLE_RUST_TYPE + ")? \\{");

    @org.junit.jupiter.api.Test
    void aRustRecordNamesItsCTagInCsCase() {
        assertThat(CTwins.tagNames("Ctx")).containsExactly("Ctx", "ctx");
        assertThat(CTwins.tagNames("Sqlite3ChangesetIter")).containsExactly("Sqlite3ChangesetIter", "sqlite3_changeset_iter");
        assertThat(CTwins.tagNames("file")).containsExactly("file");
        assertThat(CTwins.tagNames("file_operations")).containsExactly("file_operations");
    }

    @org.junit.jupiter.api.Test
    void aBindingNamesItsStructsInRustsCase() {
        assertThat(RustTwins.names("ctx")).containsExactly("ctx", "Ctx");
        assertThat(RustTwins.names("sqlite3_changeset_iter")).containsExactly("sqlite3_changeset_iter", "Sqlite3ChangesetIter");
        assertThat(RustTwins.names("Big")).containsExactly("Big");
    }

    /**
     * A Rust definition of a C declaration, KCFI, with a struct pointer and Rust's {@code i64}:
     * without debug information neither hash can be named; with C's, C's is named from it and
     * Rust's as its twin, so the report says what differs.
     */
    @org.junit.jupiter.api.Test
    void bothSidesOfAStructPointerMismatchAreNamedFromCsDebugInformation() throws Exception {
        String c = """
                struct ctx { int id; };
                extern void rust_log(struct ctx *c, long v);
                void use(void) { struct ctx c = {1}; rust_log(&c, 2); }
                """;
        Path rust = dev.xcfi.verify.TestBitcode.rustc(dir, "r", """
                #![no_std]
                #[repr(C)] pub struct Ctx { id: i32 }
                #[no_mangle] pub extern "C" fn rust_log(_c: *mut Ctx, _v: i64) {}
                """, "-Cpanic=abort", "-Zsanitizer=kcfi");
        Path plain = dev.xcfi.verify.TestBitcode.clang(dir, "plain", c, "-fsanitize=kcfi", "-emit-llvm");
        Path debug = dev.xcfi.verify.TestBitcode.clang(dir, "debug", c, "-g", "-fsanitize=kcfi", "-emit-llvm");
        VerifyFixturesTest.Run without = VerifyFixturesTest.verify(plain.toString(), rust.toString());
        assertThat(without.findings()).containsExactly("latent-declaration-mismatch rust_log");
        assertThat(without.text()).doesNotContain("hash of");
        VerifyFixturesTest.Run with = VerifyFixturesTest.verify(debug.toString(), rust.toString());
        assertThat(with.findings()).containsExactly("latent-declaration-mismatch rust_log");
        assertThat(with.text()).contains("parameter 1 is `ctx *` vs `Ctx *`", "hash of _ZTSFvP3ctxlE: C: void (ctx *, long)",
                "hash of _ZTSFvP3Ctxu3i64E: C: void (Ctx *, i64)");
    }

    @ParameterizedTest
    @CsvSource({"x86_64-linux-gnu,plain", "x86_64-linux-gnu,normalized", "aarch64-linux-gnu,plain", "i686-linux-gnu,normalized"})
    void everyDefinitionOfTheCorpusIsNamedAsClangNamesIt(String target, String mode) throws Exception {
        Compilers.requireClang();
        Path root = Path.of("..").toAbsolutePath().normalize();
        StringBuilder definitions = new StringBuilder();
        Map<String, String> declarations = new HashMap<>();
        Pattern prototype = Pattern.compile("^.*\\b(f\\d{4,})\\(.*;$");
        for (String line : Files.readAllLines(root.resolve("fixtures/c/corpus/" + target + ".h"))) {
            var m = prototype.matcher(line);
            if (m.matches()) declarations.put(m.group(1), line);
            definitions.append(m.matches() ? line.substring(0, line.length() - 1) + " {}" : line).append('\n');
        }
        Path c = Files.writeString(dir.resolve("defs.c"), definitions);
        Path bc = dir.resolve("defs.bc");
        List<String> command = new ArrayList<>(List.of("clang-22", "--target=" + target, "-ffreestanding", "-nostdlibinc", "-isystem",
                root.resolve("fixtures/c/sysroot").toString(), "-w", "-g", "-O0", "-fsanitize=kcfi", "-emit-llvm", "-c"));
        if (mode.equals("normalized")) command.add("-fsanitize-cfi-icall-experimental-normalize-integers");
        command.addAll(List.of("-o", bc.toString(), c.toString()));
        Compilers.run(command);
        Map<String, String> golden = new HashMap<>();
        for (String row : Files.readAllLines(root.resolve("fixtures/c/golden/" + target + "/corpus." + mode + ".tsv"))) {
            String[] f = row.split("\t");
            golden.put(f[0], f[1]);
        }

        byte[] file = Files.readAllBytes(bc);
        ModuleFacts module = BitcodeReader.readFile(bc.toString(), file).getFirst();
        // both readers find the same function types (the Java reader walks each body's own metadata apart)
        ModuleFacts byLibLlvm = LlvmReader.openFirst(LibLlvmLocator.candidates(Optional.empty()), 22).readFile(bc.toString(), file).getFirst();
        assertThat(module.debugTypes()).hasSizeGreaterThan(definitions.length() / 1000).isEqualTo(byLibLlvm.debugTypes());
        assertThat(module).isEqualTo(byLibLlvm);
        KcfiNames names = new KcfiNames(List.of(module));
        int named = 0, definitionsSeen = 0;
        List<String> missed = new ArrayList<>();
        for (FunctionFacts f : module.functions()) {
            if (!golden.containsKey(f.name())) continue;
            definitionsSeen++;
            assertThat(f.kcfiType()).as(f.name()).isPresent();
            Optional<String> id = names.debugName(f.kcfiType().getAsInt(), module);
            if (id.isPresent()) {
                named++;
                assertThat(id.get()).as(f.name()).isEqualTo(golden.get(f.name()));
            } else if (!NOT_IN_DEBUG_INFO.matcher(declarations.get(f.name())).find()) {
                missed.add(declarations.get(f.name()) + "  // clang: " + golden.get(f.name()));
            }
        }
        System.out.printf("%s %s: %d of %d definitions named from debug information%n", target, mode, named, definitionsSeen);
        assertThat(definitionsSeen).isEqualTo(golden.size());
        assertThat(missed).isEmpty();
        assertThat(named).isGreaterThan(definitionsSeen / 2);
    }
}
