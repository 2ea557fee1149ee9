package dev.xcfi.verify.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.golden.Fixtures;
import dev.xcfi.verify.TestBitcode;
import dev.xcfi.verify.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule, positive and negative, on the committed fixtures (fixtures/verify/regenerate builds
 * them with clang-22 and rustc) and on small programs compiled here.
 */
class VerifyFixturesTest {
    record Run(int exit, JsonNode json, String text) {
        List<String> findings() {
            List<String> out = new ArrayList<>();
            json.get("findings").forEach(f -> out.add(f.get("rule").asText() + " " + f.get("symbol").asText()));
            return out;
        }
    }

    static Run verify(String... paths) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", "--format", "json"));
        for (String p : paths) args.add(p.startsWith("-") || p.startsWith("/") ? p : Fixtures.root().resolve("fixtures/verify").resolve(p).toString());
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertThat(err.toString()).isEmpty();
        return new Run(exit, new ObjectMapper().readTree(out.toString()), out.toString());
    }

    /**
     * Two trap (Rust calls hello_from_c through a pointer of its own type, C calls back a Rust
     * function); the third, indirect_call_from_c's declaration, is latent: Rust calls it directly,
     * and nothing is checked against the declared id.
     */
    @Test
    void fig4HasItsTwoRealMismatchesAndALatentOne() throws Exception {
        Run r = verify("fig4");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.findings()).containsExactly("declaration-mismatch hello_from_c", "latent-declaration-mismatch indirect_call_from_c",
                "callback-mismatch hello_from_rust_again");
        JsonNode hello = r.json().get("findings").get(0);
        assertThat(hello.get("severity").asText()).isEqualTo("error");
        assertThat(hello.get("message").asText()).endsWith("parameter 1 is `i64` vs `long`");
        assertThat(hello.get("locations").get(0).get("typeId").asText()).isEqualTo("_ZTSFvu3i64E");
        assertThat(hello.get("locations").get(0).get("role").asText()).isEqualTo("declaration");
        assertThat(hello.get("locations").get(1).get("typeId").asText()).isEqualTo("_ZTSFvlE");
        assertThat(hello.get("locations").get(1).get("decoded").asText()).isEqualTo("C: void (long); Rust: extern \"C\" fn(c_long)");
        assertThat(hello.get("fix").asText()).contains("#[cfi_encoding = \"l\"]");
        JsonNode nested = r.json().get("findings").get(1);
        assertThat(nested.get("severity").asText()).isEqualTo("warning");
        assertThat(nested.get("message").asText()).contains("no indirect call in the analysed modules is checked against the declared id yet, "
                + "so nothing traps now").endsWith("parameter 1 (a function pointer): its parameter 1 is `i64` vs `long`; parameter 2 is `i64` vs `long`");
        assertThat(nested.get("fix").asText()).contains("#[cfi_encoding = \"l\"]");
        JsonNode callback = r.json().get("findings").get(2);
        assertThat(callback.get("locations").get(0).get("typeId").asText()).isEqualTo("_ZTSFvlE");
        assertThat(callback.get("locations").get(1).get("typeId").asText()).isEqualTo("_ZTSFvu3i64E");
        assertThat(r.json().get("summary").get("errors").asInt()).isEqualTo(2);
        assertThat(r.json().get("summary").get("warnings").asInt()).isEqualTo(1);
        assertThat(r.json().get("inputs").get(1).get("modules").asInt()).isEqualTo(2);
    }

    /** Warnings exit 0 unless --fail-on warning; errors exit 1 either way; a baseline's warnings do not count. */
    @Test
    void failOnWarningMakesWarningsFailTheRun(@TempDir Path dir) throws Exception {
        assertThat(verify("plugins").exit()).isZero();
        assertThat(verify("--fail-on=warning", "plugins").exit()).isEqualTo(1);
        assertThat(verify("--fail-on=warning", "fig5").exit()).isZero();
        assertThat(verify("--fail-on=error", "fig4").exit()).isEqualTo(1);
        Path base = dir.resolve("b.json");
        java.nio.file.Files.writeString(base, verify("plugins").text());
        assertThat(verify("--fail-on=warning", "--baseline", base.toString(), "plugins").exit()).isZero();
    }

    @Test
    void manyBodiesAndOneCallThroughATypeNoFunctionHas() throws Exception {
        Run r = verify("plugins");
        assertThat(r.exit()).isZero();
        assertThat(r.findings()).containsExactly("unsatisfiable-check probe");
        assertThat(r.json().get("findings").get(0).get("locations").get(0).get("decoded").asText())
                .isEqualTo("C: int (double); Rust: extern \"C\" fn(f64) -> c_int");
        JsonNode input = r.json().get("inputs").get(0);
        assertThat(input.get("functions").asInt()).isEqualTo(132);
        assertThat(input.get("typeTests").asInt()).isEqualTo(19);
    }

    @Test
    void sarifCarriesRulesResultsAndUnreadableInputs() throws Exception {
        StringWriter out = new StringWriter();
        int exit = Main.run(new String[] {"verify", "--format", "sarif", Fixtures.root().resolve("fixtures/verify/fig4").toString(),
                Fixtures.root().resolve("fixtures/verify/corrupt/truncated.bc").toString()}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(exit).isEqualTo(2);
        JsonNode run = new ObjectMapper().readTree(out.toString()).get("runs").get(0);
        assertThat(run.get("tool").get("driver").get("rules")).extracting(n -> n.get("id").asText())
                .containsExactly("declaration-mismatch", "latent-declaration-mismatch", "callback-mismatch", "scheme-mismatch", "unsatisfiable-check", "table-entry-mismatch", "internal-type-id");
        assertThat(run.get("results")).extracting(n -> n.get("ruleId").asText() + " " + n.get("level").asText() + " "
                + n.get("locations").get(0).get("logicalLocations").get(0).get("name").asText())
                .containsExactly("declaration-mismatch error hello_from_c", "latent-declaration-mismatch warning indirect_call_from_c",
                        "callback-mismatch error hello_from_rust_again");
        assertThat(run.get("results").get(0).get("relatedLocations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText())
                .endsWith("fig4/c.bc");
        assertThat(run.get("invocations").get(0).get("executionSuccessful").asBoolean()).isFalse();
        assertThat(run.get("invocations").get(0).get("toolExecutionNotifications").get(0).get("message").get("text").asText()).contains("at bit");
    }

    @Test
    void bindingsThatNameATypedefInsteadOfTheTagMismatchEvenNormalized() throws Exception {
        // Both sides normalized, so the integers agree (checksum, the allocator callback); the
        // struct is `stream` in Rust and `struct stream_s` in C, and ids spell those names.
        Run r = verify("bindings");
        // nothing calls them through a pointer: latent, a warning (exit 0) until something does
        assertThat(r.exit()).isZero();
        assertThat(r.findings()).containsExactly("latent-declaration-mismatch stream_init", "latent-declaration-mismatch stream_step");
        JsonNode init = r.json().get("findings").get(0);
        assertThat(init.get("message").asText()).endsWith("parameter 1 is `stream *` vs `stream_s *`");
        assertThat(init.get("locations").get(0).get("typeId").asText()).isEqualTo("_ZTSFu3i32P6streamE.normalized");
        assertThat(init.get("locations").get(1).get("typeId").asText()).isEqualTo("_ZTSFu3i32P8stream_sE.normalized");
        assertThat(init.get("fix").asText()).contains("the Rust type `stream` stands for C's `stream_s`")
                .contains("#[cfi_encoding = \"8stream_s\"]");
    }

    @Test
    void theFixedProgramAndNormalizationOnBothSidesAreClean() throws Exception {
        for (String clean : List.of("fig5", "normalized")) {
            Run r = verify(clean);
            assertThat(r.findings()).as(clean).isEmpty();
            assertThat(r.exit()).as(clean).isZero();
        }
    }

    @Test
    void normalizationOnOneSideIsASchemeMismatch() throws Exception {
        Run r = verify("one-sided");
        assertThat(r.findings()).first().isEqualTo("scheme-mismatch ");
        assertThat(r.json().get("findings").get(0).get("message").asText()).isEqualTo("the modules disagree on integer normalization: not normalized vs normalized");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void kcfiDeclarationsAndCallbacksAreComparedByHash() throws Exception {
        Run r = verify("kcfi");
        assertThat(r.findings()).containsExactly("declaration-mismatch hello_from_c", "latent-declaration-mismatch indirect_call_from_c",
                "callback-mismatch hello_from_rust_again");
        JsonNode callback = r.json().get("findings").get(2);
        assertThat(callback.get("locations").get(0).get("typeId").asText()).isEqualTo("0xbde2bfc8");   // xxHash64 of _ZTSFvlE
        assertThat(callback.get("locations").get(1).get("typeId").asText()).isEqualTo("0x0ffabd9f");   // xxHash64 of _ZTSFvu3i64E
        assertThat(r.json().get("findings").get(0).get("locations").get(0).get("typeId").asText()).isEqualTo("0x0ffabd9f");
        assertThat(r.json().get("inputs").get(1).get("scheme").get("kcfiHash").asText()).isEqualTo("xxHash64");
    }

    /**
     * C's static functions are callbacks too (a cast where one is passed is the classic CFI trap),
     * and each is seen only from its own module: a static of the same name elsewhere, with the right
     * type, is no finding. Both schemes, both readers.
     */
    @Test
    void staticCallbacksAreCheckedInTheirOwnModule(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        Path a = java.nio.file.Files.writeString(dir.resolve("a.c"), """
                typedef void (*cleanup_fn)(void *);
                __attribute__((noinline)) void add_cleanup(cleanup_fn f, void *p) { f(p); }
                struct expr { int x; };
                static void expr_delete(struct expr *e) { e->x = 0; }
                void use(struct expr *e) { add_cleanup((cleanup_fn) expr_delete, e); }
                """);
        Path b = java.nio.file.Files.writeString(dir.resolve("b.c"), """
                void add_cleanup(void (*)(void *), void *);
                static void expr_delete(void *p) { *(int *) p = 0; }
                void use_too(void *p) { add_cleanup(expr_delete, p); }
                """);
        for (String scheme : List.of("-fsanitize=cfi-icall", "-fsanitize=kcfi")) {
            List<String> modules = new ArrayList<>();
            for (Path c : List.of(a, b)) {
                Path bc = dir.resolve(c.getFileName() + scheme.substring(11) + ".bc");
                dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "-O1", "-c", "-flto", "-fvisibility=hidden", scheme, c.toString(), "-o", bc.toString()));
                modules.add(bc.toString());
            }
            for (String reader : List.of("--reader=java", "--reader=llvm")) {
                Run r = verify(reader, modules.get(0), modules.get(1));
                List<JsonNode> callbacks = new ArrayList<>();
                r.json().get("findings").forEach(f -> { if (f.get("rule").asText().equals("callback-mismatch")) callbacks.add(f); });
                assertThat(callbacks).as(scheme + " " + reader).hasSize(1);
                JsonNode f = callbacks.get(0);
                assertThat(f.get("message").asText()).startsWith("use passes expr_delete to add_cleanup");
                assertThat(f.get("locations").get(1).get("path").asText()).isEqualTo(modules.get(0));
                assertThat(f.get("fix").asText()).contains("a cast where it is passed does not change the id the call checks");
                if (scheme.endsWith("icall")) assertThat(f.get("locations").get(1).get("typeId").asText()).isEqualTo("_ZTSFvP4exprE");
                else assertThat(f.get("locations").get(1).get("typeId").asText()).isEqualTo(KcfiHash.format(KcfiHash.XXHASH64.hash("_ZTSFvP4exprE")));
                assertThat(r.exit()).isEqualTo(1);
            }
        }
    }

    /** A patchable prefix moves the hash: modules built with different -fpatchable-function-entry offsets miss each other's hashes. */
    @Test
    void kcfiModulesWithDifferentHashOffsetsAreASchemeMismatch(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        Path c = dir.resolve("fig4-prefixed.bc");
        dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "-O1", "-c", "-emit-llvm", "-fsanitize=kcfi", "-fpatchable-function-entry=4,2",
                Fixtures.root().resolve("fixtures/verify/fig4.c").toString(), "-o", c.toString()));
        Run r = verify(c.toString(), "kcfi/rust.bc");
        assertThat(r.findings()).first().isEqualTo("scheme-mismatch ");
        assertThat(r.text()).contains("the modules disagree on KCFI hash offset (the patchable-function-entry prefix): offset 2 vs offset 0");
        assertThat(verify("kcfi").findings()).doesNotContain("scheme-mismatch ");
    }

    /**
     * A callback defined in a module built without the sanitizer carries no id or hash: a callee
     * that checks its call through the parameter traps. Each verdict is also checked by linking the
     * program with lld and running it (132: SIGILL, the check's trap). Under cfi-icall, a definition
     * linked as native code is reached through a jump-table entry made from the declaration: no trap,
     * no finding.
     */
    @Test
    void aCallbackBuiltWithoutTheSanitizerTrapsAndIsFound(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        java.nio.file.Files.writeString(dir.resolve("callee.c"), """
                void cb(long);
                __attribute__((noinline)) void run(void (*f)(long)) { f(1); }
                void go(void) { run(cb); }
                """);
        java.nio.file.Files.writeString(dir.resolve("plain.c"), "void cb(long x) { }\n");
        java.nio.file.Files.writeString(dir.resolve("main.c"), "void go(void);\nint main(void) { go(); return 0; }\n");
        String callee = dir.resolve("callee.c").toString(), plain = dir.resolve("plain.c").toString();
        compile(dir, "kcfi-callee.o", callee, "-fsanitize=kcfi", "-fembed-bitcode");
        compile(dir, "kcfi-callee.bc", callee, "-fsanitize=kcfi", "-emit-llvm");
        compile(dir, "plain.o", plain, "-fembed-bitcode");
        compile(dir, "plain.bc", plain, "-emit-llvm");
        compile(dir, "kcfi-plain.o", plain, "-fsanitize=kcfi", "-fembed-bitcode");
        compile(dir, "cfi-callee.bc", callee, "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall");
        compile(dir, "lto-plain.bc", plain, "-flto", "-fvisibility=hidden");
        compile(dir, "main.o", dir.resolve("main.c").toString());
        String finding = "callback-mismatch cb";

        assertThat(verify(p(dir, "kcfi-callee.o"), p(dir, "plain.o")).findings()).containsExactly(finding);
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "kcfi-callee.bc"), p(dir, "plain.bc"));
            assertThat(r.findings()).as(reader).containsExactly(finding);
            assertThat(r.text()).as(reader).contains("which calls it with a KCFI check for 0xbde2bfc8, but cb is defined in a module built without KCFI");
        }
        assertThat(runs(dir, "kcfi-callee.o", "plain.o")).isEqualTo(132);
        assertThat(verify(p(dir, "kcfi-callee.o"), p(dir, "kcfi-plain.o")).findings()).isEmpty();
        assertThat(runs(dir, "kcfi-callee.o", "kcfi-plain.o")).isZero();

        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "cfi-callee.bc"), p(dir, "lto-plain.bc"));
            assertThat(r.findings()).as(reader).containsExactly(finding);
            assertThat(r.text()).as(reader).contains("through a pointer of type id _ZTSFvlE, but cb is defined in a module built without CFI");
        }
        assertThat(runs(dir, "cfi-callee.bc", "lto-plain.bc", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden")).isEqualTo(132);
        assertThat(verify(p(dir, "cfi-callee.bc"), p(dir, "plain.o")).findings()).isEmpty();
        assertThat(runs(dir, "cfi-callee.bc", "plain.o", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden")).isZero();
    }

    /**
     * A weak definition is replaced at link time by a strong one: pointers taken in the weak
     * definition's module point to the strong one, which carries its own id. Confirmed by running.
     */
    @Test
    void aWeakDefinitionReplacedByAStrongOneOfAnotherTypeTrapsAndIsFound(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        java.nio.file.Files.writeString(dir.resolve("weak.c"), """
                __attribute__((weak)) void hook(long x) { }
                void (*volatile p)(long);
                void go(void) { p = hook; p(1); }
                """);
        java.nio.file.Files.writeString(dir.resolve("strong.c"), "void hook(int x) { }\n");
        java.nio.file.Files.writeString(dir.resolve("same.c"), "void hook(long x) { }\n");
        java.nio.file.Files.writeString(dir.resolve("main.c"), "void go(void);\nint main(void) { go(); return 0; }\n");
        compile(dir, "main.o", dir.resolve("main.c").toString());
        for (String c : List.of("weak", "strong", "same")) {
            String source = dir.resolve(c + ".c").toString();
            compile(dir, c + ".bc", source, "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall");
            compile(dir, c + ".o", source, "-fsanitize=kcfi", "-fembed-bitcode");
        }
        String[] lto = {"-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden"};
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "weak.bc"), p(dir, "strong.bc"));
            assertThat(r.findings()).as(reader).containsExactly("declaration-mismatch hook");
            assertThat(r.text()).as(reader).contains("hook has a weak definition with type id _ZTSFvlE but the strong definition that replaces it carries _ZTSFviE");
        }
        assertThat(runs(dir, "weak.bc", "strong.bc", lto)).isEqualTo(132);
        assertThat(verify(p(dir, "weak.bc"), p(dir, "same.bc")).findings()).isEmpty();
        assertThat(runs(dir, "weak.bc", "same.bc", lto)).isZero();

        Run kcfi = verify(p(dir, "weak.o"), p(dir, "strong.o"));
        assertThat(kcfi.findings()).containsExactly("declaration-mismatch hook");
        assertThat(kcfi.text()).contains("hook has a weak definition with KCFI hash 0xbde2bfc8 but the strong definition that replaces it carries 0x019c0cac");
        assertThat(runs(dir, "weak.o", "strong.o")).isEqualTo(132);
        assertThat(verify(p(dir, "weak.o"), p(dir, "same.o")).findings()).isEmpty();
        assertThat(runs(dir, "weak.o", "same.o")).isZero();
    }

    /**
     * Two modules declare a function that none of them defines (it is in a native library) with
     * different types: one declaration's id (or the definition's hash) is what pointers to it
     * carry, so the other module's indirect calls through it trap. Confirmed by running both.
     */
    @Test
    void twoDeclarationsOfAFunctionDefinedElsewhereThatDisagreeAreFound(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        java.nio.file.Files.writeString(dir.resolve("a.c"), "void ext(long);\nvoid (*volatile pa)(long);\nvoid from_a(void) { pa = ext; pa(1); }\n");
        java.nio.file.Files.writeString(dir.resolve("b.c"), "void ext(int);\nvoid (*volatile pb)(int);\nvoid from_b(void) { pb = ext; pb(2); }\n");
        java.nio.file.Files.writeString(dir.resolve("ext.c"), "void ext(long x) { }\n");
        java.nio.file.Files.writeString(dir.resolve("main.c"),
                "void from_a(void); void from_b(void);\nint main(int argc, char **argv) { if (argc > 1) from_b(); else from_a(); return 0; }\n");
        compile(dir, "main.o", dir.resolve("main.c").toString());
        compile(dir, "ext.o", dir.resolve("ext.c").toString());
        compile(dir, "kcfi-ext.o", dir.resolve("ext.c").toString(), "-fsanitize=kcfi");
        for (String c : List.of("a", "b")) {
            compile(dir, c + ".bc", dir.resolve(c + ".c").toString(), "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall");
            compile(dir, "kcfi-" + c + ".o", dir.resolve(c + ".c").toString(), "-fsanitize=kcfi", "-fembed-bitcode");
        }
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "a.bc"), p(dir, "b.bc"));
            assertThat(r.findings()).as(reader).containsExactly("declaration-mismatch ext");
            assertThat(r.text()).as(reader).contains("ext is declared with type id _ZTSFviE but another module declares it with _ZTSFvlE, "
                    + "and no analysed module defines it");
        }
        Run kcfi = verify(p(dir, "kcfi-a.o"), p(dir, "kcfi-b.o"));
        assertThat(kcfi.findings()).containsExactly("declaration-mismatch ext");
        assertThat(kcfi.text()).contains("ext is declared with KCFI hash 0x019c0cac but another module declares it with 0xbde2bfc8");
        // with the definition given too, the int declaration is compared with the long definition
        compile(dir, "kcfi-ext-embedded.o", dir.resolve("ext.c").toString(), "-fsanitize=kcfi", "-fembed-bitcode");
        assertThat(verify(p(dir, "kcfi-a.o"), p(dir, "kcfi-b.o"), p(dir, "kcfi-ext-embedded.o")).text())
                .contains("ext is declared with KCFI hash 0x019c0cac but defined with 0xbde2bfc8").doesNotContain("another module declares it");
        for (String[] program : List.of(new String[] {"a.bc", "b.bc", "ext.o", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden"},
                new String[] {"kcfi-a.o", "kcfi-b.o", "kcfi-ext.o"})) {
            List<String> command = new ArrayList<>(List.of("clang-22", "-fuse-ld=lld"));
            for (String part : program) command.add(part.startsWith("-") ? part : p(dir, part));
            Path exe = dir.resolve("prog-" + program[0]);
            command.addAll(List.of(p(dir, "main.o"), "-o", exe.toString()));
            dev.xcfi.encoding.golden.Compilers.run(command);
            assertThat(exitOf(exe.toString())).as(program[0] + " from_a").isZero();
            assertThat(exitOf(exe.toString(), "b")).as(program[0] + " from_b").isEqualTo(132);
        }
    }

    /**
     * The other direction: a C operations table holds {@code void c_log(long)}, and Rust calls
     * through it as {@code extern "C" fn(i64)}: the call tests {@code _ZTSFvu3i64E}, which the C
     * function does not carry. Confirmed by running (cfi-icall with LTO, and KCFI). The same cast
     * within C ({@code (void (*)(long)) log_ll} with {@code void log_ll(long long)}) is left to
     * clang's {@code -Wcast-function-type-strict}: not reported.
     */
    @Test
    void aCTableThatRustCallsThroughWithAnotherIntegerTypeTrapsAndIsFound(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("table.c"), """
                struct ops { void (*log)(long); void (*flush)(void); };
                void c_log(long level) { }
                static void flush(void) { }
                const struct ops c_ops = { c_log, flush };
                void go(void);
                int main(void) { go(); return 0; }
                """);
        java.nio.file.Files.writeString(dir.resolve("go.rs"), """
                #![no_std]
                #[repr(C)]
                pub struct Ops { pub log: extern "C" fn(i64), pub flush: extern "C" fn() }
                extern "C" { static c_ops: Ops; }
                #[no_mangle]
                pub extern "C" fn go() { unsafe { (c_ops.flush)(); (c_ops.log)(1); } }
                #[panic_handler]
                fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                """);
        buildC(dir, "table");
        buildRust(dir, "go");
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "table.bc"), p(dir, "cfi-go.bc"));
            // (and, true as well, no function carries the id go tests: its every call traps)
            assertThat(r.findings()).as(reader).containsExactly("unsatisfiable-check go", "table-entry-mismatch c_log");
            assertThat(r.exit()).isZero();   // warnings: the calls that read the table are not visible in the IR
            assertThat(r.text()).as(reader).contains("c_log is stored in c_ops and carries _ZTSFvlE, which no checked call tests, but go checks "
                    + "calls against _ZTSFvu3i64E, a type of the same shape", "parameter 1 is `i64` vs `long`");
            JsonNode stored = r.json().get("findings").get(1).get("locations").get(1);
            assertThat(stored.get("path").asText() + " " + stored.get("role").asText()).isEqualTo(p(dir, "table.bc") + " function stored in c_ops");
        }
        Run kcfi = verify(p(dir, "kcfi-table.o"), p(dir, "kcfi-go.bc"));
        assertThat(kcfi.findings()).containsExactly("unsatisfiable-check go", "table-entry-mismatch c_log");
        assertThat(kcfi.text()).contains("c_log is stored in c_ops and carries KCFI hash 0xbde2bfc8, which no checked call expects, but go makes "
                + "KCFI-checked calls expecting 0x0ffabd9f");
        assertThat(runMixed(dir, "table", "go")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);

        java.nio.file.Files.writeString(dir.resolve("cast.c"), """
                struct ops { void (*log)(long); };
                void log_ll(long long x) { }
                const struct ops fast_ops = { (void (*)(long)) log_ll };
                void go(const struct ops *o) { o->log(1); }
                """);
        compile(dir, "cast.bc", p(dir, "cast.c"), "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall");
        assertThat(verify(p(dir, "cast.bc")).findings()).containsExactly("unsatisfiable-check go");
    }

    /**
     * Stored at run time, not in a table: Rust fills in a C struct of callbacks through a pointer
     * ({@code (*ops).log = rust_log}), C calls through it. Confirmed by running.
     */
    @Test
    void aRustFunctionStoredIntoACStructAtRunTimeTrapsAndIsFound(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("main.c"), """
                struct ops { void (*log)(long); void (*flush)(void); };
                void fill(void *);
                void c_log(long x) { }
                void (*volatile keep)(long) = c_log;
                int main(void) { struct ops o; fill(&o); o.flush(); o.log(1); return 0; }
                """);
        java.nio.file.Files.writeString(dir.resolve("fill.rs"), """
                #![no_std]
                #[repr(C)]
                pub struct Ops { pub log: extern "C" fn(i64), pub flush: extern "C" fn() }
                extern "C" fn rust_log(_x: i64) {}
                extern "C" fn rust_flush() {}
                #[no_mangle]
                pub unsafe extern "C" fn fill(ops: *mut core::ffi::c_void) {
                    let ops = ops as *mut Ops;
                    (*ops).log = rust_log;
                    (*ops).flush = rust_flush;
                }
                #[panic_handler]
                fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                """);
        buildC(dir, "main");
        buildRust(dir, "fill");
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "main.bc"), p(dir, "cfi-fill.bc"));
            assertThat(r.findings()).as(reader).singleElement().asString().startsWith("table-entry-mismatch _R").contains("rust_log");
            assertThat(r.text()).as(reader).contains("is stored to memory by fill and carries _ZTSFvu3i64E, which no checked call tests, but main checks "
                    + "calls against _ZTSFvlE");
        }
        Run kcfi = verify(p(dir, "kcfi-main.o"), p(dir, "kcfi-fill.bc"));
        assertThat(kcfi.findings()).singleElement().asString().startsWith("table-entry-mismatch _R").contains("rust_log");
        assertThat(kcfi.text()).contains("is stored to memory by fill and carries KCFI hash 0x0ffabd9f");
        assertThat(runMixed(dir, "main", "fill")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
    }

    /**
     * A hand-written binding: the Rust struct is {@code Ctx} where C's tag is {@code ctx} (rustc
     * encodes a {@code #[repr(C)]} struct by its name, as clang does a tag), and the integers are
     * Rust's. The entry's id and the test differ in four places, all named. Confirmed by running.
     * Under KCFI the same program traps too, but without debug information it is not reported
     * while C has a function of the field's type: a hash of a signature with a struct pointer
     * cannot be named by its id (docs/verify.md's gaps); without one, the call's orphaned check and
     * the entry are paired by their IR type. With C built with {@code -g}, C's hash is named from
     * its debug information and the Rust entry's as its twin, and all four parts are reported.
     */
    @Test
    void aRustTableEntryWhoseStructIsNamedOtherwiseTrapsAndIsFound(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.copy(Fixtures.root().resolve("fixtures/verify/debuginfo.c"), dir.resolve("reader.c"));   // its binding, no_std to link, below
        java.nio.file.Files.writeString(dir.resolve("binding.rs"), """
                #![no_std]
                use core::ffi::{c_int, c_void};
                #[repr(C)] pub struct Ctx { pub n: c_int }
                #[repr(C)] pub struct Ops { pub read: extern "C" fn(*mut Ctx, *mut c_void, c_int, i64) -> c_int }
                extern "C" fn rust_read(_c: *mut Ctx, _b: *mut c_void, _n: c_int, _off: i64) -> c_int { 0 }
                #[no_mangle] pub static rust_ops: Ops = Ops { read: rust_read };
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                """);
        buildC(dir, "reader");
        buildRust(dir, "binding");
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "reader.bc"), p(dir, "cfi-binding.bc"));
            assertThat(r.findings()).as(reader).singleElement().asString().startsWith("table-entry-mismatch _R").contains("rust_read");
            assertThat(r.text()).as(reader).contains("is stored in rust_ops and carries _ZTSFu3i32P3CtxPvS_u3i64E, which no checked call tests, "
                    + "but go checks calls against _ZTSFiP3ctxPvixE, a type of the same shape", "the return type is `int` vs `i32`; "
                    + "parameter 1 is `ctx *` vs `Ctx *`; parameter 3 is `int` vs `i32`; parameter 4 is `long long` vs `i64`");
            String fix = r.json().get("findings").get(0).get("fix").asText();
            assertThat(fix).contains("#[cfi_encoding = \"i\"]", "#[cfi_encoding = \"3ctx\"]", "#[cfi_encoding = \"x\"]")
                    .endsWith("; for the integers, integer normalization on both sides does as well (clang -fsanitize-cfi-icall-experimental-normalize-integers, "
                            + "rustc -Zsanitizer-cfi-normalize-integers)");
            assertThat(fix.split("integer normalization", -1)).as("said once").hasSize(2);
        }
        assertThat(verify(p(dir, "kcfi-reader.o"), p(dir, "kcfi-binding.bc")).findings()).isEmpty();
        // ... unless C's debug information names its hash (and through it the Rust binding's, as its twin)
        compile(dir, "kcfi-g-reader.bc", p(dir, "reader.c"), "-g", "-fsanitize=kcfi", "-emit-llvm");
        for (String reader : List.of("java", "llvm")) {
            Run named = verify("--reader=" + reader, p(dir, "kcfi-g-reader.bc"), p(dir, "kcfi-binding.bc"));
            assertThat(named.findings()).as(reader).singleElement().asString().startsWith("table-entry-mismatch _R").contains("rust_read");
            assertThat(named.text()).as(reader).contains("go makes KCFI-checked calls expecting 0x11f722ed",
                    "hash of _ZTSFiP3ctxPvixE: C: int (ctx *, void *, int, long long)", "hash of _ZTSFu3i32P3CtxPvS_u3i64E",
                    "the return type is `int` vs `i32`; parameter 1 is `ctx *` vs `Ctx *`; parameter 3 is `int` vs `i32`; parameter 4 is `long long` vs `i64`");
        }
        // ... unless the C side has no function of its own type: then the call's check is an orphan of
        // the same IR type as the Rust entry, and the two are paired
        java.nio.file.Files.writeString(dir.resolve("lonely.c"), java.nio.file.Files.readString(dir.resolve("reader.c"))
                .replaceAll("(?m)^int c_read.*$|^int \\(\\*volatile keep\\).*$", ""));
        buildC(dir, "lonely");
        Run paired = verify(p(dir, "kcfi-lonely.o"), p(dir, "kcfi-binding.bc"));
        assertThat(paired.findings()).hasSize(2).first().isEqualTo("unsatisfiable-check go");
        assertThat(paired.findings().get(1)).startsWith("table-entry-mismatch _R").contains("rust_read");
        assertThat(paired.text()).contains("a hash no function carries, through the same IR type i32(ptr,ptr,i32,i64)");
        assertThat(runMixed(dir, "lonely", "binding")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        // integer normalization on both sides leaves only the name apart, and only its repair
        compile(dir, "reader-normalized.bc", p(dir, "reader.c"), "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall",
                "-fsanitize-cfi-icall-experimental-normalize-integers");
        dev.xcfi.encoding.golden.Compilers.run(List.of("rustc", "--edition", "2021", "--crate-type", "lib", "--emit=llvm-bc", "-Cpanic=abort", "-Copt-level=1",
                "-Clinker-plugin-lto", "-Zsanitizer=cfi", "-Zsanitizer-cfi-normalize-integers", "-Cunsafe-allow-abi-mismatch=sanitizer,sanitizer-cfi-normalize-integers",
                "-o", p(dir, "binding-normalized.bc"), p(dir, "binding.rs")), java.util.Map.of("RUSTC_BOOTSTRAP", "1"));
        Run normalized = verify(p(dir, "reader-normalized.bc"), p(dir, "binding-normalized.bc"));
        assertThat(normalized.findings()).singleElement().asString().startsWith("table-entry-mismatch _R");
        assertThat(normalized.text()).contains("carries _ZTSFu3i32P3CtxPvS_u3i64E.normalized", "against _ZTSFu3i32P3ctxPvS_u3i64E.normalized",
                "parameter 1 is `ctx *` vs `Ctx *`");
        assertThat(normalized.json().get("findings").get(0).get("fix").asText()).startsWith("the Rust type `Ctx` stands for C's `ctx`")
                .doesNotContain("normalization");
        assertThat(runMixed(dir, "reader", "binding")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
    }

    /**
     * The kernel's shape: C calls through an operations table ({@code struct file_operations}) that a
     * Rust driver fills, its fields declared as bindgen declares them
     * ({@code Option<unsafe extern "C" fn(...)>}) with Rust's integers ({@code isize} for
     * {@code long}, {@code usize} for {@code unsigned long}, {@code *mut i8} for {@code char *}).
     * Every call traps (run). With both sides built with {@code -g} each hash is named — C's from
     * C's debug information, the driver's from rustc's — and every differing part is reported, with
     * a repair per part; the repaired driver verifies clean and runs. With only the driver's debug
     * information C's hashes are named as the C twins of the driver's types; where C's struct is
     * called otherwise, the report says which hash cannot be named.
     */
    @Test
    void aKernelStyleOperationsTableFilledByARustDriverTrapsAndTheSuggestedRepairRuns(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("vfs.c"), """
                struct file { int pos; };
                struct inode { int mode; };
                struct file_operations {
                    long (*read)(struct file *, char *, unsigned long, long long *);
                    int (*open)(struct inode *, struct file *);
                };
                extern const struct file_operations MY_FOPS;
                long vfs_read(const struct file_operations *ops, struct file *f, char *buf, unsigned long n, long long *pos) {
                    return ops->read(f, buf, n, pos);
                }
                int vfs_open(const struct file_operations *ops, struct inode *i, struct file *f) { return ops->open(i, f); }
                int main(void) {
                    struct file f = {0}; struct inode i = {0}; char buf[4]; long long pos = 0;
                    return (int) vfs_read(&MY_FOPS, &f, buf, sizeof buf, &pos) + vfs_open(&MY_FOPS, &i, &f);
                }
                """);
        String header = """
                #![no_std]
                #![allow(non_camel_case_types)]
                #[repr(C)] pub struct file { pub pos: i32 }
                #[repr(C)] pub struct inode { pub mode: i32 }
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                """;
        java.nio.file.Files.writeString(dir.resolve("drv.rs"), header + """
                #[repr(C)] pub struct file_operations {
                    pub read: Option<unsafe extern "C" fn(*mut file, *mut i8, usize, *mut i64) -> isize>,
                    pub open: Option<unsafe extern "C" fn(*mut inode, *mut file) -> i32>,
                }
                unsafe extern "C" fn my_read(_f: *mut file, _buf: *mut i8, _n: usize, _pos: *mut i64) -> isize { 0 }
                unsafe extern "C" fn my_open(_i: *mut inode, _f: *mut file) -> i32 { 0 }
                #[no_mangle] pub static MY_FOPS: file_operations = file_operations { read: Some(my_read), open: Some(my_open) };
                """);
        buildC(dir, "vfs");
        buildRust(dir, "drv");
        compile(dir, "kcfi-g-vfs.bc", p(dir, "vfs.c"), "-g", "-fsanitize=kcfi", "-emit-llvm");
        rustcKcfiWithDebugInformation(dir, "drv");
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "kcfi-g-vfs.bc"), p(dir, "kcfi-g-drv.bc"));
            // the checked calls (in main too, where -O1 inlines them) expect hashes nothing carries; the two entries are why
            assertThat(r.findings()).as(reader).filteredOn(f -> f.startsWith("table-entry-mismatch _R")).hasSize(2);
            assertThat(r.findings()).as(reader).filteredOn(f -> !f.startsWith("table-entry-mismatch")).hasSize(4).allMatch(f -> f.startsWith("unsatisfiable-check"));
            assertThat(r.text()).as(reader).contains("hash of _ZTSFlP4filePcmPxE: C: long (file *, char *, unsigned long, long long *)",
                    "hash of _ZTSFu5isizeP4filePu2i8u5usizePu3i64E: C: isize (file *, i8 *, usize, i64 *); Rust: ",
                    "the return type is `long` vs `isize`; parameter 2 is `char *` vs `i8 *`; parameter 3 is `unsigned long` vs `usize`; parameter 4 is `long long *` vs `i64 *`",
                    "the return type is `int` vs `i32`");
            String fix = r.json().get("findings").get(4).get("fix").asText();
            assertThat(fix).as(reader).contains("pub struct CLong(pub isize)", "#[cfi_encoding = \"c\"] pub struct CChar(pub i8); and declare `*mut CChar`",
                    "pub struct CUnsignedLong(pub usize)", "#[cfi_encoding = \"x\"] pub struct CLongLong(pub i64); and declare `*mut CLongLong`");
        }
        // only the driver's debug information: C's hashes are named as C twins of the driver's types, the same report
        assertThat(verify(p(dir, "kcfi-vfs.o"), p(dir, "kcfi-g-drv.bc")).text()).contains("hash of _ZTSFlP4filePcmPxE: C: long (file *, char *, unsigned long, long long *)",
                "the return type is `long` vs `isize`; parameter 2 is `char *` vs `i8 *`; parameter 3 is `unsigned long` vs `usize`; parameter 4 is `long long *` vs `i64 *`");
        // ... unless C calls its struct something the driver's name does not twin: then the report says which hash cannot be named
        java.nio.file.Files.writeString(dir.resolve("kvfs.c"), java.nio.file.Files.readString(dir.resolve("vfs.c")).replace("struct file", "struct kfile"));
        buildC(dir, "kvfs");
        Run kvfs = verify(p(dir, "kcfi-kvfs.o"), p(dir, "kcfi-g-drv.bc"));
        assertThat(kvfs.text()).contains("through the same IR type i64(ptr,ptr,i64,ptr) (the call's hash cannot be named", "hash of _ZTSFu5isizeP4filePu2i8u5usizePu3i64E");
        // the hash that stays a number: the report says how to name it from C's header
        assertThat(kvfs.json().get("findings")).anySatisfy(f -> assertThat(f.get("fix").asText())
                .containsPattern("\\(`xcfi which 0x[0-9a-f]{8} FILE\\.\\.\\.` names a hash from the C headers or Rust sources that declare it\\)$"));
        assertThat(runMixed(dir, "vfs", "drv")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        // the other repair: integer normalization on both sides, the driver as it is
        compile(dir, "kcfi-n-vfs.bc", p(dir, "vfs.c"), "-fsanitize=kcfi", "-fsanitize-cfi-icall-experimental-normalize-integers", "-emit-llvm");
        dev.xcfi.encoding.golden.Compilers.run(List.of("rustc", "--edition", "2021", "--crate-type", "lib", "-Cpanic=abort", "-Copt-level=1",
                "-Zsanitizer=kcfi", "-Zsanitizer-cfi-normalize-integers", "-Cunsafe-allow-abi-mismatch=sanitizer,sanitizer-cfi-normalize-integers",
                "--emit=llvm-bc", "-o", p(dir, "kcfi-n-drv.bc"), p(dir, "drv.rs")), java.util.Map.of("RUSTC_BOOTSTRAP", "1"));
        assertThat(verify(p(dir, "kcfi-n-vfs.bc"), p(dir, "kcfi-n-drv.bc")).findings()).isEmpty();
        // the repairs the report suggests, applied: clean, and the program runs
        java.nio.file.Files.writeString(dir.resolve("fixed.rs"), "#![feature(cfi_encoding)]\n" + header + """
                #[repr(transparent)] #[cfi_encoding = "l"] pub struct CLong(pub isize);
                #[repr(transparent)] #[cfi_encoding = "c"] pub struct CChar(pub i8);
                #[repr(transparent)] #[cfi_encoding = "m"] pub struct CUnsignedLong(pub usize);
                #[repr(transparent)] #[cfi_encoding = "x"] pub struct CLongLong(pub i64);
                #[repr(transparent)] #[cfi_encoding = "i"] pub struct CInt(pub i32);
                #[repr(C)] pub struct file_operations {
                    pub read: Option<unsafe extern "C" fn(*mut file, *mut CChar, CUnsignedLong, *mut CLongLong) -> CLong>,
                    pub open: Option<unsafe extern "C" fn(*mut inode, *mut file) -> CInt>,
                }
                unsafe extern "C" fn my_read(_f: *mut file, _buf: *mut CChar, _n: CUnsignedLong, _pos: *mut CLongLong) -> CLong { CLong(0) }
                unsafe extern "C" fn my_open(_i: *mut inode, _f: *mut file) -> CInt { CInt(0) }
                #[no_mangle] pub static MY_FOPS: file_operations = file_operations { read: Some(my_read), open: Some(my_open) };
                """.replace("#![no_std]\n", ""));
        java.nio.file.Files.writeString(dir.resolve("fixed.rs"), "#![no_std]\n" + java.nio.file.Files.readString(dir.resolve("fixed.rs")));
        buildRust(dir, "fixed");
        rustcKcfiWithDebugInformation(dir, "fixed");
        assertThat(verify(p(dir, "kcfi-g-vfs.bc"), p(dir, "kcfi-g-fixed.bc")).findings()).isEmpty();
        assertThat(verify(p(dir, "vfs.bc"), p(dir, "cfi-fixed.bc")).findings()).isEmpty();
        assertThat(runMixed(dir, "vfs", "fixed")).as("exit under cfi-icall, KCFI").containsExactly(0, 0);
    }

    /**
     * C++ with all of clang's CFI (-fsanitize=cfi): a virtual call tests the object's vtable
     * against the class's id ({@code _ZTS4Base}), which vtables carry, not functions — no finding;
     * an indirect call through a mistyped pointer in the same module still is one, and reads as C++.
     */
    @Test
    void cxxVirtualCallChecksAreNotIndirectCallChecks(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        java.nio.file.Files.writeString(dir.resolve("v.cc"), """
                struct Base { virtual int f(int); virtual ~Base(); };
                struct Derived : Base { int f(int) override; };
                int Base::f(int x) { return x; }
                Base::~Base() {}
                int Derived::f(int x) { return x + 1; }
                int call(Base *b, int x) { return b->f(x); }
                int (*fp)(int);
                int icall(int x) { return fp(x); }
                static int sq(int x) { return x * x; }
                void setup() { fp = sq; }
                namespace ns { struct W { int v; }; }
                static long by_ref(ns::W &w) { return w.v; }
                long (*wrong)(ns::W *, int) = reinterpret_cast<long (*)(ns::W *, int)>(by_ref);
                long go(ns::W *w) { return wrong(w, 1); }
                """);
        compile(dir, "v.bc", p(dir, "v.cc"), "-flto", "-fvisibility=hidden", "-fsanitize=cfi");
        var facts = dev.xcfi.verify.bitcode.BitcodeReader.readFile("v.bc", java.nio.file.Files.readAllBytes(dir.resolve("v.bc"))).getFirst();
        assertThat(facts.typeTests()).extracting(t -> t.id().toString()).anyMatch(id -> id.contains("_ZTS4Base"));
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "v.bc"));
            assertThat(r.findings()).as(reader).containsExactly("unsatisfiable-check _Z2goPN2ns1WE");
            assertThat(r.text()).as(reader).contains("go(ns::W*) checks indirect calls against _ZTSFlPN2ns1WEiE", "C++: long (ns::W*, int)");
        }
    }

    /**
     * A Rust binding of a C++ library's {@code extern "C"} API: clang++ spells the class with its
     * namespace ({@code PN2ui6WidgetE}), the binding's struct is plain {@code Widget}. The call
     * through a pointer traps (cfi-icall and KCFI); the suggested {@code #[cfi_encoding]} makes both
     * ids equal, and the program runs.
     */
    @Test
    void aRustBindingOfANamespacedCxxClassTrapsAndItsSuggestedEncodingRuns(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("ui.cc"), """
                namespace ui { struct Widget { int w; }; }
                extern "C" int widget_width(ui::Widget *w) { return w->w - 3; }
                extern "C" int rust_main(void);
                int main() { return rust_main(); }
                """);
        String crate = """
                #![no_std]
                #![feature(cfi_encoding)]
                #[repr(transparent)] #[cfi_encoding = "i"] #[derive(Clone, Copy)] pub struct CInt(pub i32);
                #[repr(C)] ENCODING pub struct Widget { w: i32 }
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                extern "C" { fn widget_width(w: *mut Widget) -> CInt; }
                #[no_mangle] pub extern "C" fn rust_main() -> CInt {
                    let mut w = Widget { w: 3 };
                    let width: unsafe extern "C" fn(*mut Widget) -> CInt = core::hint::black_box(widget_width);
                    unsafe { width(&mut w) }
                }
                """;
        java.nio.file.Files.writeString(dir.resolve("plain.rs"), crate.replace("ENCODING ", ""));
        java.nio.file.Files.writeString(dir.resolve("encoded.rs"), crate.replace("ENCODING", "#[cfi_encoding = \"N2ui6WidgetE\"]"));
        compile(dir, "ui.bc", p(dir, "ui.cc"), "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall");
        compile(dir, "kcfi-ui.o", p(dir, "ui.cc"), "-fsanitize=kcfi", "-fembed-bitcode");
        buildRust(dir, "plain");
        buildRust(dir, "encoded");
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "ui.bc"), p(dir, "cfi-plain.bc"));
            assertThat(r.findings()).as(reader).containsExactly("declaration-mismatch widget_width");
            JsonNode f = r.json().get("findings").get(0);
            assertThat(f.get("message").asText()).endsWith("parameter 1 is `Widget*` vs `ui::Widget*`");
            assertThat(f.get("locations").get(1).get("decoded").asText()).isEqualTo("C++: int (ui::Widget*)");
            assertThat(f.get("fix").asText()).isEqualTo("C++'s id spells the class with its namespaces, `ui::Widget`: give the Rust type Widget "
                    + "that encoding with #[cfi_encoding = \"N2ui6WidgetE\"] (rustc's cfi_encoding feature)");
        }
        assertThat(runMixed(dir, "ui", "plain")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        assertCleanAndRuns(dir, "ui", "encoded");
    }

    /**
     * Rust trait objects: dropping a {@code Box<dyn Shape>} calls the vtable's drop entry through a
     * check for {@code fn(*mut dyn Drop)}, but only when the entry is not null — rustc leaves it null
     * for a type without drop glue. With no such type in the program no function carries that id,
     * and nothing is called: no finding, under cfi-icall and KCFI.
     */
    @Test
    void rustDropGlueOfTypesWithoutItIsNoUnsatisfiableCheck(@TempDir Path dir) throws Exception {
        String source = """
                pub trait Shape { fn area(&self) -> f64; fn scale(&mut self, k: f64); }
                pub struct Sq(pub f64);
                pub struct Circle(pub f64);
                impl Shape for Sq { fn area(&self) -> f64 { self.0 * self.0 } fn scale(&mut self, k: f64) { self.0 *= k; } }
                impl Shape for Circle { fn area(&self) -> f64 { 3.0 * self.0 * self.0 } fn scale(&mut self, k: f64) { self.0 *= k; } }
                #[inline(never)] pub fn total(v: &mut [Box<dyn Shape>]) -> f64 { v.iter_mut().map(|s| { s.scale(2.0); s.area() }).sum() }
                pub fn make() -> Vec<Box<dyn Shape>> { vec![Box::new(Sq(1.0)), Box::new(Circle(2.0))] }
                pub fn run() -> usize { make().len() }
                """;
        Path cfi = dev.xcfi.verify.TestBitcode.rustc(dir, "shapes", source, "-Zsanitizer=cfi", "-Clinker-plugin-lto", "-Cpanic=abort");
        var facts = dev.xcfi.verify.bitcode.BitcodeReader.readFile("shapes.bc", java.nio.file.Files.readAllBytes(cfi));
        assertThat(facts.stream().flatMap(m -> m.typeTests().stream()).map(t -> t.id().toString()))
                .anyMatch(id -> id.contains("4core3ops4drop4Drop"));   // the drop glue's check is there
        assertThat(verify(cfi.toString()).findings()).isEmpty();
        Path kcfi = dev.xcfi.verify.TestBitcode.rustc(dir, "shapes-k", source, "-Zsanitizer=kcfi", "-Cpanic=abort");
        assertThat(verify(kcfi.toString()).findings()).isEmpty();
    }

    /** The crate {@code name}.rs as KCFI bitcode with debug information: {@code kcfi-g-name.bc}. */
    /**
     * One C type that the two compilers number differently: the Rust side spells every C type
     * through {@code #[cfi_encoding]} newtypes, yet rustc's id of {@code for_each} ends {@code S0_}
     * where clang's ends {@code S1_}. The program traps under both schemes; the report reads each
     * id by its writer's rules (the same C type on both sides) and says so; the repair it suggests
     * (the function pointer last) verifies clean and runs. Under KCFI, C's debug information names
     * both hashes: the Rust one as the C type written by rustc.
     */
    @Test
    void oneTypeThatTheCompilersNumberDifferentlyTrapsAndTheSuggestedReorderingRuns(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        String c = java.nio.file.Files.readString(Fixtures.root().resolve("fixtures/verify/walker.c"));
        String rust = java.nio.file.Files.readString(Fixtures.root().resolve("fixtures/rust/examples/walker.rs"));
        java.nio.file.Files.writeString(dir.resolve("walk.c"), c);
        java.nio.file.Files.writeString(dir.resolve("walker.rs"), rust);
        buildC(dir, "walk");
        buildRust(dir, "walker");
        String renumbered = "both spell `void (void (*)(int), char *, char *)`, numbered by each compiler's rules (S0_ vs S1_)";
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "walk.bc"), p(dir, "cfi-walker.bc"));
            assertThat(r.findings()).as(reader).containsExactly("declaration-mismatch for_each", "table-entry-mismatch for_each");
            JsonNode declared = r.json().get("findings").get(0);
            assertThat(declared.get("message").asText()).as(reader).endsWith(renumbered + ": rustc counts a function pointer as one substitution, "
                    + "clang counts its function type as well");
            assertThat(declared.get("locations").get(0).get("typeId").asText()).isEqualTo("_ZTSFvPFviEPcS0_E");
            assertThat(declared.get("locations").get(1).get("typeId").asText()).isEqualTo("_ZTSFvPFviEPcS1_E");
            for (JsonNode side : declared.get("locations")) {
                assertThat(side.get("decoded").asText()).as(reader).isEqualTo("C: void (void (*)(int), char *, char *); "
                        + "Rust: extern \"C\" fn(extern \"C\" fn(c_int), *mut c_char, *mut c_char)");
            }
            assertThat(declared.get("fix").asText()).as(reader).startsWith("no Rust type can make rustc number this id as clang does: "
                    + "in the C declaration put the function-pointer parameter last");
        }
        compile(dir, "kcfi-g-walk.bc", p(dir, "walk.c"), "-g", "-fsanitize=kcfi", "-emit-llvm");
        assertThat(verify(p(dir, "kcfi-g-walk.bc"), p(dir, "kcfi-walker.bc")).text())
                .contains("hash of _ZTSFvPFviEPcS0_E: C: void (void (*)(int), char *, char *)", "hash of _ZTSFvPFviEPcS1_E: C: void (void (*)(int), char *, char *)",
                        renumbered);
        assertThat(runMixed(dir, "walk", "walker")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        // pointer generalization is no way out: rustc generalizes the function pointer to *const (), clang to void *
        compile(dir, "g-walk.bc", p(dir, "walk.c"), "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall", "-fsanitize-cfi-icall-generalize-pointers");
        dev.xcfi.encoding.golden.Compilers.run(List.of("rustc", "--edition", "2021", "--crate-type", "lib", "-Cpanic=abort", "-Copt-level=1",
                "-Zsanitizer=cfi", "-Zsanitizer-cfi-generalize-pointers", "-Cunsafe-allow-abi-mismatch=sanitizer", "-Clinker-plugin-lto",
                "--emit=llvm-bc", "-o", p(dir, "g-walker.bc"), p(dir, "walker.rs")), java.util.Map.of("RUSTC_BOOTSTRAP", "1"));
        JsonNode generalized = verify(p(dir, "g-walk.bc"), p(dir, "g-walker.bc")).json().get("findings").get(0);
        assertThat(generalized.get("message").asText()).endsWith("parameter 1 is a function pointer, which pointer generalization makes `*const ()` (PKv) "
                + "in rustc's id and `void *` (Pv) in clang's");
        assertThat(generalized.get("fix").asText()).isEqualTo(Fixes.GENERALIZED_CALLBACK);
        // the repair: the callback last on both sides
        java.nio.file.Files.writeString(dir.resolve("last.c"), c.replace("void for_each(void (*cb)(int), char *from, char *to)",
                "void for_each(char *from, char *to, void (*cb)(int))"));
        java.nio.file.Files.writeString(dir.resolve("last.rs"), rust
                .replace("fn for_each(cb: extern \"C\" fn(CInt), from: *mut CChar, to: *mut CChar)", "fn for_each(from: *mut CChar, to: *mut CChar, cb: extern \"C\" fn(CInt))")
                .replace("unsafe extern \"C\" fn(extern \"C\" fn(CInt), *mut CChar, *mut CChar)", "unsafe extern \"C\" fn(*mut CChar, *mut CChar, extern \"C\" fn(CInt))")
                .replace("walk(add, text.as_mut_ptr(), text.as_mut_ptr().add(2))", "walk(text.as_mut_ptr(), text.as_mut_ptr().add(2), add)"));
        buildC(dir, "last");
        buildRust(dir, "last");
        assertCleanAndRuns(dir, "last", "last");
    }

    /**
     * Under pointer generalization a generalized callee id has no function pointer left to say what
     * a callback is called through: the callee's ungeneralized id (clang attaches both) does, so the
     * callback is still checked. And a {@code const void *} vs {@code void *} part is told for what it
     * is: the declaration's parameter is a function pointer (no Rust type can match), the
     * callback's a pointer to const on the Rust side only (declare {@code *mut}).
     */
    @Test
    void underPointerGeneralizationCallbacksAreStillCheckedAndFunctionPointersToldFromConstPointers(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("run.c"), "__attribute__((noinline)) void run(void (*cb)(void *p), void *p) { cb(p); }\n");
        java.nio.file.Files.writeString(dir.resolve("peek.rs"), """
                #![no_std]
                use core::ffi::c_void;
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                extern "C" { fn run(cb: unsafe extern "C" fn(*const c_void), p: *mut c_void); }
                unsafe extern "C" fn peek(_p: *const c_void) {}
                #[no_mangle] pub extern "C" fn go() { unsafe { run(core::mem::transmute(peek as unsafe extern "C" fn(*const c_void)), core::ptr::null_mut()) } }
                """);
        compile(dir, "run.bc", p(dir, "run.c"), "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall", "-fsanitize-cfi-icall-generalize-pointers");
        dev.xcfi.encoding.golden.Compilers.run(List.of("rustc", "--edition", "2021", "--crate-type", "lib", "-Cpanic=abort", "-Copt-level=1",
                "-Zsanitizer=cfi", "-Zsanitizer-cfi-generalize-pointers", "-Cunsafe-allow-abi-mismatch=sanitizer", "-Clinker-plugin-lto",
                "--emit=llvm-bc", "-o", p(dir, "peek.bc"), p(dir, "peek.rs")), java.util.Map.of("RUSTC_BOOTSTRAP", "1"));
        for (String reader : List.of("java", "llvm")) {
            Map<String, JsonNode> bySymbol = firstBySymbol(verify("--reader=" + reader, p(dir, "run.bc"), p(dir, "peek.bc")));
            assertThat(bySymbol.get("run").get("message").asText()).as(reader).endsWith("parameter 1 is a function pointer, which pointer "
                    + "generalization makes `*const ()` (PKv) in rustc's id and `void *` (Pv) in clang's");
            assertThat(bySymbol.get("run").get("fix").asText()).as(reader).isEqualTo(Fixes.GENERALIZED_CALLBACK);
            JsonNode callback = bySymbol.values().stream().filter(f -> f.get("rule").asText().equals("callback-mismatch")).findFirst().orElseThrow();
            assertThat(callback.get("message").asText()).as(reader).contains("which calls it through a pointer of type id _ZTSFvPvE.generalized",
                    "carries _ZTSFvPKvE.generalized").endsWith("parameter 1 is `void *` vs `const void *`");
            assertThat(callback.get("fix").asText()).as(reader).isEqualTo("declare the Rust pointer `*mut`: C's does not point to const");
        }
    }

    /**
     * A registration: C keeps the handler Rust passes ({@code set_handler(h)} stores it) and calls it
     * later from another function, so no call through the parameter is in the callee. Under KCFI the
     * callee's hash, named from C's debug information, says the type it takes the handler as, and
     * so the hash the later call checks; under cfi-icall its id does. Both trap when run; the
     * suggested newtype runs.
     */
    @Test
    void aHandlerRegisteredForALaterCallTrapsUnderKcfiAndIsFoundFromTheRegistrationsType(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("events.c"), """
                typedef void (*handler_t)(long);
                static handler_t handler;
                void set_handler(handler_t h) { handler = h; }
                __attribute__((noinline)) void fire(long v) { if (handler) handler(v); }
                void rust_main(void);
                int main(void) { rust_main(); fire(7); return 0; }
                """);
        String crate = """
                #![no_std]
                #![feature(cfi_encoding)]
                #[repr(transparent)] #[cfi_encoding = "l"] #[derive(Clone, Copy)] pub struct CLong(pub i64);
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                extern "C" { fn set_handler(h: extern "C" fn(LONG)); }
                extern "C" fn on_event(_v: LONG) {}
                #[no_mangle] pub extern "C" fn rust_main() { unsafe { set_handler(on_event) } }
                """;
        java.nio.file.Files.writeString(dir.resolve("handler.rs"), crate.replace("LONG", "i64"));
        java.nio.file.Files.writeString(dir.resolve("fixed.rs"), crate.replace("LONG", "CLong"));
        buildC(dir, "events");
        compile(dir, "kcfi-g-events.bc", p(dir, "events.c"), "-g", "-fsanitize=kcfi", "-emit-llvm");
        buildRust(dir, "handler");
        buildRust(dir, "fixed");
        for (String reader : List.of("java", "llvm")) {
            Run kcfi = verify("--reader=" + reader, p(dir, "kcfi-g-events.bc"), p(dir, "kcfi-handler.bc"));
            JsonNode f = kcfi.json().get("findings").get(1);
            assertThat(f.get("rule").asText()).as(reader).isEqualTo("callback-mismatch");
            assertThat(f.get("message").asText()).as(reader).contains("passes handler::on_event to set_handler (parameter 1), whose type takes it as a pointer "
                    + "of type id _ZTSFvlE, so a call through it checks KCFI hash 0xbde2bfc8, but handler::on_event carries 0x0ffabd9f").endsWith("parameter 1 is `long` vs `i64`");
            assertThat(f.get("fix").asText()).as(reader).contains("#[cfi_encoding = \"l\"] pub struct CLong(pub i64);");
            Run icall = verify("--reader=" + reader, p(dir, "events.bc"), p(dir, "cfi-handler.bc"));
            assertThat(icall.findings()).as(reader).anyMatch(x -> x.startsWith("callback-mismatch _RNvCs"));
        }
        // without debug information the registration's hash is not named: the KCFI case is then not seen (docs say so)
        assertThat(verify(p(dir, "kcfi-events.o"), p(dir, "kcfi-handler.bc")).findings()).noneMatch(x -> x.startsWith("callback-mismatch"));
        assertThat(runMixed(dir, "events", "handler")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        assertThat(verify(p(dir, "kcfi-g-events.bc"), p(dir, "kcfi-fixed.bc")).findings()).noneMatch(x -> x.startsWith("callback-mismatch"));
        assertThat(verify(p(dir, "events.bc"), p(dir, "cfi-fixed.bc")).findings()).noneMatch(x -> x.startsWith("callback-mismatch"));
        assertThat(runMixed(dir, "events", "fixed")).as("exit under cfi-icall, KCFI").containsExactly(0, 0);
    }

    /**
     * A whole binding as bindgen writes one (fixtures/verify/kv.c, fixtures/rust/examples/kv_binding.rs):
     * core::ffi's aliases, usize, Option callbacks (one kept for later, one called during the call),
     * an integer for the enum. Every callback C calls traps; the report names every part of every
     * mismatch with a repair, and the binding repaired that way (kv_binding_fixed.rs) verifies clean
     * under cfi-icall and KCFI and runs. Both readers say the same.
     */
    @Test
    void aBindgenStyleBindingTrapsAndTheBindingRepairedAsTheReportSaysRuns(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.copy(Fixtures.root().resolve("fixtures/verify/kv.c"), dir.resolve("kv.c"));
        for (String crate : List.of("kv_binding", "kv_binding_fixed")) {
            java.nio.file.Files.copy(Fixtures.root().resolve("fixtures/rust/examples/" + crate + ".rs"), dir.resolve(crate + ".rs"));
            buildRust(dir, crate);
        }
        buildC(dir, "kv");
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "kv.bc"), p(dir, "cfi-kv_binding.bc"));
            // the binding calls the library directly: its declarations' mismatches are latent, the callbacks trap
            assertThat(r.findings()).as(reader).contains("latent-declaration-mismatch kv_open", "latent-declaration-mismatch kv_set_logger",
                    "latent-declaration-mismatch kv_put", "latent-declaration-mismatch kv_foreach", "latent-declaration-mismatch kv_close")
                    .filteredOn(f -> f.startsWith("callback-mismatch")).hasSize(2);
            Map<String, JsonNode> bySymbol = firstBySymbol(r);
            assertThat(bySymbol.get("kv_set_logger").get("message").asText()).endsWith("parameter 2 is `Option<extern \"C\" fn(i32, *const i8)>` vs "
                    + "`extern \"C\" fn(c_int, *const c_char)`; parameter 2 (a function pointer): its parameter 1 is `i32` vs `int`; "
                    + "parameter 2 (a function pointer): its parameter 2 is `const i8 *` vs `const char *`");
            assertThat(bySymbol.get("kv_set_logger").get("fix").asText()).contains("declare the parameter as the bare `unsafe extern \"C\" fn(…)`",
                    "#[cfi_encoding = \"i\"] pub struct CInt(pub i32);", "#[cfi_encoding = \"c\"] pub struct CChar(pub i8); and declare `*const CChar`");
            assertThat(bySymbol.get("kv_close").get("fix").asText()).contains("#[cfi_encoding = \"9kv_status\"] pub struct KvStatus(pub u32);");
            assertThat(bySymbol.get("kv_put").get("fix").asText()).contains("#[cfi_encoding = \"m\"] pub struct CUnsignedLong(pub usize);");
            // the checks no function passes are the other half of the callback mismatches, and say so
            assertThat(r.json().get("findings")).filteredOn(f -> f.get("rule").asText().equals("unsatisfiable-check"))
                    .extracting(f -> f.get("message").asText().replaceAll(".*; ", ""))
                    .containsExactlyInAnyOrder("the callback-mismatch of kv_binding::log is why", "the callback-mismatch of kv_binding::count is why",
                            "the callback-mismatch of kv_binding::log is why");
        }
        assertThat(runMixed(dir, "kv", "kv_binding")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        assertCleanAndRuns(dir, "kv", "kv_binding_fixed");
    }

    /**
     * A Rust table entry written with a reference where C's field has a pointer ({@code &mut file}
     * for {@code struct file *}): rustc encodes the reference as itself, so C's call through the
     * table traps. The entry is paired with C's check by shape (the reference read as the pointer
     * it stands for) and the report says to declare the raw pointer; so declared it runs.
     */
    @Test
    void aRustTableEntryTakingAReferenceWhereCHasAPointerIsPairedWithCsCheck(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("vfs.c"), """
                struct file { int pos; };
                struct ops { int (*open)(struct file *); };
                extern const struct ops RUST_OPS;
                __attribute__((noinline)) int vfs_open(const struct ops *o, struct file *f) { return o->open(f); }
                int main(void) { struct file f = {0}; return vfs_open(&RUST_OPS, &f); }
                """);
        String crate = """
                #![no_std]
                #![feature(cfi_encoding)]
                #![allow(non_camel_case_types)]
                #[repr(transparent)] #[cfi_encoding = "i"] #[derive(Clone, Copy)] pub struct CInt(pub i32);
                #[repr(C)] pub struct file { pub pos: i32 }
                #[repr(C)] pub struct ops { pub open: Option<unsafe extern "C" fn(FILE) -> CInt> }
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                unsafe extern "C" fn my_open(f: FILE) -> CInt { CInt((*f).pos) }
                #[no_mangle] pub static RUST_OPS: ops = ops { open: Some(my_open) };
                """;
        java.nio.file.Files.writeString(dir.resolve("byref.rs"), crate.replace("FILE", "&mut file"));
        java.nio.file.Files.writeString(dir.resolve("byptr.rs"), crate.replace("FILE", "*mut file"));
        buildC(dir, "vfs");
        buildRust(dir, "byref");
        buildRust(dir, "byptr");
        for (String reader : List.of("java", "llvm")) {
            JsonNode entry = firstBySymbol(verify("--reader=" + reader, p(dir, "vfs.bc"), p(dir, "cfi-byref.bc"))).values().stream()
                    .filter(f -> f.get("rule").asText().equals("table-entry-mismatch")).findFirst().orElseThrow();
            assertThat(entry.get("message").asText()).as(reader).contains("carries _ZTSFiU3mutu3refI4fileEE", "vfs_open checks calls against _ZTSFiP4fileE")
                    .endsWith("parameter 1 is `*mut file` vs `&mut file`");
            assertThat(entry.get("fix").asText()).as(reader).startsWith("declare the raw pointer `*mut file`: rustc encodes a reference as a reference");
        }
        assertThat(runMixed(dir, "vfs", "byref")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        assertCleanAndRuns(dir, "vfs", "byptr");
    }

    /**
     * cbindgen's idiom for handing ownership across: {@code extern "C" fn thing_free(t:
     * Option<Box<thing>>)} where the C header says {@code void thing_free(struct thing *)}. rustc
     * encodes the Option and the Box by their paths ({@code Box<thing, Global>}), never as the
     * pointer C's id has, so C's call through a {@code void (*)(struct thing *)} traps. The report
     * says to declare the raw pointer and convert with Box::from_raw; so declared, it runs.
     */
    @Test
    void aBoxWhereCHasAPointerTrapsAndTheRawPointerRuns(@TempDir Path dir) throws Exception {
        String c = """
                struct thing { int x; };
                typedef void (*drop_fn)(struct thing *);
                void thing_free(struct thing *t);
                __attribute__((noinline)) void drop_with(drop_fn f, struct thing *t) { f(t); }
                static struct thing one = {1};
                int main(void) { drop_with(thing_free, &one); return 0; }
                """;
        String crate = """
                #![no_std]
                extern crate alloc;
                use alloc::boxed::Box;
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                // an allocator the crate needs to link (nothing is allocated: C owns the thing)
                struct NoHeap;
                unsafe impl core::alloc::GlobalAlloc for NoHeap {
                    unsafe fn alloc(&self, _: core::alloc::Layout) -> *mut u8 { core::ptr::null_mut() }
                    unsafe fn dealloc(&self, _: *mut u8, _: core::alloc::Layout) {}
                }
                #[global_allocator] static HEAP: NoHeap = NoHeap;
                #[repr(C)] pub struct thing { x: i32 }
                #[no_mangle] pub extern "C" fn thing_free(t: ARG) { BODY }
                """;
        trapsAsWrittenAndRunsRepaired(dir, "owner", c, "thing_free",
                "boxed", crate.replace("ARG", "Option<Box<thing>>").replace("BODY", "core::mem::forget(t)"),
                "raw", crate.replace("ARG", "*mut thing").replace("BODY", "if !t.is_null() { core::mem::forget(unsafe { Box::from_raw(t) }) }"),
                (reader, m) -> {
                    assertThat(m.get("message").asText()).as(reader).endsWith("parameter 1 is `*mut thing` vs `Option<Box<thing>>`");
                    assertThat(m.get("fix").asText()).as(reader).startsWith("declare the raw pointer `*mut thing` and convert with Box::into_raw and "
                            + "Box::from_raw: rustc encodes `Option<…>` as the type core::option::Option");
                });
    }

    /**
     * A shared counter: C passes {@code _Atomic unsigned *}, Rust takes {@code &AtomicU32}. rustc
     * encodes the atomic by its name ({@code u3refI9AtomicU32E}), clang {@code PU7_Atomicj}, so the
     * call through C's pointer traps. The report suggests a newtype with C's encoding behind a
     * {@code *mut}; so declared, the program verifies clean and runs, under cfi-icall and KCFI.
     */
    @Test
    void anAtomicWhereCHasAnAtomicPointerTrapsAndTheNewtypeRuns(@TempDir Path dir) throws Exception {
        String c = """
                typedef void (*bump_fn)(_Atomic unsigned *);
                void bump(_Atomic unsigned *c);
                __attribute__((noinline)) void call(bump_fn f, _Atomic unsigned *c) { f(c); }
                int main(void) { _Atomic unsigned n = 41; call(bump, &n); return n == 42 ? 0 : 1; }
                """;
        String crate = """
                #![no_std]
                #![feature(cfi_encoding)]
                use core::sync::atomic::{AtomicU32, Ordering};
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                #[repr(transparent)] #[cfi_encoding = "U7_Atomicj"] pub struct CAtomicUnsignedInt(pub AtomicU32);
                #[no_mangle] pub extern "C" fn bump(c: ARG) { BODY }
                """;
        trapsAsWrittenAndRunsRepaired(dir, "counter", c, "bump",
                "atomic", crate.replace("ARG", "&AtomicU32").replace("BODY", "c.fetch_add(1, Ordering::Relaxed);"),
                "newtype", crate.replace("ARG", "*mut CAtomicUnsignedInt").replace("BODY", "unsafe { (*c).0.fetch_add(1, Ordering::Relaxed); }"),
                (reader, m) -> {
                    assertThat(m.get("message").asText()).as(reader).contains("declared with type id _ZTSFvPU7_AtomicjE but defined with _ZTSFvu3refI9AtomicU32EE");
                    assertThat(m.get("fix").asText()).as(reader).isEqualTo("no Rust type encodes as C's `_Atomic` (rustc encodes core::sync::atomic's types "
                            + "by their names): declare `*mut CAtomicUnsignedInt` with #[repr(transparent)] #[cfi_encoding = \"U7_Atomicj\"] pub struct "
                            + "CAtomicUnsignedInt(pub AtomicU32);");
                });
    }

    /**
     * A Rust function taking and returning {@code NonZeroU32} where C has {@code unsigned}: rustc
     * 1.95 encodes the pattern type a NonZero wraps ({@code u3patIu3u321..E}), which no C type is,
     * so C's call through its pointer traps. The report reads the id (both parts named) and says to
     * declare the plain integer; so declared, the program verifies clean and runs, under cfi-icall
     * and KCFI.
     */
    @Test
    void aNonZeroIntegerWhereCHasAnIntegerTrapsAndThePlainIntegerRuns(@TempDir Path dir) throws Exception {
        String c = """
                typedef unsigned (*next_id)(unsigned);
                unsigned rust_next(unsigned);
                __attribute__((noinline)) unsigned call(next_id f, unsigned x) { return f(x); }
                int main(void) { return call(rust_next, 6) == 7 ? 0 : 1; }
                """;
        String crate = """
                #![no_std]
                #![feature(cfi_encoding)]
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                #[repr(transparent)] #[cfi_encoding = "j"] #[derive(Clone, Copy)] pub struct CUnsignedInt(pub u32);
                #[no_mangle] pub extern "C" fn rust_next(x: ARG) -> ARG { BODY }
                """;
        trapsAsWrittenAndRunsRepaired(dir, "ids", c, "rust_next",
                "nonzero", crate.replace("ARG", "core::num::NonZeroU32").replace("BODY", "unsafe { core::num::NonZeroU32::new_unchecked(x.get() + 1) }"),
                // repaired as the report says: the plain integer, as a newtype that encodes as C's
                "plain", crate.replace("ARG", "CUnsignedInt").replace("BODY", "CUnsignedInt(x.0 + 1)"),
                (reader, m) -> {
                    assertThat(m.get("rule").asText()).as(reader).isEqualTo("declaration-mismatch");
                    assertThat(m.get("message").asText()).as(reader).contains("declared with type id _ZTSFjjE but defined with _ZTSFu3patIu3u321..ES0_E")
                            .endsWith("the return type is `c_uint` vs `NonZero<u32>`; parameter 1 is `c_uint` vs `NonZero<u32>`");
                    assertThat(m.get("fix").asText()).as(reader).startsWith("rustc encodes `NonZero<u32>` as a pattern type, which no C type is: "
                            + "declare the plain integer on the Rust side and check for zero there; ")
                            .contains("#[cfi_encoding = \"j\"] pub struct CUnsignedInt(pub u32);");
                });
    }

    /**
     * A C program and a Rust crate as written and as the report says to repair it: each reader's
     * finding for {@code symbol} is checked by {@code finding}; the crate as written traps (132)
     * under cfi-icall and KCFI, the repaired one verifies clean under both and runs.
     */
    private static void trapsAsWrittenAndRunsRepaired(Path dir, String c, String cSource, String symbol, String written, String writtenSource,
                                                      String repaired, String repairedSource,
                                                      java.util.function.BiConsumer<String, JsonNode> finding) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve(c + ".c"), cSource);
        java.nio.file.Files.writeString(dir.resolve(written + ".rs"), writtenSource);
        java.nio.file.Files.writeString(dir.resolve(repaired + ".rs"), repairedSource);
        buildC(dir, c);
        buildRust(dir, written);
        buildRust(dir, repaired);
        for (String reader : List.of("java", "llvm")) {
            finding.accept(reader, firstBySymbol(verify("--reader=" + reader, p(dir, c + ".bc"), p(dir, "cfi-" + written + ".bc"))).get(symbol));
        }
        assertThat(runMixed(dir, c, written)).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        assertCleanAndRuns(dir, c, repaired);
    }

    /**
     * Bindings that use Rust's safe types for C's pointers: {@code Option<&T>}, {@code &mut T},
     * {@code Option<NonNull<T>>} and a nullable callback {@code Option<unsafe extern "C" fn>}, and
     * bindgen's integer for a C enum. rustc encodes each as itself, never as the pointer (or the
     * enum's tag) clang's id has, so every call through a pointer of
     * the declared type traps. The report compares the two ids as Rust (C cannot read rustc's
     * {@code Option}) and says which raw pointer, or which bare function pointer, to declare; so
     * declared, the program verifies clean and runs. Confirmed by running both under cfi-icall and KCFI.
     */
    @Test
    void rustReferencesAndOptionsForCPointersTrapAndTheRawPointersTheReportSuggestsRun(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("points.c"), """
                struct point { int x, y; };
                int point_sum(const struct point *p) { return p ? p->x + p->y : 0; }
                void point_scale(struct point *p, int k) { p->x *= k; p->y *= k; }
                void point_reset(struct point *p) { if (p) p->x = p->y = 0; }
                int by_x(const void *a, const void *b) { return ((const struct point *) a)->x - ((const struct point *) b)->x; }
                int compare(const void *a, const void *b, int (*cmp)(const void *, const void *)) { return cmp ? cmp(a, b) : 0; }
                enum color { RED, GREEN };
                int paint(enum color c, int n) { return (int) c + n; }
                int rust_main(void);
                int main(void) { return rust_main(); }
                """);
        String header = """
                #![no_std]
                #![feature(cfi_encoding)]
                #![allow(non_camel_case_types)]
                use core::ffi::c_void;
                use core::ptr::NonNull;
                #[repr(transparent)] #[cfi_encoding = "i"] #[derive(Clone, Copy)] pub struct CInt(pub i32);
                #[repr(C)] pub struct point { x: i32, y: i32 }
                pub type color = u32;   // bindgen's default binding of a C enum
                #[repr(transparent)] #[cfi_encoding = "5color"] #[derive(Clone, Copy)] pub struct Color(pub u32);
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                type Cmp = unsafe extern "C" fn(*const c_void, *const c_void) -> CInt;
                extern "C" { fn by_x(a: *const c_void, b: *const c_void) -> CInt; }
                """;
        String body = """
                extern "C" {
                    fn point_sum(p: {SUM}) -> CInt;
                    fn point_scale(p: {SCALE}, k: CInt);
                    fn point_reset(p: {RESET});
                    fn compare(a: *const c_void, b: *const c_void, cmp: {CMP}) -> CInt;
                    fn paint(c: {COLOR}, n: CInt) -> CInt;
                }
                #[no_mangle] pub extern "C" fn rust_main() -> CInt {
                    let mut p = point { x: 1, y: 2 };
                    let q = point { x: 1, y: 5 };
                    unsafe {
                        let sum: unsafe extern "C" fn({SUM}) -> CInt = core::hint::black_box(point_sum);
                        let scale: unsafe extern "C" fn({SCALE}, CInt) = core::hint::black_box(point_scale);
                        let reset: unsafe extern "C" fn({RESET}) = core::hint::black_box(point_reset);
                        let cmp: unsafe extern "C" fn(*const c_void, *const c_void, {CMP}) -> CInt = core::hint::black_box(compare);
                        let paint: unsafe extern "C" fn({COLOR}, CInt) -> CInt = core::hint::black_box(paint);
                        scale(&mut p, CInt(2));
                        reset({NOTHING});
                        CInt(sum({SUMMED}).0 - 6 + cmp((&p as *const point).cast(), (&q as *const point).cast(), {PASSED}).0 - 1
                                + paint({GREEN}, CInt(-1)).0)
                    }
                }
                """;
        java.nio.file.Files.writeString(dir.resolve("safe.rs"), header + filled(body, Map.of("SUM", "Option<&point>", "SCALE", "&mut point",
                "RESET", "Option<NonNull<point>>", "CMP", "Option<Cmp>", "NOTHING", "None", "SUMMED", "Some(&p)", "PASSED", "Some(by_x)",
                "COLOR", "color", "GREEN", "1")));
        java.nio.file.Files.writeString(dir.resolve("raw.rs"), header + filled(body, Map.of("SUM", "*const point", "SCALE", "*mut point",
                "RESET", "*mut point", "CMP", "Cmp", "NOTHING", "core::ptr::null_mut()", "SUMMED", "&p", "PASSED", "by_x",
                "COLOR", "Color", "GREEN", "Color(1)")));
        buildC(dir, "points");
        buildRust(dir, "safe");
        buildRust(dir, "raw");
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "points.bc"), p(dir, "cfi-safe.bc"));
            assertThat(r.findings()).as(reader).contains("declaration-mismatch point_sum", "declaration-mismatch point_scale",
                    "declaration-mismatch point_reset", "declaration-mismatch compare", "declaration-mismatch paint");
            Map<String, JsonNode> bySymbol = firstBySymbol(r);
            assertThat(bySymbol.get("point_sum").get("message").asText()).endsWith("parameter 1 is `Option<&point>` vs `*const point`");
            assertThat(bySymbol.get("point_sum").get("fix").asText()).startsWith("declare the raw pointer `*const point`");
            assertThat(bySymbol.get("point_scale").get("message").asText()).endsWith("parameter 1 is `&mut point` vs `*mut point`");
            assertThat(bySymbol.get("point_scale").get("fix").asText()).startsWith("declare the raw pointer `*mut point`: rustc encodes a reference");
            assertThat(bySymbol.get("point_reset").get("fix").asText()).startsWith("declare the raw pointer `*mut point`: rustc encodes `Option<…>`");
            assertThat(bySymbol.get("compare").get("fix").asText()).startsWith("rustc encodes `Option<…>` as the type core::option::Option, "
                    + "never as the function pointer it holds: declare the parameter as the bare `unsafe extern \"C\" fn(…)`");
            assertThat(bySymbol.get("paint").get("message").asText()).endsWith("parameter 1 is `u32` vs `color`");
            assertThat(bySymbol.get("paint").get("fix").asText()).contains("#[repr(transparent)] #[cfi_encoding = \"5color\"] pub struct Color(pub u32);");
        }
        assertThat(runMixed(dir, "points", "safe")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        assertCleanAndRuns(dir, "points", "raw");
    }

    /**
     * The common FFI case: Rust declares C's {@code void c_log(long)} with {@code i64} and calls it
     * directly. Direct calls are not checked, so the program runs under both schemes, and the
     * mismatch is latent — a warning, exit 0. Once Rust passes {@code c_log} where an
     * {@code extern "C" fn(i64)} is called, the check tests the declared id (or hash), the program
     * traps, and the same declaration is an error. Confirmed by running all four.
     */
    @Test
    void aDeclarationNothingChecksRunsAndIsLatentUntilACallThroughItsTypeIsChecked(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("log.c"), """
                void c_log(long x) { (void)x; }
                extern void rust_entry(void);
                int main(void) { rust_entry(); return 0; }
                """);
        String crate = """
                #![no_std]
                extern "C" { fn c_log(x: i64); }
                #[inline(never)] fn call(f: unsafe extern "C" fn(i64)) { unsafe { f(1) } }
                #[no_mangle] pub extern "C" fn rust_entry() { unsafe { c_log(1) }; {CALLBACK} }
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                """;
        java.nio.file.Files.writeString(dir.resolve("direct.rs"), filled(crate, Map.of("CALLBACK", "")));
        java.nio.file.Files.writeString(dir.resolve("passed.rs"), filled(crate, Map.of("CALLBACK",
                "call(core::hint::black_box(c_log as unsafe extern \"C\" fn(i64)));")));
        buildC(dir, "log");
        buildRust(dir, "direct");
        buildRust(dir, "passed");
        for (String reader : List.of("java", "llvm")) {
            Run cfi = verify("--reader=" + reader, p(dir, "log.bc"), p(dir, "cfi-direct.bc"));
            assertThat(cfi.findings()).as(reader).containsExactly("latent-declaration-mismatch c_log");
            assertThat(cfi.exit()).as(reader).isZero();
            assertThat(firstBySymbol(cfi).get("c_log").get("message").asText()).as(reader).isEqualTo("c_log is declared with type id _ZTSFvu3i64E but defined "
                    + "with _ZTSFvlE: no indirect call in the analysed modules is checked against the declared id yet, so nothing traps now; a call "
                    + "through a pointer of the declared type would (passing c_log as a callback, say); parameter 1 is `i64` vs `long`");
            // (black_box keeps the pointer in memory: the store is a table entry of its own)
            assertThat(verify("--reader=" + reader, p(dir, "log.bc"), p(dir, "cfi-passed.bc")).findings()).as(reader)
                    .first().isEqualTo("declaration-mismatch c_log");
        }
        Run kcfi = verify(p(dir, "kcfi-log.o"), p(dir, "kcfi-direct.bc"));
        assertThat(kcfi.findings()).containsExactly("latent-declaration-mismatch c_log");
        assertThat(firstBySymbol(kcfi).get("c_log").get("message").asText()).startsWith("c_log is declared with KCFI hash 0x0ffabd9f but defined with 0xbde2bfc8: no indirect call in the analysed "
                + "modules is checked against the declared hash yet");
        assertThat(verify(p(dir, "kcfi-log.o"), p(dir, "kcfi-passed.bc")).findings()).first().isEqualTo("declaration-mismatch c_log");
        assertThat(runMixed(dir, "log", "direct")).as("exit under cfi-icall, KCFI").containsExactly(0, 0);
        assertThat(runMixed(dir, "log", "passed")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
    }

    /** Built by {@link #buildC} and {@link #buildRust}: no finding under cfi-icall nor under KCFI, and the linked programs exit 0. */
    private static void assertCleanAndRuns(Path dir, String c, String crate) throws Exception {
        assertThat(verify(p(dir, c + ".bc"), p(dir, "cfi-" + crate + ".bc")).findings()).as("cfi-icall").isEmpty();
        assertThat(verify(p(dir, "kcfi-" + c + ".o"), p(dir, "kcfi-" + crate + ".bc")).findings()).as("KCFI").isEmpty();
        assertThat(runMixed(dir, c, crate)).as("exit under cfi-icall, KCFI").containsExactly(0, 0);
    }

    /** A report's findings by symbol, the first of each. */
    private static Map<String, JsonNode> firstBySymbol(Run r) {
        Map<String, JsonNode> bySymbol = new java.util.HashMap<>();
        for (JsonNode f : r.json().get("findings")) bySymbol.putIfAbsent(f.get("symbol").asText(), f);
        return bySymbol;
    }

    /** {@code template} with each {@code {KEY}} replaced by its value. */
    private static String filled(String template, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) template = template.replace("{" + e.getKey() + "}", e.getValue());
        return template;
    }

    private static void rustcKcfiWithDebugInformation(Path dir, String name) throws Exception {
        dev.xcfi.encoding.golden.Compilers.run(List.of("rustc", "--edition", "2021", "--crate-type", "lib", "-Cpanic=abort", "-Copt-level=1", "-g",
                "-Zsanitizer=kcfi", "-Cunsafe-allow-abi-mismatch=sanitizer", "--emit=llvm-bc", "-o", p(dir, "kcfi-g-" + name + ".bc"), p(dir, name + ".rs")),
                java.util.Map.of("RUSTC_BOOTSTRAP", "1"));
    }

    /**
     * A table in a module built with the sanitizer holds a function from a module built without
     * it: no id, no hash — a checked call through the table traps whatever the types. Under
     * cfi-icall only inside the LTO unit: a native definition is reached through a jump-table
     * entry (runs). Confirmed by running all four.
     */
    @Test
    void aTableEntryBuiltWithoutTheSanitizerTrapsAndIsFound(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        java.nio.file.Files.writeString(dir.resolve("table.c"), """
                struct ops { void (*log)(long); };
                void plain_log(long x);
                const struct ops ops = { plain_log };
                __attribute__((noinline)) void go(const struct ops *o) { o->log(1); }
                int main(void) { go(&ops); return 0; }
                """);
        java.nio.file.Files.writeString(dir.resolve("plain.c"), "void plain_log(long x) { }\n");
        String table = p(dir, "table.c"), plain = p(dir, "plain.c");
        String[] lto = {"-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall"};
        compile(dir, "kcfi-table.o", table, "-fsanitize=kcfi", "-fembed-bitcode");
        compile(dir, "plain.o", plain, "-fembed-bitcode");
        compile(dir, "kcfi-plain.o", plain, "-fsanitize=kcfi", "-fembed-bitcode");
        compile(dir, "table.bc", table, lto);
        compile(dir, "lto-plain.bc", plain, "-flto", "-fvisibility=hidden");
        String finding = "table-entry-mismatch plain_log";
        Run kcfi = verify(p(dir, "kcfi-table.o"), p(dir, "plain.o"));
        assertThat(kcfi.findings()).containsExactly(finding);
        assertThat(kcfi.text()).contains("plain_log is stored in ops by a module built with KCFI, but is defined in a module built without it and carries no hash");
        assertThat(verify(p(dir, "kcfi-table.o"), p(dir, "kcfi-plain.o")).findings()).isEmpty();
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, p(dir, "table.bc"), p(dir, "lto-plain.bc"));
            assertThat(r.findings()).as(reader).containsExactly(finding);
            assertThat(r.text()).as(reader).contains("by a module built with CFI, but is defined in a module built without it and carries no type id");
        }
        assertThat(verify(p(dir, "table.bc"), p(dir, "plain.o")).findings()).isEmpty();
        for (String[] program : List.of(new String[] {"kcfi-table.o", "plain.o"}, new String[] {"kcfi-table.o", "kcfi-plain.o"},
                new String[] {"table.bc", "lto-plain.bc", "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall"},
                new String[] {"table.bc", "plain.o", "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall"})) {
            List<String> command = new ArrayList<>(List.of("clang-22", "-fuse-ld=lld"));
            for (String part : program) command.add(part.startsWith("-") ? part : p(dir, part));
            Path exe = dir.resolve("prog-" + program[0] + "-" + program[1]);
            command.addAll(List.of("-o", exe.toString()));
            dev.xcfi.encoding.golden.Compilers.run(command);
            boolean traps = program[1].equals("plain.o") ? program[0].startsWith("kcfi") : program[1].equals("lto-plain.bc");
            assertThat(exitOf(exe.toString())).as(String.join(" ", program)).isEqualTo(traps ? 132 : 0);
        }
    }

    /** A Rust trait object's vtable method has the IR type of an orphaned C check, and nothing else in common: not paired. */
    @Test
    void aRustVtableIsNotPairedWithACCallByItsIrTypeAlone(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("caller.c"), "__attribute__((noinline)) long call(long (*f)(void *), void *p) { return f(p); }\n");
        java.nio.file.Files.writeString(dir.resolve("shapes.rs"), """
                #![no_std]
                pub trait Shape { fn area(&self) -> i64; }
                pub struct Square(pub i64);
                impl Shape for Square { fn area(&self) -> i64 { self.0 } }
                static SQUARE: Square = Square(3);
                // the trait object is made (its vtable emitted) but not called here: its method's hash is tested by no call
                #[no_mangle] pub extern "C" fn make() -> usize { core::hint::black_box(&SQUARE as &dyn Shape) as *const dyn Shape as *const u8 as usize }
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                """);
        buildC(dir, "caller");
        buildRust(dir, "shapes");
        assertThat(dev.xcfi.verify.bitcode.BitcodeReader.readFile("shapes", java.nio.file.Files.readAllBytes(dir.resolve("kcfi-shapes.bc"))).getFirst().stored())
                .anySatisfy(s -> assertThat(s.holder() + " " + s.function()).startsWith("vtable.").contains("area"));
        Run r = verify(p(dir, "kcfi-caller.o"), p(dir, "kcfi-shapes.bc"));
        assertThat(r.findings()).contains("unsatisfiable-check call").noneMatch(f -> f.startsWith("table-entry-mismatch"));
    }

    /** {@code name}.c built for cfi-icall ({@code name}.bc, LTO bitcode) and for KCFI ({@code kcfi-name}.o, its module embedded). */
    private static void buildC(Path dir, String name) throws Exception {
        compile(dir, name + ".bc", p(dir, name + ".c"), "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall");
        compile(dir, "kcfi-" + name + ".o", p(dir, name + ".c"), "-fsanitize=kcfi", "-fembed-bitcode");
    }

    /**
     * The no_std crate {@code name}.rs built with {@code -Zsanitizer=cfi} and {@code =kcfi}: as
     * bitcode to verify ({@code cfi-name.bc}, {@code kcfi-name.bc}) and as a staticlib to link.
     */
    private static void buildRust(Path dir, String name) throws Exception {
        for (String scheme : List.of("cfi", "kcfi")) {
            for (String type : List.of("staticlib", "lib")) {
                List<String> command = new ArrayList<>(List.of("rustc", "--edition", "2021", "--crate-type", type, "-Cpanic=abort", "-Copt-level=1",
                        "-Zsanitizer=" + scheme, "-Cunsafe-allow-abi-mismatch=sanitizer"));
                if (scheme.equals("cfi")) command.add("-Clinker-plugin-lto");
                if (type.equals("lib")) command.add("--emit=llvm-bc");
                command.addAll(List.of("-o", p(dir, scheme + "-" + name + (type.equals("lib") ? ".bc" : ".a")), p(dir, name + ".rs")));
                dev.xcfi.encoding.golden.Compilers.run(command, java.util.Map.of("RUSTC_BOOTSTRAP", "1"));
            }
        }
    }

    /** {@link #buildC} and {@link #buildRust}'s outputs linked with lld under cfi-icall (LTO) and under KCFI, and run: the two exit statuses. */
    private static List<Integer> runMixed(Path dir, String c, String crate) throws Exception {
        Path lto = dir.resolve("lto-" + c + "-" + crate), kcfi = dir.resolve("kcfi-" + c + "-" + crate);
        dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "-fuse-ld=lld", "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall", p(dir, c + ".bc"),
                p(dir, "cfi-" + crate + ".a"), "-o", lto.toString()));
        dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "-fuse-ld=lld", p(dir, "kcfi-" + c + ".o"), p(dir, "kcfi-" + crate + ".a"), "-o", kcfi.toString()));
        return List.of(exitOf(lto.toString()), exitOf(kcfi.toString()));
    }

    /**
     * The case xcfi exists for, in a table: a Rust static of a {@code #[repr(C)]} struct holds an
     * {@code extern "C" fn(i64)}; C calls it through the field {@code void (*)(long)}. The Rust
     * function carries {@code _ZTSFvu3i64E} (or its hash), C's call tests {@code _ZTSFvlE}. With
     * the {@code cfi_encoding} newtype the program runs. Confirmed by linking and running all four.
     */
    @Test
    void aRustStaticTableOfTheWrongIntegerTypeTrapsAndIsFound(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        java.nio.file.Files.writeString(dir.resolve("main.c"), """
                struct ops { void (*log)(long); void (*flush)(void); };
                extern const struct ops rust_ops;
                __attribute__((noinline)) void go(const struct ops *o) { o->flush(); o->log(1); }
                void c_log(long x) { }
                void (*volatile keep)(long) = c_log;
                int main(void) { go(&rust_ops); return 0; }
                """);
        String rust = """
                #![no_std]
                #![feature(cfi_encoding)]
                #[repr(transparent)]
                #[cfi_encoding = "l"]
                pub struct CLong(pub i64);
                #[repr(C)]
                pub struct Ops { pub log: extern "C" fn(LONG), pub flush: extern "C" fn() }
                extern "C" fn rust_log(_x: LONG) {}
                extern "C" fn rust_flush() {}
                #[no_mangle]
                pub static rust_ops: Ops = Ops { log: rust_log, flush: rust_flush };
                #[panic_handler]
                fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                """;
        java.nio.file.Files.writeString(dir.resolve("ops.rs"), rust.replace("LONG", "i64"));
        java.nio.file.Files.writeString(dir.resolve("fixed.rs"), rust.replace("LONG", "CLong"));
        buildC(dir, "main");
        buildRust(dir, "ops");
        buildRust(dir, "fixed");
        Run cfi = verify(p(dir, "main.bc"), p(dir, "cfi-ops.bc"));
        assertThat(cfi.findings()).singleElement().asString().startsWith("table-entry-mismatch _R").contains("rust_log");
        assertThat(cfi.json().get("findings").get(0).get("demangled").asText()).isEqualTo("ops::rust_log");
        assertThat(cfi.json().get("findings").get(0).get("message").asText()).startsWith("ops::rust_log is stored in rust_ops");
        assertThat(cfi.text()).contains("is stored in rust_ops and carries _ZTSFvu3i64E, which no checked call tests, but go checks calls against _ZTSFvlE",
                "parameter 1 is `long` vs `i64`");
        assertThat(cfi.json().get("findings").get(0).get("fix").asText()).contains("#[cfi_encoding = \"l\"] pub struct CLong(pub i64)");
        Run kcfi = verify(p(dir, "kcfi-main.o"), p(dir, "kcfi-ops.bc"));
        assertThat(kcfi.findings()).singleElement().asString().startsWith("table-entry-mismatch _R").contains("rust_log");
        assertThat(kcfi.text()).contains("go makes KCFI-checked calls expecting 0xbde2bfc8", "_ZTSFvu3i64E");
        assertThat(kcfi.json().get("findings").get(0).get("locations").get(1).get("decoded").asText()).isEqualTo("hash of _ZTSFvu3i64E: C: void (i64); Rust: extern \"C\" fn(i64)");
        assertThat(verify(p(dir, "main.bc"), p(dir, "cfi-fixed.bc")).findings()).isEmpty();
        assertThat(verify(p(dir, "kcfi-main.o"), p(dir, "kcfi-fixed.bc")).findings()).isEmpty();
        assertThat(runMixed(dir, "main", "ops")).as("exit under cfi-icall, KCFI").containsExactly(132, 132);
        assertThat(runMixed(dir, "main", "fixed")).as("exit under cfi-icall, KCFI").containsExactly(0, 0);
    }

    private static int exitOf(String... command) throws Exception {
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        run.getInputStream().readAllBytes();
        return run.waitFor();
    }

    private static void compile(Path dir, String out, String source, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of("clang-22", "-O1", "-c"));
        command.addAll(List.of(flags));
        command.addAll(List.of(source, "-o", dir.resolve(out).toString()));
        dev.xcfi.encoding.golden.Compilers.run(command);
    }

    private static String p(Path dir, String file) {
        return dir.resolve(file).toString();
    }

    /** Links the two objects with main.o (lld) and runs the program: its exit status. */
    private static int runs(Path dir, String a, String b, String... flags) throws Exception {
        Path exe = dir.resolve("prog-" + a + "-" + b);
        List<String> command = new ArrayList<>(List.of("clang-22", "-fuse-ld=lld"));
        command.addAll(List.of(flags));
        command.addAll(List.of(p(dir, a), p(dir, b), p(dir, "main.o"), "-o", exe.toString()));
        dev.xcfi.encoding.golden.Compilers.run(command);
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        run.getInputStream().readAllBytes();
        return run.waitFor();
    }

    /** A shared object's cross-DSO check table only lists functions whose modules were built for it. */
    @Test
    void crossDsoOnOneSideIsASchemeMismatch(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        Path c = dir.resolve("fig4-cross-dso.bc");
        dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "-O1", "-c", "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall",
                "-fsanitize-cfi-cross-dso", Fixtures.root().resolve("fixtures/verify/fig4.c").toString(), "-o", c.toString()));
        for (String reader : List.of("java", "llvm")) {
            Run r = verify("--reader=" + reader, c.toString(), "fig4/rust.bc");
            assertThat(r.findings()).as(reader).contains("scheme-mismatch ");
            assertThat(r.text()).as(reader).contains("the modules disagree on cross-DSO CFI: cross-DSO vs single-DSO");
            assertThat(r.findings()).as(reader).filteredOn(f -> f.startsWith("declaration-mismatch")).containsExactly("declaration-mismatch hello_from_c");
            assertThat(r.findings()).as(reader).filteredOn(f -> f.startsWith("latent-declaration-mismatch")).containsExactly("latent-declaration-mismatch indirect_call_from_c");
        }
        assertThat(verify("fig4").text()).doesNotContain("cross-DSO CFI");
    }

    /** Unoptimized C stores the callback parameter to the stack and loads it back before the call: still found. */
    @Test
    void kcfiCallbacksAreFoundInUnoptimizedCodeToo(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("fig4-O0.bc");
        dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "-O0", "-c", "-fsanitize=kcfi", "-emit-llvm",
                Fixtures.root().resolve("fixtures/verify/fig4.c").toString(), "-o", c.toString()));
        for (String reader : List.of("--reader=java", "--reader=llvm")) {
            Run r = verify(reader, c.toString(), "kcfi/rust.bc");
            assertThat(r.findings()).as(reader).contains("callback-mismatch hello_from_rust_again");
        }
    }

    @Test
    void mixingKcfiWithCfiIcallIsASchemeMismatchAndTheIdsExplainTheHashes() throws Exception {
        Run r = verify("kcfi", "fig4");
        assertThat(r.findings()).contains("scheme-mismatch ");
        assertThat(r.text()).contains("the modules disagree on CFI scheme: kcfi vs cfi-icall");
        JsonNode kcfiHello = r.json().get("findings").get(1);
        assertThat(kcfiHello.get("locations").get(0).get("typeId").asText()).isEqualTo("0x0ffabd9f");
        assertThat(kcfiHello.get("locations").get(0).get("decoded").asText()).isEqualTo("hash of _ZTSFvu3i64E: C: void (i64); Rust: extern \"C\" fn(i64)");
        assertThat(kcfiHello.get("locations").get(1).get("decoded").asText()).startsWith("hash of _ZTSFvlE: C: void (long)");
    }

    @Test
    void multiModuleFilesAreSplitAndRead() throws Exception {
        Run r = verify("thinlto");
        assertThat(r.exit()).isZero();
        assertThat(r.json().get("inputs").get(0).get("modules").asInt()).isEqualTo(2);
        assertThat(r.json().get("inputs").get(0).get("typeTests").asInt()).isEqualTo(1);
    }

    @Test
    void aCorruptFileIsAnErrorEntryAndTheOthersAreStillVerified() throws Exception {
        Run r = verify("corrupt");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.json().get("errors")).hasSize(1);
        assertThat(r.json().get("errors").get(0).get("path").asText()).endsWith("truncated.bc");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains("at bit");
        assertThat(r.json().get("inputs")).hasSize(2);
        // keys in a fixed order, so that two reports of the same input are the same text
        assertThat(r.json().get("errors").get(0).fieldNames()).toIterable().containsExactly("path", "message");
        assertThat(r.json().get("summary").fieldNames()).toIterable().containsExactly("errors", "warnings");
    }

    @Test
    void aFileThatCrashesLibLlvmIsAnErrorEntryAndTheRunGoesOn() throws Exception {
        Run r = verify("--reader=llvm", "crash/libllvm-crash.bc", "fig5", "fig4/c.bc");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.json().get("errors")).hasSize(1);
        assertThat(r.json().get("errors").get(0).get("message").asText()).startsWith("libLLVM crashed while reading this file");
        assertThat(r.json().get("inputs")).extracting(i -> Path.of(i.get("path").asText()).getFileName().toString())
                .containsExactly("c.bc", "rust.bc", "c.bc");
        // The pure-Java reader (the default) refuses the same file with its bit offset and block, in-process.
        Run java = verify("crash/libllvm-crash.bc", "fig5");
        assertThat(java.json().get("errors")).hasSize(1);
        assertThat(java.json().get("errors").get(0).get("message").asText()).contains("at bit").contains("MODULE_BLOCK");
        assertThat(java.json().get("inputs")).hasSize(2);
    }

    @Test
    void bothReadersGiveTheSameFindingsAndTheReportSaysWhichReadEachFile() throws Exception {
        for (String fixture : List.of("fig4", "kcfi", "one-sided", "thinlto")) {
            Run java = verify("--reader=java", fixture), llvm = verify("--reader=llvm", fixture), auto = verify(fixture);
            assertThat(java.json().get("findings")).as(fixture).isEqualTo(llvm.json().get("findings"));
            assertThat(auto.json().get("findings")).as(fixture).isEqualTo(java.json().get("findings"));
            assertThat(java.json().get("inputs")).allSatisfy(i -> assertThat(i.get("reader").asText()).isEqualTo("java"));
            assertThat(llvm.json().get("inputs")).allSatisfy(i -> assertThat(i.get("reader").asText()).isEqualTo("llvm"));
            assertThat(auto.json().get("inputs")).allSatisfy(i -> assertThat(i.get("reader").asText()).isEqualTo("java"));
        }
    }

    @Test
    void bitcodeNeedsNoLibLlvmUnderAuto() throws Exception {
        Run r = verify("--libllvm", "/nowhere/libLLVM.so.22.1", "fig4");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.findings()).hasSize(3);
        assertThat(r.json().get("errors")).isEmpty();
    }

    @Test
    void autoHandsTextAndOldBitcodeToLibLlvm(@TempDir Path dir) throws Exception {
        Path ll = dir.resolve("c.ll");
        dev.xcfi.encoding.golden.Compilers.run(List.of("llvm-dis-22", Fixtures.root().resolve("fixtures/verify/fig4/c.bc").toString(), "-o", ll.toString()));
        Run r = verify(ll.toString(), "fig4/rust.bc", "llvm14/old.bc");
        assertThat(r.json().get("inputs")).extracting(i -> i.get("reader").asText() + " " + i.get("producer").asText())
                .containsExactly("llvm ", "java LLVM22.1.2-rust-1.95.0-stable", "llvm LLVM14.0.6");
        assertThat(r.findings()).containsExactly("declaration-mismatch hello_from_c", "latent-declaration-mismatch indirect_call_from_c",
                "callback-mismatch hello_from_rust_again");
        // --reader java reads what it can and names the rest, with what would read it.
        Run java = verify("--reader=java", ll.toString(), "llvm14/old.bc", "fig4/rust.bc");
        assertThat(java.exit()).isEqualTo(2);
        assertThat(java.json().get("errors")).extracting(e -> e.get("message").asText()).containsExactly(
                "textual IR (--reader auto or llvm reads it with libLLVM)",
                "bitcode from LLVM14.0.6; the pure-Java reader reads LLVM 15 to 22 (at bit 256) (--reader auto or llvm reads it with libLLVM)");
        assertThat(java.json().get("inputs")).hasSize(1);
        // auto without a usable libLLVM: those files are errors, the rest is still verified.
        Run none = verify("--libllvm", "/nowhere/libLLVM.so.22.1", ll.toString(), "fig4/rust.bc");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.json().get("errors").get(0).get("message").asText()).startsWith("textual IR, and no usable libLLVM");
        assertThat(none.json().get("inputs")).hasSize(1);
    }

    @Test
    void aNamedLibLlvmIsUsedOrRefusedNeverReplaced() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(new String[] {"verify", "--reader=llvm", "--libllvm", "/nowhere/libLLVM.so.22.1", Fixtures.root().resolve("fixtures/verify/fig5").toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("xcfi: no usable libLLVM (need LLVM 22 or newer):\n  cannot load libLLVM from /nowhere/libLLVM.so.22.1")
                .contains("install Debian's libllvm22 or pass --libllvm PATH").doesNotContain("Exception");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aCheckNoFunctionCanSatisfyIsAWarning(@TempDir Path dir) throws Exception {
        Path bc = TestBitcode.clang(dir, "u", """
                void use_int(int x) {}
                void call_int(void (*f)(int)) { f(1); }
                void call_short(void (*f)(short)) { f(1); }
                """, "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden");
        Run r = verify(bc.toString());
        assertThat(r.findings()).containsExactly("unsatisfiable-check call_short");
        assertThat(r.json().get("findings").get(0).get("severity").asText()).isEqualTo("warning");
        assertThat(r.exit()).isZero();
    }

    @Test
    void internalTypeIdsUsedAcrossModulesAreWarnings(@TempDir Path dir) throws Exception {
        Path a = TestBitcode.clang(dir, "a", "namespace { struct S { int x; }; }\nextern \"C\" void take_s(S *p) {}\n",
                "-x", "c++", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden", "-Wno-return-type-c-linkage");
        Path b = TestBitcode.clang(dir, "b", "void take_s(void *);\nvoid g(void) { take_s(0); }\n", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden");
        Run r = verify(a.toString(), b.toString());
        assertThat(r.findings()).containsExactly("internal-type-id take_s");
        Run alone = verify(a.toString());
        assertThat(alone.findings()).isEmpty();
    }

    /**
     * A static library of LTO objects, and an rlib built for linker-plugin LTO, are linked like
     * their members: each bitcode member is a module, named {@code lib.a(member.o)}; native members
     * are passed over, in GNU and BSD archives alike (llvm-ar-22 writes both).
     */
    @Test
    void archivesAreReadMemberByMember(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("c_side_with_a_member_name_longer_than_sixteen.o"), rust = dir.resolve("rust.o");
        java.nio.file.Files.copy(Fixtures.root().resolve("fixtures/verify/fig4/c.bc"), c);
        java.nio.file.Files.copy(Fixtures.root().resolve("fixtures/verify/fig4/rust.bc"), rust);
        Path nativeSource = dir.resolve("native.c"), nativeObject = dir.resolve("native.o");
        java.nio.file.Files.writeString(nativeSource, "int native_fn(void) { return 1; }\n");
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "-c", nativeSource.toString(), "-o", nativeObject.toString()));
        Run loose = verify("fig4");
        for (String format : List.of("gnu", "bsd")) {
            Path lib = dir.resolve(format + ".a");
            dev.xcfi.encoding.golden.Compilers.run(List.of("llvm-ar-22", "rc", "--format=" + format, lib.toString(), c.toString(), rust.toString(),
                    nativeObject.toString()));
            Run r = verify("--reader=java", lib.toString());
            assertThat(r.exit()).as(format).isEqualTo(1);
            assertThat(r.findings()).as(format).isEqualTo(loose.findings());
            assertThat(r.json().get("inputs").get(0).get("modules").asInt()).as(format).isEqualTo(3);
            JsonNode hello = r.json().get("findings").get(0).get("locations");
            assertThat(hello.get(0).get("path").asText()).isEqualTo(lib + "(rust.o)");
            assertThat(hello.get(1).get("path").asText()).isEqualTo(lib + "(" + c.getFileName() + ")");
        }
        // an archive with no bitcode: an error when named, passed over when a folder holds it
        Path nativeLib = dir.resolve("native.a");
        dev.xcfi.encoding.golden.Compilers.run(List.of("llvm-ar-22", "rc", nativeLib.toString(), nativeObject.toString()));
        Run named = verify(nativeLib.toString());
        assertThat(named.exit()).isEqualTo(2);
        assertThat(named.json().get("errors").get(0).get("message").asText())
                .isEqualTo("an archive with no LLVM bitcode among its 1 members (build its objects with -flto)");
        Path folder = java.nio.file.Files.createDirectory(dir.resolve("build"));
        java.nio.file.Files.copy(nativeLib, folder.resolve("native.a"));
        java.nio.file.Files.copy(nativeObject, folder.resolve("native.o"));
        java.nio.file.Files.copy(dir.resolve("gnu.a"), folder.resolve("libfig4.a"));
        Run walked = verify(folder.toString());
        assertThat(walked.exit()).isEqualTo(1);
        assertThat(walked.findings()).isEqualTo(loose.findings());
        assertThat(walked.json().get("errors")).isEmpty();
        // libLLVM reads files, not members: said so
        Run llvm = verify("--reader=llvm", dir.resolve("gnu.a").toString());
        assertThat(llvm.exit()).isEqualTo(2);
        assertThat(llvm.json().get("errors").get(0).get("message").asText()).startsWith("an ar archive: the bitcode in it is read by the pure-Java reader");
    }

    /** rustc's rlib for linker-plugin LTO: metadata and a bitcode object; the object's facts as if it were given alone. */
    @Test
    void anLtoRlibIsReadLikeItsBitcodeMember(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        Path rs = dir.resolve("cb.rs"), rlib = dir.resolve("libcb.rlib");
        java.nio.file.Files.writeString(rs, """
                #![no_std]
                #[no_mangle]
                pub extern "C" fn call_it(f: extern "C" fn(i64) -> i64) -> i64 { f(3) }
                #[panic_handler]
                fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                """);
        dev.xcfi.encoding.golden.Compilers.run(List.of("rustc", "--edition", "2021", "--crate-type", "rlib", "-Clinker-plugin-lto", "-Copt-level=1",
                "-Zsanitizer=cfi", "-Cunsafe-allow-abi-mismatch=sanitizer", "-o", rlib.toString(), rs.toString()), java.util.Map.of("RUSTC_BOOTSTRAP", "1"));
        Run r = verify(rlib.toString());
        JsonNode input = r.json().get("inputs").get(0);
        assertThat(input.get("reader").asText()).isEqualTo("java");
        assertThat(input.get("typeTests").asInt()).isEqualTo(1);
        assertThat(r.json().get("errors")).isEmpty();
        assertThat(r.findings()).containsExactly("unsatisfiable-check call_it");
        assertThat(r.json().get("findings").get(0).get("locations").get(0).get("path").asText()).startsWith(rlib + "(libcb.").endsWith(".rcgu.o)");
    }

    /**
     * KCFI needs no LTO, so a build has native objects: clang's with -fembed-bitcode, and rustc's
     * rlib, whose objects embed their module by default. Fig. 4 built that way has exactly the KCFI
     * fixtures' three findings; a native object without bitcode is an error when named and passed
     * over in a folder.
     */
    @Test
    void kcfiBuildsOfNativeObjectsAreReadFromTheirEmbeddedBitcode(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        Path c = dir.resolve("fig4.o"), plain = dir.resolve("native/plain.o"), rlib = dir.resolve("libfig4.rlib");
        String source = Fixtures.root().resolve("fixtures/verify/fig4.c").toString();
        dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "-O1", "-c", "-fsanitize=kcfi", "-fembed-bitcode", source, "-o", c.toString()));
        java.nio.file.Files.createDirectories(plain.getParent());
        dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "-O1", "-c", "-fsanitize=kcfi", source, "-o", plain.toString()));
        dev.xcfi.encoding.golden.Compilers.run(List.of("rustc", "--edition", "2021", "--crate-type", "rlib", "--crate-name", "fig4", "-O", "-Cpanic=abort",
                "-Zsanitizer=kcfi", "-Cunsafe-allow-abi-mismatch=sanitizer", "-o", rlib.toString(),
                Fixtures.root().resolve("fixtures/rust/examples/cfi_types_fig4.rs").toString()), java.util.Map.of("RUSTC_BOOTSTRAP", "1"));
        Run r = verify(c.toString(), rlib.toString(), plain.getParent().toString());
        assertThat(r.findings()).isEqualTo(verify("kcfi").findings());
        assertThat(r.json().get("errors")).isEmpty();
        assertThat(r.json().get("inputs")).extracting(i -> i.get("path").asText()).containsExactly(c.toString(), rlib.toString());
        assertThat(r.json().get("findings").get(0).get("locations").get(0).get("path").asText()).startsWith(rlib + "(libfig4.fig4.").endsWith(".rcgu.o)");
        // a folder yields objects of every format, COFF's (which has no magic) included
        Path coff = dir.resolve("windows/hello.o");
        java.nio.file.Files.createDirectories(coff.getParent());
        Path hello = java.nio.file.Files.writeString(dir.resolve("hello.c"), "void hello_from_c(long arg) {}\n");
        dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "--target=x86_64-windows-gnu", "-O1", "-c", "-fsanitize=kcfi", "-fembed-bitcode",
                hello.toString(), "-o", coff.toString()));
        assertThat(verify(coff.getParent().toString()).json().get("inputs")).extracting(i -> i.get("path").asText()).containsExactly(coff.toString());
        Run named = verify(plain.toString());
        assertThat(named.exit()).isEqualTo(2);
        assertThat(named.json().get("errors").get(0).get("message").asText()).startsWith("a native object without LLVM bitcode (build it with -flto");
        Run llvm = verify("--reader=llvm", c.toString());
        assertThat(llvm.json().get("errors").get(0).get("message").asText()).isEqualTo("a native object: the bitcode in it is read by the pure-Java reader (--reader auto or java)");
    }

    /** An archive member from LLVM 14: under auto libLLVM reads it, reported under its member name; under --reader java it is named with what would read it. */
    @Test
    void autoHandsOldArchiveMembersToLibLlvm(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("c.o"), rust = dir.resolve("rust.o"), old = dir.resolve("old.o"), lib = dir.resolve("mixed.a");
        java.nio.file.Files.copy(Fixtures.root().resolve("fixtures/verify/fig4/c.bc"), c);
        java.nio.file.Files.copy(Fixtures.root().resolve("fixtures/verify/fig4/rust.bc"), rust);
        java.nio.file.Files.copy(Fixtures.root().resolve("fixtures/verify/llvm14/old.bc"), old);
        dev.xcfi.encoding.golden.Compilers.run(List.of("llvm-ar-22", "rc", lib.toString(), c.toString(), rust.toString(), old.toString()));
        Run auto = verify(lib.toString());
        assertThat(auto.json().get("inputs")).extracting(i -> i.get("path").asText() + " " + i.get("reader").asText() + " " + i.get("producer").asText())
                .containsExactly(lib + " java LLVM22.1.8", lib + "(old.o) llvm LLVM14.0.6");
        assertThat(auto.json().get("errors")).isEmpty();
        assertThat(auto.findings()).isEqualTo(verify("fig4", "llvm14/old.bc").findings());
        Run java = verify("--reader=java", lib.toString());
        assertThat(java.exit()).isEqualTo(2);
        assertThat(java.json().get("errors")).extracting(e -> e.get("path").asText() + ": " + e.get("message").asText()).containsExactly(
                lib + "(old.o): bitcode from LLVM14.0.6; the pure-Java reader reads LLVM 15 to 22 (at bit 256) (--reader auto reads it with libLLVM)");
        assertThat(java.findings()).isEqualTo(verify("fig4").findings());
    }
}
