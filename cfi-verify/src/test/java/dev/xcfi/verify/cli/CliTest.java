package dev.xcfi.verify.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {
    record Result(int status, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    /** KCFI xxHash64 and cross-DSO columns for an id, from the reference vectors' formulas (HashTest pins them). */
    static String hashes(String id) {
        return dev.xcfi.encoding.KcfiHash.format(dev.xcfi.encoding.KcfiHash.XXHASH64.hash(id)) + "\t"
                + dev.xcfi.encoding.CrossDsoId.format(dev.xcfi.encoding.CrossDsoId.of(id));
    }

    @TempDir
    Path dir;

    Path header(String text) throws IOException {
        Path p = dir.resolve("h.h");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void encodesTsvInInputOrder() throws IOException {
        Result r = run("encode", "--target", "x86_64-linux-gnu", header("void f(long);\nint g(const char *, ...);\n").toString());
        assertThat(r.status()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "f\t_ZTSFvlE\t0xbde2bfc8\t0x8e148512407754da",
                "g\t_ZTSFiPKczE\t0xce2ca9d7\t0xbc19fbeb1a9d66ef".replace("0xce2ca9d7\t0xbc19fbeb1a9d66ef", hashes("_ZTSFiPKczE")));
    }

    /** -fshort-wchar as clang's (LiveClangTest compares it on every target): wchar_t is unsigned short, and which finds it so. */
    @Test
    void shortWcharFromTheCommandLine() throws IOException {
        String h = header("#include <stddef.h>\nvoid f(wchar_t, char (*)[__SIZEOF_WCHAR_T__]);\n").toString();
        assertThat(run("encode", "--target", "x86_64-linux-gnu", h).out().lines().map(l -> l.split("\t")[1])).containsExactly("_ZTSFviPA4_cE");
        Result r = run("encode", "--target", "x86_64-linux-gnu", "-fshort-wchar", h);
        assertThat(r.out().lines().map(l -> l.split("\t")[1])).containsExactly("_ZTSFvtPA2_cE");
        assertThat(run("which", "--target", "x86_64-linux-gnu", "-fshort-wchar", r.out().split("\t")[2], h).out()).contains("\tfunction\tf\t_ZTSFvtPA2_cE\t");
        assertThat(run("encode", "-fshort-wcharx", h).err()).contains("Unknown option: '-fshort-wcharx'");
    }

    /** -D and -U as clang's: a header configured by macros encodes as the configuration it is given. */
    @Test
    void macrosFromTheCommandLine() throws IOException {
        String h = header("#ifdef WIDE\nvoid f(WIDE);\n#else\nvoid f(int);\n#endif\n#if LEVEL > 2\nvoid g(void);\n#endif\n").toString();
        assertThat(run("encode", "--target", "x86_64-linux-gnu", h).out().lines().map(l -> l.split("\t")[1])).containsExactly("_ZTSFviE");
        assertThat(run("encode", "--target", "x86_64-linux-gnu", "-DWIDE=long", "-D", "LEVEL=3", h).out().lines().map(l -> l.split("\t")[1]))
                .containsExactly("_ZTSFvlE", "_ZTSFvvE");
        assertThat(run("encode", "--target", "x86_64-linux-gnu", "-DWIDE=long", "-DLEVEL", h).out().lines().map(l -> l.split("\t")[0]))
                .containsExactly("f");   // LEVEL is 1
        assertThat(run("encode", "--target", "x86_64-linux-gnu", "-DWIDE=long", "-UWIDE", h).out().lines().map(l -> l.split("\t")[1]))
                .containsExactly("_ZTSFviE");
        Result bad = run("encode", "-D1X", h);
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("-D needs a macro name, not '1X'").doesNotContain("Exception");
    }

    /** A KCFI trap's "expected type: 0x…" named: every function type the header names whose hash it is. */
    @Test
    void whichNamesTheTypesAHashIsOf() throws IOException {
        String h = header("""
                typedef void (*log_fn)(long);
                struct ops { log_fn log; int (*open)(const char *); };
                typedef struct { void (*flush)(long); } sink_t;
                void c_log(long);
                int c_open(const char *path);
                """).toString();
        String log = hashes("_ZTSFvlE").split("\t")[0], open = hashes("_ZTSFiPKcE").split("\t")[0];
        Result r = run("which", "--target", "x86_64-linux-gnu", log, h, "0xdeadbeef");
        assertThat(r.out().lines().map(l -> String.join(" ", java.util.Arrays.copyOfRange(l.split("\t"), 0, Math.min(4, l.split("\t").length)))))
                .containsExactly(log + " function c_log _ZTSFvlE", log + " typedef log_fn _ZTSFvlE", log + " member struct ops.log _ZTSFvlE",
                        log + " member sink_t.flush _ZTSFvlE", "0xdeadbeef -");
        assertThat(r.out().lines().findFirst().orElseThrow()).endsWith(h + ":4\tvoid (long)");
        assertThat(r.status()).isEqualTo(1);
        Result o = run("which", "--target", "x86_64-linux-gnu", open, h);
        assertThat(o.status()).isZero();
        assertThat(o.out().lines().map(l -> l.split("\t")[2])).containsExactly("c_open", "struct ops.open");
        assertThat(run("which", h).status()).isEqualTo(2);
    }

    /** In bitcode, which functions carry a hash and which checked calls expect it, named and placed from debug information. */
    @Test
    void whichFindsWhoCarriesAndExpectsAHashInBitcode() {
        java.nio.file.Path fixture = dev.xcfi.encoding.golden.Fixtures.root().resolve("fixtures/verify/debuginfo");
        Result r = run("which", "0x11f722ed", "0x3560a2a0", "0x00000001", fixture.resolve("c.bc").toString(), fixture.resolve("rust.bc").toString());
        assertThat(r.out().lines().map(l -> String.join(" ", java.util.Arrays.copyOfRange(l.split("\t"), 0, Math.min(5, l.split("\t").length)))))
                .containsExactly("0x11f722ed carried-by c_read _ZTSFiP3ctxPvixE fixtures/verify/debuginfo.c:11",
                        "0x11f722ed expected-by go _ZTSFiP3ctxPvixE fixtures/verify/debuginfo.c:9:79",
                        "0x3560a2a0 carried-by _RNvCseoBkWPqXd6_11ctx_binding9rust_read _ZTSFu3i32P3CtxPvS_u3i64E fixtures/rust/examples/ctx_binding.rs:15",
                        "0x00000001 -");
        assertThat(r.status()).isEqualTo(1);
        // a module's declaration of a function says a hash its definition need not carry: told apart from carrying it
        java.nio.file.Path kcfi = dev.xcfi.encoding.golden.Fixtures.root().resolve("fixtures/verify/kcfi");
        Result fig4 = run("which", "0x0ffabd9f", kcfi.resolve("c.bc").toString(), kcfi.resolve("rust.bc").toString());
        assertThat(fig4.out().lines().map(l -> String.join(" ", java.util.Arrays.copyOfRange(l.split("\t"), 0, 3))))
                .containsExactly("0x0ffabd9f carried-by hello_from_rust", "0x0ffabd9f carried-by hello_from_rust_again",
                        "0x0ffabd9f declaration hello_from_c", "0x0ffabd9f expected-by call_Callback");
    }

    /**
     * Rust sources too: every fn hashed as rustc hashes it. The driver's function is the one rustc's
     * bitcode says carries the hash (the committed fixture, built by rustc from this source).
     */
    @Test
    void whichNamesTheRustFunctionsWithAHash() {
        java.nio.file.Path root = dev.xcfi.encoding.golden.Fixtures.root();
        String source = root.resolve("fixtures/rust/examples/fops_driver.rs").toString();
        Result carried = run("which", "0x2130c419", "0x47fbd8c7", root.resolve("fixtures/verify/drivers/rust.bc").toString());
        assertThat(carried.out().lines().map(l -> l.split("\t")[3])).containsExactly("_ZTSFu5isizeP4filePu2i8u5usizePu3i64E", "_ZTSFu3i32P5inodeP4fileE");
        Result r = run("which", "--crate", "fops_driver=shGS7jhLw6rC_", "0x2130c419", "0x47fbd8c7", "0x00000001", source);
        // the table's fields (the type a Rust call through them checks) and the functions stored in it
        assertThat(r.out().lines()).containsExactly(
                "0x2130c419\tmember\tfile_operations.read\t_ZTSFu5isizeP4filePu2i8u5usizePu3i64E\t" + source + ":19\t"
                        + "unsafe extern \"C\" fn(*mut file, *mut i8, usize, *mut i64) -> isize",
                "0x47fbd8c7\tmember\tfile_operations.open\t_ZTSFu3i32P5inodeP4fileE\t" + source + ":20\tunsafe extern \"C\" fn(*mut inode, *mut file) -> i32",
                "0x2130c419\tfunction\tdrv_read\t_ZTSFu5isizeP4filePu2i8u5usizePu3i64E\t" + source + ":23\t"
                        + "unsafe extern \"C\" fn(*mut file, *mut i8, usize, *mut i64) -> isize",
                "0x47fbd8c7\tfunction\tdrv_open\t_ZTSFu3i32P5inodeP4fileE\t" + source + ":27\tunsafe extern \"C\" fn(*mut inode, *mut file) -> i32",
                "0x00000001\t-");
        // the panic handler's &PanicInfo is a type xcfi does not model: said with its place, the rest still found
        assertThat(r.err()).contains("fops_driver.rs:35:14: error: 'core::panic::PanicInfo' is not a type xcfi knows");
        assertThat(r.status()).isEqualTo(1);
        assertThat(run("which", "--kcfi-hash", "fnv1a", "0x2130c419", source).status()).isEqualTo(2);
        // a folder is a usage error that says so, for which and encode alike
        String folder = root.resolve("fixtures/rust/examples").toString();
        for (String[] args : java.util.List.of(new String[] {"which", "0x2130c419", folder}, new String[] {"encode", folder})) {
            Result f = run(args);
            assertThat(f.status()).isEqualTo(2);
            assertThat(f.err()).isEqualTo("xcfi: cannot read '" + folder + "': it is a folder (give the files in it)\n");
        }
    }

    /**
     * One file that cannot be read (missing, binary, a device that never ends) is said and passed
     * over: the other files' rows are still printed, and the status is 2. Before, encode and which
     * stopped at it and printed nothing else; /dev/zero was read until the heap ran out.
     */
    @Test
    void oneUnreadableFileDoesNotStopTheOthers(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path ok = java.nio.file.Files.writeString(dir.resolve("ok.h"), "void f(long);\nvoid g(int);\n");
        String missing = dir.resolve("missing.h").toString();
        Result encode = run("encode", "--target", "x86_64-linux-gnu", missing, ok.toString(), "/dev/zero");
        assertThat(encode.out().lines()).containsExactly("f\t_ZTSFvlE\t0xbde2bfc8\t0x8e148512407754da", "g\t_ZTSFviE\t0x019c0cac\t0x86b911eb21626b05");
        assertThat(encode.err().lines()).containsExactly("xcfi: cannot read '" + missing + "': no such file",
                "xcfi: cannot read '/dev/zero': a binary file, not source text");
        assertThat(encode.status()).isEqualTo(2);
        Result which = run("which", "--target", "x86_64-linux-gnu", "0xbde2bfc8", "/dev/urandom", dir.resolve("gone.bc").toString(), ok.toString());
        assertThat(which.out().lines()).containsExactly("0xbde2bfc8\tfunction\tf\t_ZTSFvlE\t" + ok + ":1\tvoid (long)");
        assertThat(which.err()).contains("cannot read '/dev/urandom': a binary file", "cannot read '" + dir.resolve("gone.bc") + "': no such file");
        assertThat(which.status()).isEqualTo(2);
        Result rust = run("encode", "--lang", "rust", dir.resolve("gone.rs").toString());
        assertThat(rust.err()).isEqualTo("xcfi: cannot read '" + dir.resolve("gone.rs") + "': no such file\n");   // and no rustc asked about a crate with no file
        assertThat(rust.status()).isEqualTo(2);
    }

    /**
     * A Rust KCFI check through a struct's fn-pointer field expects the hash of the field's type:
     * rustc's own check, read from its bitcode, is what {@code which} names as the member (bindgen's
     * {@code Option<unsafe extern "C" fn>} and a plain {@code fn} field alike).
     */
    @Test
    void whichNamesTheRustFieldARustKcfiCheckCallsThrough(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String source = """
                #![no_std]
                #[repr(C)] pub struct Ctx { pub n: i32 }
                #[repr(C)] pub struct Ops {
                    pub read: Option<unsafe extern "C" fn(*mut Ctx, *mut u8, usize) -> isize>,
                    pub done: extern "C" fn(*mut Ctx),
                }
                #[no_mangle] pub unsafe extern "C" fn go(ops: &Ops, c: *mut Ctx, b: *mut u8) -> isize {
                    (ops.done)(c);
                    match ops.read { Some(f) => f(c, b, 4), None => -1 }
                }
                #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
                """;
        Path bc = dev.xcfi.verify.TestBitcode.rustc(dir, "ops", source, "-Zsanitizer=kcfi", "-Cpanic=abort");
        var calls = dev.xcfi.verify.bitcode.BitcodeReader.readFile(bc.toString(), java.nio.file.Files.readAllBytes(bc)).getFirst().kcfiCalls();
        assertThat(calls).hasSize(2);
        java.util.List<String> hashes = calls.stream().map(c -> dev.xcfi.encoding.KcfiHash.format(c.hash())).toList();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("which", "--crate", "ops=s0_"));
        args.addAll(hashes);
        args.add(dir.resolve("ops.rs").toString());
        Result r = run(args.toArray(String[]::new));
        assertThat(r.out().lines().map(l -> l.split("\t")[0] + " " + l.split("\t")[1] + " " + l.split("\t")[2]))
                .containsExactlyInAnyOrder(hashes.get(0) + " member Ops.done", hashes.get(1) + " member Ops.read");
    }

    @Test
    void modesAndHashAlgorithm() throws IOException {
        Path h = header("void f(long);\n");
        assertThat(run("encode", "--target", "x86_64-linux-gnu", "--normalize-integers", h.toString()).out())
                .isEqualTo("f\t_ZTSFvu3i64E.normalized\t0x04a70834\t" + run("hash", "_ZTSFvu3i64E.normalized").out().split("\t")[3]);
        assertThat(run("encode", "--target", "x86_64-linux-gnu", "--generalize-pointers", h.toString()).out())
                .isEqualTo("f\t_ZTSFvlE.generalized\t0x9983a513\t-\n");
        assertThat(run("encode", "--target", "x86_64-linux-gnu", "--kcfi-hash", "fnv1a", h.toString()).out())
                .isEqualTo("f\t_ZTSFvlE\t0x24efb23e\t0x8e148512407754da\n");
        // long is 32-bit on LLP64: the same declaration, another id.
        assertThat(run("encode", "--target", "x86_64-windows-gnu", "--normalize-integers", h.toString()).out())
                .startsWith("f\t_ZTSFvu3i32E.normalized\t0x454a91cb");
    }

    @Test
    void aRejectedTypeIsAnErrorRowAndTheOthersStillPrint() throws IOException {
        Path h = header("void a(int);\nvoid b(__bf16);\nvoid c(long);\nvoid d(__int128);\n");
        Result r = run("encode", "--target", "i686-linux-gnu", h.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out().lines()).containsExactly(
                "a\t_ZTSFviE\t" + hashes("_ZTSFviE"),
                "b\t-\t-\t-\terror: __bf16 is not supported on this target (i686-linux-gnu)",
                "c\t_ZTSFvlE\t" + hashes("_ZTSFvlE"));
        // a keyword the target lacks is clang's error where it stands (the type exists: mode(TI) makes it)
        assertThat(r.err()).contains(h + ":4:8: error: __int128 is not supported on this target");
    }

    @Test
    void syntaxErrorsCarryFileLineColumnAndDoNotStopTheRest() throws IOException {
        Path h = header("void ok1(int);\nvoid broken(int x y);\nstruct { int a; \nvoid ok2(long);\n");
        Result r = run("encode", "--target", "x86_64-linux-gnu", h.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(h + ":2:19: error: expected ')'");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).contains("ok1\t_ZTSFviE");
    }

    @Test
    void jsonAndTextCarryTheSameFacts() throws IOException {
        Path h = header("void f(long);\nvoid p(struct P *);\n");
        JsonNode json = new ObjectMapper().readTree(run("encode", "--target", "x86_64-linux-gnu", "--format", "json", h.toString()).out());
        assertThat(json.path("target").asText()).isEqualTo("x86_64-linux-gnu");
        assertThat(json.path("functions").get(0).path("typeId").asText()).isEqualTo("_ZTSFvlE");
        assertThat(json.path("functions").get(0).path("kcfi").asText()).isEqualTo("0xbde2bfc8");
        assertThat(json.path("functions").get(0).path("c").asText()).isEqualTo("void f(long)");
        assertThat(json.path("functions").get(1).path("typeId").asText()).isEqualTo("<internal>");
        assertThat(json.path("functions").get(1).path("crossDso").isNull()).isTrue();
        String text = run("encode", "--target", "x86_64-linux-gnu", "--format", "text", h.toString()).out();
        assertThat(text).contains("f: void f(long)").contains("type id    _ZTSFvlE").contains("kcfi       0xbde2bfc8")
                .contains("no linkage");
    }

    @Test
    void usageAndUnreadableInputExitWithTwo() {
        assertThat(run("encode", "--target", "x86_64-linux-gnu", dir.resolve("missing.h").toString()).status()).isEqualTo(2);
        Result msvc = run("encode", "--target", "x86_64-pc-windows-msvc", "x.h");
        assertThat(msvc.status()).isEqualTo(2);
        assertThat(msvc.err()).contains("Microsoft");
        assertThat(run("encode", "--target", "sparc-sun-solaris", "x.h").err()).contains("known targets");
        assertThat(run("encode", "--bogus").status()).isEqualTo(2);
        assertThat(run().status()).isEqualTo(2);
    }

    @Test
    void repeatedIncludeFoldersAreSearchedInOrder() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a")), b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("x.h"), "typedef long word;\n");
        Files.writeString(b.resolve("x.h"), "typedef int word;\n");
        Files.writeString(b.resolve("y.h"), "typedef short half;\n");
        Path h = header("#include \"x.h\"\n#include \"y.h\"\nvoid f(word, half);\n");
        assertThat(run("encode", "--target", "x86_64-linux-gnu", "-I", a.toString(), "-I", b.toString(), h.toString()).out())
                .startsWith("f\t_ZTSFvlsE\t");
        assertThat(run("encode", "--target", "x86_64-linux-gnu", "-I", b.toString(), "-I", a.toString(), h.toString()).out())
                .startsWith("f\t_ZTSFvisE\t");
    }

    /** An empty file is an unreadable input under every reader (libLLVM would read an empty .ll as an empty module): exit 2, not a clean pass. */
    @Test
    void anEmptyInputIsAnErrorNotACleanProgram(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path empty = java.nio.file.Files.createFile(dir.resolve("app.bc"));
        Path emptyIr = java.nio.file.Files.createFile(dir.resolve("lib.ll"));
        for (String reader : new String[] {"auto", "java", "llvm"}) {
            Result r = run("verify", "--reader", reader, empty.toString(), emptyIr.toString());
            assertThat(r.status()).as(reader).isEqualTo(2);
            assertThat(r.out()).as(reader).contains("error: " + empty + ": an empty file: no module in it")
                    .endsWith("0 errors, 0 warnings in 0 inputs (0 modules); 2 unreadable\n");
        }
    }

    /** A module named twice, in two spellings or inside a folder also named, is one input: it is linked once. */
    @Test
    void aModuleNamedTwiceIsReadOnce() {
        Path fig4 = Path.of("..").toAbsolutePath().normalize().resolve("fixtures/verify/fig4");
        Result once = run("verify", fig4.toString());
        Result twice = run("verify", fig4.toString(), fig4.resolve("c.bc").toString(), fig4.resolve("./c.bc").toString(),
                fig4.resolve("../fig4/rust.bc").toString());
        assertThat(twice.out()).isEqualTo(once.out()).endsWith("2 errors, 1 warning in 2 inputs (3 modules)\n");
    }

    /**
     * {@code verify -} reads one module from standard input (a build piping clang's output), named
     * {@code <stdin>} in the report, with each reader: textual IR through libLLVM as a file would be,
     * and nothing at all is an error, not a clean program.
     */
    @Test
    void verifyReadsOneModuleFromStandardInput(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path fig4 = Path.of("..").toAbsolutePath().normalize().resolve("fixtures/verify/fig4");
        byte[] c = java.nio.file.Files.readAllBytes(fig4.resolve("c.bc"));
        String fromFiles = run("verify", fig4.resolve("c.bc").toString(), fig4.resolve("rust.bc").toString()).out();
        java.io.InputStream saved = System.in;
        try {
            for (String reader : new String[] {"auto", "java", "llvm"}) {
                System.setIn(new java.io.ByteArrayInputStream(c));
                Result r = run("verify", "--reader", reader, "-", fig4.resolve("rust.bc").toString());
                assertThat(r.status()).as(reader).isEqualTo(1);
                assertThat(r.out()).as(reader).isEqualTo(fromFiles.replace(fig4.resolve("c.bc").toString(), "<stdin>"))
                        .contains("definition: <stdin>  _ZTSFvlE").endsWith("2 errors, 1 warning in 2 inputs (3 modules)\n");
            }
            dev.xcfi.encoding.golden.Compilers.run(List.of("llvm-dis-22", fig4.resolve("c.bc").toString(), "-o", dir.resolve("c.ll").toString()));
            byte[] ir = java.nio.file.Files.readAllBytes(dir.resolve("c.ll"));
            System.setIn(new java.io.ByteArrayInputStream(ir));
            assertThat(run("verify", "-", fig4.resolve("rust.bc").toString()).out()).contains("definition: <stdin>  _ZTSFvlE")
                    .endsWith("2 errors, 1 warning in 2 inputs (3 modules)\n");
            System.setIn(new java.io.ByteArrayInputStream(ir));
            assertThat(run("verify", "--reader", "java", "-").out()).contains("error: <stdin>: textual IR (--reader auto or llvm reads it with libLLVM)");
            System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
            Result empty = run("verify", "-");
            assertThat(empty.status()).isEqualTo(2);
            assertThat(empty.out()).startsWith("error: <stdin>: nothing on standard input");
        } finally {
            System.setIn(saved);
        }
        // a pipe named as a file (bash's <(clang … -o -), a FIFO) has no size and can be read once:
        // it was taken for an empty file, then for textual IR
        Path fifo = dir.resolve("c.bc");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        for (String reader : new String[] {"auto", "llvm"}) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    java.nio.file.Files.write(fifo, c);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Result r = run("verify", "--reader", reader, fifo.toString(), fig4.resolve("rust.bc").toString());
            writer.join();
            assertThat(r.out()).as(reader).isEqualTo(fromFiles.replace(fig4.resolve("c.bc").toString(), fifo.toString()));
        }
    }

    /**
     * A stream is read to its end only when its head is something xcfi reads: /dev/zero and
     * /dev/urandom never end, and were read until the heap ran out — an OutOfMemoryError's stack
     * trace, and exit status 0, which a CI job takes for a pass. A file of size 0 may still have
     * contents (/proc's); what libLLVM says of a stream names the stream, not xcfi's temporary copy.
     */
    @Test
    void endlessDevicesAndSizelessFilesAreReadAsFarAsTheyNeed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        for (String device : new String[] {"/dev/zero", "/dev/urandom"}) {
            long start = System.nanoTime();
            Result r = run("verify", device, "--reader", "auto");
            assertThat(r.status()).as(device).isEqualTo(2);
            assertThat(r.out()).as(device).startsWith("error: " + device + ": neither LLVM bitcode nor textual IR")
                    .endsWith("0 errors, 0 warnings in 0 inputs (0 modules); 1 unreadable\n");
            assertThat(System.nanoTime() - start).as(device + ": the head alone is read").isLessThan(10_000_000_000L);
        }
        Result version = run("verify", "/proc/version");
        assertThat(version.status()).isEqualTo(2);
        assertThat(version.out()).startsWith("error: /proc/version: /proc/version:1:1: error: expected top-level entity").doesNotContain("xcfi-members");
        // a stream whose head is a module's is read whole, however long (here past the first buffer's 64 KB)
        StringBuilder source = new StringBuilder("typedef void (*cb)(long);\n");
        for (int i = 0; i < 1500; i++) source.append("void f").append(i).append("(cb c, long x) { c(x + ").append(i).append("); }\n");
        Path big = dev.xcfi.verify.TestBitcode.clang(dir, "big", source.toString(), "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall");
        byte[] module = java.nio.file.Files.readAllBytes(big);
        assertThat(module.length).isGreaterThan(1 << 16);
        String fromFile = run("verify", "--format", "json", big.toString()).out();
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(module));
            Result r = run("verify", "--format", "json", "-");
            assertThat(r.status()).isZero();
            assertThat(r.out()).isEqualTo(fromFile.replace(big.toString(), "<stdin>")).contains("\"functions\" : 1500");
            System.setIn(new java.io.ByteArrayInputStream(new byte[1 << 20]));
            assertThat(run("verify", "-").out()).startsWith("error: <stdin>: neither LLVM bitcode nor textual IR");
        } finally {
            System.setIn(saved);
        }
    }

    /**
     * A thin archive (the Linux kernel's built-in.a, llvm-ar --thin) stands for its members' files,
     * relative to the archive: it was refused. A folder holding both reads each module once; a
     * member that is gone is an error of its own.
     */
    @Test
    void aThinArchiveIsReadAsItsMembersFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path fig4 = Path.of("..").toAbsolutePath().normalize().resolve("fixtures/verify/fig4");
        java.nio.file.Files.createDirectories(dir.resolve("net"));
        java.nio.file.Files.copy(fig4.resolve("c.bc"), dir.resolve("net/c.bc"));
        java.nio.file.Files.copy(fig4.resolve("rust.bc"), dir.resolve("rust.bc"));
        Process ar = new ProcessBuilder("llvm-ar-22", "rc", "--thin", "built-in.a", "net/c.bc", "rust.bc").directory(dir.toFile()).inheritIO().start();
        assertThat(ar.waitFor()).isZero();
        String fromFiles = run("verify", dir.resolve("net/c.bc").toString(), dir.resolve("rust.bc").toString()).out();
        Result archive = run("verify", dir.resolve("built-in.a").toString());
        assertThat(archive.status()).isEqualTo(1);
        assertThat(archive.out()).isEqualTo(fromFiles).endsWith("2 errors, 1 warning in 2 inputs (3 modules)\n");
        assertThat(run("verify", dir.toString()).out()).endsWith("2 errors, 1 warning in 2 inputs (3 modules)\n");
        java.nio.file.Files.delete(dir.resolve("net/c.bc"));
        Result gone = run("verify", dir.resolve("built-in.a").toString());
        assertThat(gone.status()).isEqualTo(2);
        assertThat(gone.out()).contains("error: " + dir.resolve("built-in.a") + "(net/c.bc): a member of the thin archive, not found at " + dir.resolve("net/c.bc"));
        // which looks into one the same way
        Path kcfi = Path.of("..").toAbsolutePath().normalize().resolve("fixtures/verify/kcfi");
        Process kcfiAr = new ProcessBuilder("llvm-ar-22", "rc", "--thin", dir.resolve("kcfi.a").toString(), kcfi.resolve("c.bc").toString(),
                kcfi.resolve("rust.bc").toString()).inheritIO().start();
        assertThat(kcfiAr.waitFor()).isZero();
        Result which = run("which", "0x0ffabd9f", dir.resolve("kcfi.a").toString());
        assertThat(which.status()).isZero();
        assertThat(which.out()).isEqualTo(run("which", "0x0ffabd9f", kcfi.resolve("c.bc").toString(), kcfi.resolve("rust.bc").toString()).out())
                .contains("\tcarried-by\thello_from_rust\t");
    }

    /**
     * A name in a module is any byte string: an ESC in a hostile module's function name or type id
     * reached the terminal (colours, the window title) through the text report; now it is \x1b.
     */
    @Test
    void controlCharactersInAModuleNeverReachTheTerminal(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path ll = dir.resolve("esc.ll");
        java.nio.file.Files.writeString(ll, """
                target triple = "x86_64-unknown-linux-gnu"
                define void @"evil\\1B[31mRED"(ptr %p) {
                  %ok = call i1 @llvm.type.test(ptr %p, metadata !"_ZTSFvE\\1B]0;pwned\\07")
                  br i1 %ok, label %c, label %t
                c:
                  call void %p()
                  ret void
                t:
                  call void @llvm.trap()
                  unreachable
                }
                declare i1 @llvm.type.test(ptr, metadata)
                declare void @llvm.trap()
                """);
        dev.xcfi.encoding.golden.Compilers.run(List.of("llvm-as-22", ll.toString(), "-o", dir.resolve("esc.bc").toString()));
        Result r = run("verify", dir.resolve("esc.bc").toString());
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007")
                .contains("evil\\x1b[31mRED checks indirect calls against _ZTSFvE\\x1b]0;pwned\\x07, which no function");
    }

    /**
     * A binary file that is no format xcfi reads went to libLLVM as textual IR, which said only
     * "expected top-level entity"; a universal Mach-O is told how to take one architecture out.
     */
    @Test
    void aBinaryFileOfAnotherFormatSaysWhatItIsNot(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path c = java.nio.file.Files.writeString(dir.resolve("x.c"), "void f(long x) { (void)x; }\n");
        for (String arch : new String[] {"x86_64", "arm64"}) {
            dev.xcfi.encoding.golden.Compilers.run(List.of("clang-22", "--target=" + arch + "-apple-macos13", "-O1", "-c", "-fembed-bitcode", "-ffreestanding",
                    c.toString(), "-o", dir.resolve(arch + ".o").toString()));
        }
        dev.xcfi.encoding.golden.Compilers.run(List.of("llvm-lipo-22", "-create", dir.resolve("x86_64.o").toString(), dir.resolve("arm64.o").toString(),
                "-output", dir.resolve("fat.o").toString()));
        Result fat = run("verify", dir.resolve("fat.o").toString());
        assertThat(fat.status()).isEqualTo(2);
        assertThat(fat.out()).startsWith("error: " + dir.resolve("fat.o") + ": a universal (fat) Mach-O file, one object per architecture: verify one of them");
        assertThat(run("verify", dir.resolve("arm64.o").toString()).out()).endsWith("0 errors, 0 warnings in 1 input (1 module)\n");
        byte[] binary = new byte[512];
        new java.util.Random(3).nextBytes(binary);
        binary[10] = 0;
        Path other = java.nio.file.Files.write(dir.resolve("other.bc"), binary);
        assertThat(run("verify", other.toString()).out())
                .startsWith("error: " + other + ": neither LLVM bitcode nor textual IR, nor an object or archive xcfi reads (ELF, Mach-O, COFF, WebAssembly, ar)");
    }

    /** "-" is standard input, whose declarations are listed like a file's (they were once taken for a standard header's, "<stdin>"). */
    @Test
    void encodeAndWhichReadStandardInputForADash() {
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("void f(long);\nvoid g(int x, );\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Result r = run("encode", "--target", "x86_64-linux-gnu", "-");
            assertThat(r.out()).isEqualTo("f\t_ZTSFvlE\t0xbde2bfc8\t0x8e148512407754da\n");
            assertThat(r.err()).startsWith("<stdin>:2:");
            assertThat(r.status()).isEqualTo(1);
            System.setIn(new java.io.ByteArrayInputStream("void f(long);\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(run("which", "--target", "x86_64-linux-gnu", "0xbde2bfc8", "-").out()).startsWith("0xbde2bfc8\tfunction\tf\t_ZTSFvlE\t<stdin>:1\t");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void everyCommandHasHelpAndVersion() {
        for (String command : new String[] {"encode", "decode", "hash", "verify"}) {
            Result help = run(command, "--help");
            assertThat(help.status()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: xcfi " + command + " [-hV]")
                    .contains("-h, --help").contains("-V, --version");
            assertThat(run(command, "-V").out()).as(command).startsWith("xcfi 0.1.0");
        }
        assertThat(run("encode", "--help").out()).contains("--target=TRIPLE").contains("x86_64-windows-gnu").contains("--crate=NAME=DISAMBIGUATOR");
        assertThat(run("verify", "--help").out()).contains("--reader=READER").contains("--format=FORMAT");
        Result badEnum = run("verify", "--reader", "rust", "x.bc");
        assertThat(badEnum.status()).isEqualTo(2);
        assertThat(badEnum.err()).contains("Invalid value for option '--reader': expected auto, java or llvm, not '");
    }

    @Test
    void decodeAndHash() {
        Result d = run("decode", "--target", "x86_64-linux-gnu", "_ZTSFvPFvlElE", "_ZTSFvS_E");
        assertThat(d.out()).isEqualTo("_ZTSFvPFvlElE\tvoid (void (*)(long), long)\textern \"C\" fn(extern \"C\" fn(c_long), c_long)\n");
        assertThat(run("decode", "--target", "x86_64-linux-gnu", "_ZTSFvu3i64E", "_ZTSFvu3refIu3strEE.generalized").out()).isEqualTo(
                "_ZTSFvu3i64E\tvoid (i64)\textern \"C\" fn(i64)\n_ZTSFvu3refIu3strEE.generalized\t-\textern \"C\" fn(&str)\t(generalized)\n");
        assertThat(d.err()).contains("refers to nothing yet");
        assertThat(d.status()).isEqualTo(1);
        assertThat(run("hash", "_ZTSFvlE").out()).isEqualTo("_ZTSFvlE\t0xbde2bfc8\t0x24efb23e\t0x8e148512407754da\n");
        // a C++ id, which neither C nor Rust reads, reads as C++
        Result cxx = run("decode", "_ZTSFvRN2ns6WidgetElE", "_ZTSFvMN2ns6WidgetEKFivEE.generalized");
        assertThat(cxx.out()).isEqualTo("_ZTSFvRN2ns6WidgetElE\tC++: void (ns::Widget&, long)\t-\n"
                + "_ZTSFvMN2ns6WidgetEKFivEE.generalized\tC++: void (int (ns::Widget::*)() const)\t-\t(generalized)\n");
        assertThat(cxx.status()).isZero();
    }

    /** A command given nothing to work on says what it needs, as a usage error (it once fell over a null list). */
    @Test
    void everyCommandWithoutOperandsIsAUsageError() {
        for (String command : new String[] {"encode", "decode", "hash", "which", "verify"}) {
            Result r = run(command);
            assertThat(r.status()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).startsWith("xcfi: Missing required parameter: '").contains("Usage: xcfi " + command).doesNotContain("Exception");
        }
    }

    /** Sources given to verify in place of their bitcode: what to build instead, and the other inputs still read. */
    @Test
    void verifyGivenSourceFilesSaysToVerifyWhatTheCompilerMakesOfThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("app.rs"), "fn main() {}\n");
        java.nio.file.Files.writeString(dir.resolve("lib.c"), "int f(void) { return 0; }\n");
        java.nio.file.Files.writeString(dir.resolve("ui.cc"), "int g() { return 0; }\n");
        Path fig4 = Path.of("..").toAbsolutePath().normalize().resolve("fixtures/verify/fig4/c.bc");
        Result r = run("verify", dir.resolve("app.rs").toString(), dir.resolve("lib.c").toString(), dir.resolve("ui.cc").toString(), fig4.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).contains("app.rs: a Rust source file, not LLVM bitcode: verify what rustc makes of it",
                "lib.c: a C source file, not LLVM bitcode: verify what clang makes of it (clang-22 -c -flto -fsanitize=cfi-icall",
                "ui.cc: a C++ source file, not LLVM bitcode");
        assertThat(r.out()).contains("in 1 input (1 module); 3 unreadable");
    }

    /** A folder that gives no module (a build without -flto, a wrong path), with nothing else read, must not pass as a clean program. */
    @Test
    void verifyOfAFolderWithoutBitcodeIsAnInputError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path empty = java.nio.file.Files.createDirectory(dir.resolve("empty"));
        Path notes = java.nio.file.Files.createDirectory(dir.resolve("notes"));
        java.nio.file.Files.writeString(notes.resolve("README.txt"), "not a module\n");
        for (Path folder : List.of(empty, notes)) {
            Result r = run("verify", folder.toString());
            assertThat(r.status()).as(folder.toString()).isEqualTo(2);
            assertThat(r.out()).as(folder.toString()).contains(folder + ": a folder with no LLVM bitcode in it", "0 inputs (0 modules); 1 unreadable");
        }
        Path fig4 = Path.of("..").toAbsolutePath().normalize().resolve("fixtures/verify/fig4");
        assertThat(run("verify", fig4.toString()).out()).doesNotContain("no LLVM bitcode").contains("in 2 inputs (3 modules)");
    }

    /** encode takes .rs files as Rust without --lang; C and Rust in one run is a usage error. */
    @Test
    void encodeReadsRustSourcesAsRustByTheirName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path rs = dir.resolve("ffi.rs");
        java.nio.file.Files.writeString(rs, "extern \"C\" { pub fn hello_from_c(arg: i64); }\n");
        Result r = run("encode", "--crate", "ffi=abc_", "--target", "x86_64-linux-gnu", rs.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("hello_from_c\t_ZTSFvu3i64E\t0x0ffabd9f");
        Path h = dir.resolve("ffi.h");
        java.nio.file.Files.writeString(h, "void hello_from_c(long arg);\n");
        Result mixed = run("encode", rs.toString(), h.toString());
        assertThat(mixed.status()).isEqualTo(2);
        assertThat(mixed.err()).contains("give Rust sources and C headers in separate runs (or say which with --lang)");
        assertThat(run("encode", "--lang", "c", "--target", "x86_64-linux-gnu", h.toString()).out()).contains("hello_from_c\t_ZTSFvlE");
    }

    /**
     * The user crate's disambiguator, learned from the installed rustc, is the one rustc writes in
     * type ids (its v0 symbols write one less): a type of the crate's own encodes as rustc's.
     */
    @Test
    void theCrateLearnedFromRustcIsTheOneItsIdsName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireRustc();
        Path rs = dir.resolve("own.rs");
        java.nio.file.Files.writeString(rs, "pub struct Opaque(u8);\n#[repr(u8)] pub enum Mode { A, B }\n"
                + "#[no_mangle] pub extern \"C\" fn own_take(o: &Opaque, m: Mode) {}\n");
        Result r = run("encode", "--target", "x86_64-linux-gnu", rs.toString());
        assertThat(r.status()).as(r.err()).isZero();
        Path ll = dir.resolve("own.ll");
        ProcessBuilder pb = new ProcessBuilder("rustc", "--edition", "2021", "--crate-type", "lib", "-Zsanitizer=cfi", "-Clinker-plugin-lto",
                "-Cunsafe-allow-abi-mismatch=sanitizer", "--emit=llvm-ir", "-o", ll.toString(), rs.toString()).redirectErrorStream(true);
        pb.environment().put("RUSTC_BOOTSTRAP", "1");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("@own_take\\(.*?!type !(\\d+)").matcher(java.nio.file.Files.readString(ll));
        assertThat(m.find()).isTrue();
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("(?m)^!" + m.group(1) + " = !\\{i64 0, !\"([^\"]+)\"\\}").matcher(java.nio.file.Files.readString(ll));
        assertThat(id.find()).isTrue();
        assertThat(r.out().lines().map(l -> l.split("\t")[1])).containsExactly(id.group(1));
    }

    /** A salted declaration's hash is found, and the row says the salt is in it (the id alone hashes otherwise). */
    @Test
    void whichSaysWhenASaltIsInTheHash(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path h = dir.resolve("salted.h");
        java.nio.file.Files.writeString(h, "void __attribute__((cfi_salt(\"v1\"))) handle(long v);\nvoid plain(long v);\n");
        String salted = dev.xcfi.encoding.KcfiHash.format(dev.xcfi.encoding.KcfiHash.XXHASH64.hash("_ZTSFvlE.v1"));
        Result r = run("which", "--target", "x86_64-linux-gnu", salted, h.toString());
        assertThat(r.out()).isEqualTo(salted + "\tfunction\thandle\t_ZTSFvlE\t" + h + ":1\tvoid (long) (salt \"v1\", hashed as part of the id)\n");
    }

    /** One id, two readings: which compiler wrote it decides what its back-references name. */
    @Test
    void decodeReadsByTheWritersNumbering() {
        String id = "_ZTSFvPFviEPcS0_E";
        assertThat(run("decode", "--target", "x86_64-linux-gnu", id).out()).isEqualTo(id + "\tvoid (void (*)(int), char *, void (*)(int))"
                + "\textern \"C\" fn(extern \"C\" fn(c_int), *mut c_char, *mut c_char)\n");
        assertThat(run("decode", "--target", "x86_64-linux-gnu", "--writer", "rustc", id).out()).isEqualTo(id + "\tvoid (void (*)(int), char *, char *)"
                + "\textern \"C\" fn(extern \"C\" fn(c_int), *mut c_char, *mut c_char)\n");
        assertThat(run("decode", "--target", "x86_64-linux-gnu", "--writer", "clang", id).out()).isEqualTo(id + "\tvoid (void (*)(int), char *, void (*)(int))"
                + "\textern \"C\" fn(extern \"C\" fn(c_int), *mut c_char, extern \"C\" fn(c_int))\n");
        // without --writer, an id the two numberings read differently says so (on stderr: the rows stay machine-readable)
        assertThat(run("decode", "--target", "x86_64-linux-gnu", id).err()).contains(id + " reads as another type if rustc wrote it");
        assertThat(run("decode", "--target", "x86_64-linux-gnu", "_ZTSFvPFvlElE").err()).isEmpty();
        assertThat(run("decode", "--target", "x86_64-linux-gnu", "--writer", "clang", id).err()).isEmpty();
        Result bad = run("decode", "--writer", "gcc", id);
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("Invalid value for option '--writer': expected clang or rustc, not 'gcc'");
    }

    /** The launcher's AOT training runs each fixture on its own, all in one JVM, and every run is one a user could make. */
    @Test
    void aotTrainingRunsEachFixtureAlone() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        java.util.List<java.util.List<String>> runs = AotTraining.runs("verify", root);
        assertThat(runs).contains(java.util.List.of("verify", "--reader", "java", root.resolve("fixtures/verify/kcfi").toString()))
                .noneMatch(run -> run.contains("--format"));
        java.util.List<java.util.List<String>> json = AotTraining.runs("verify-json", root);
        assertThat(json).containsAll(runs).anyMatch(run -> run.contains("json")).anyMatch(run -> run.contains("sarif"));
        for (java.util.List<String> run : json) {
            for (String arg : run) if (arg.startsWith(root.toString())) assertThat(Path.of(arg)).as(arg).exists();
            assertThat(run(run.toArray(String[]::new)).err()).as(run.toString()).isEmpty();
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertThat(AotTraining.run(new String[] {"verify", root.toString()}, new PrintWriter(out), new PrintWriter(err))).isZero();
        assertThat(out.toString()).contains("error[declaration-mismatch]: hello_from_c is declared", "warning[table-entry-mismatch]");
        assertThat(AotTraining.runs("encode-json", root)).containsAll(AotTraining.runs("encode", root)).anyMatch(run -> run.contains("json"));
        for (java.util.List<String> run : AotTraining.runs("encode-json", root)) {
            assertThat(Path.of(run.getLast())).exists();
            assertThat(run(run.toArray(String[]::new)).status()).as(run.toString()).isZero();
        }
        assertThat(AotTraining.run(new String[] {"verify"}, new PrintWriter(out), new PrintWriter(err))).isEqualTo(Main.USAGE);
    }
}
