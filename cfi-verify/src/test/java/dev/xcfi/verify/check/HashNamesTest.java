package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.Target;
import dev.xcfi.verify.TestBitcode;
import dev.xcfi.verify.bitcode.BitcodeReader;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Naming KCFI hashes by their IR signature, against the compilers: each function is built twice,
 * with KCFI (its hash and IR type) and with cfi-icall (the id the compiler itself gives it), and the
 * id found for the hash must be the compiler's id.
 */
class HashNamesTest {
    private static final String C = """
            void f_long(long a) {}
            int f_mix(unsigned char a, short b, unsigned int c, long long d) { return 0; }
            double f_fp(float a, double b) { return 0; }
            void f_ptr(void *p, const char *s) {}
            void f_cb(void (*cb)(long), long x) { cb(x); }
            unsigned long f_ret(void) { return 0; }
            _Bool f_bool(_Bool b) { return b; }
            int f_var(const char *fmt, ...) { return 0; }
            struct S;
            void f_struct(struct S *p) {}
            """;

    private static final String RUST = """
            #[no_mangle] pub extern "C" fn r_i64(_a: i64) {}
            #[no_mangle] pub extern "C" fn r_mix(_a: u8, _b: i16, _c: u32, _d: usize) -> i32 { 0 }
            #[no_mangle] pub extern "C" fn r_fp(_a: f32, _b: f64) -> f64 { 0.0 }
            #[no_mangle] pub extern "C" fn r_ptr(_p: *mut core::ffi::c_void, _s: *const u8) {}
            #[no_mangle] pub extern "C" fn r_cb(cb: extern "C" fn(i64), x: i64) { cb(x) }
            #[no_mangle] pub extern "C" fn r_bool(b: bool) -> bool { b }
            """;

    @TempDir
    Path dir;

    /** Each function's hash and signature from the KCFI build, its plain-mode id from the cfi-icall build. */
    private static Map<String, Optional<String>> named(ModuleFacts kcfi, ModuleFacts icall, Target target, CfiMode mode) {
        Map<String, String> ids = new HashMap<>();
        for (FunctionFacts f : icall.functions()) {
            for (TypeAttachment t : f.typeIds()) {
                if (t.id() instanceof TypeIdRef.Named n && CfiMode.ofSuffixes(n.id()).equals(mode)) ids.put(f.name(), n.id());
            }
        }
        HashNames names = new HashNames(target, mode, KcfiHash.XXHASH64);
        Map<String, Optional<String>> out = new HashMap<>();
        for (FunctionFacts f : kcfi.functions()) {
            if (f.kcfiType().isEmpty() || !ids.containsKey(f.name())) continue;
            Optional<String> found = names.idOf(f.kcfiType().getAsInt(), f.signature(), dev.xcfi.verify.check.Site.isRust(kcfi));
            out.put(f.name(), found);
            // a name, when there is one, is the compiler's own id: never another id that hashes alike
            found.ifPresent(id -> assertThat(id).as(f.name() + " " + f.signature()).isEqualTo(ids.get(f.name())));
        }
        return out;
    }

    private ModuleFacts read(Path bc) throws Exception {
        return BitcodeReader.readFile(bc.toString(), Files.readAllBytes(bc)).getFirst();
    }

    @Test
    void clangsHashesAreNamedWithClangsIdsOnThreeTargetsInBothIntegerModes() throws Exception {
        for (Target target : List.of(Target.X86_64_LINUX_GNU, Target.AARCH64_LINUX_GNU, Target.of("riscv64-linux-gnu"))) {
            for (boolean normalized : List.of(false, true)) {
                String t = "--target=" + target.triple(), n = "-fsanitize-cfi-icall-experimental-normalize-integers";
                String name = target.triple() + (normalized ? "-n" : "");
                ModuleFacts kcfi = read(normalized ? TestBitcode.clang(dir, name + "-kcfi", C, t, "-emit-llvm", "-fsanitize=kcfi", n)
                        : TestBitcode.clang(dir, name + "-kcfi", C, t, "-emit-llvm", "-fsanitize=kcfi"));
                ModuleFacts icall = read(normalized ? TestBitcode.clang(dir, name + "-icall", C, t, "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall", n)
                        : TestBitcode.clang(dir, name + "-icall", C, t, "-flto", "-fvisibility=hidden", "-fsanitize=cfi-icall"));
                Map<String, Optional<String>> named = named(kcfi, icall, target, CfiMode.of(normalized, false));
                assertThat(named.keySet()).as(name).contains("f_long", "f_mix", "f_fp", "f_ptr", "f_cb", "f_ret", "f_bool", "f_var", "f_struct");
                named.forEach((fn, id) -> {
                    // a pointer to a struct is not guessed; everything else here is
                    if (fn.equals("f_struct")) assertThat(id).as(name + " " + fn).isEmpty();
                    else assertThat(id).as(name + " " + fn).isPresent();
                });
            }
        }
    }

    @Test
    void rustcsHashesAreNamedWithRustcsIds() throws Exception {
        ModuleFacts kcfi = read(TestBitcode.rustc(dir, "r-kcfi", RUST, "-Zsanitizer=kcfi", "-Cpanic=abort"));
        ModuleFacts icall = read(TestBitcode.rustc(dir, "r-icall", RUST, "-Zsanitizer=cfi", "-Clinker-plugin-lto"));
        Map<String, Optional<String>> named = named(kcfi, icall, Target.X86_64_LINUX_GNU, CfiMode.PLAIN);
        assertThat(named.keySet()).contains("r_i64", "r_mix", "r_fp", "r_ptr", "r_cb", "r_bool");
        named.forEach((fn, id) -> assertThat(id).as(fn).isPresent());
    }

    @Test
    void anUnknownTypeIsNotGuessedAndOfTooManyCombinationsOnlyTheLikeliestAre() {
        HashNames names = new HashNames(Target.X86_64_LINUX_GNU, CfiMode.PLAIN, KcfiHash.XXHASH64);
        int hashOfLong = KcfiHash.XXHASH64.hash("_ZTSFvlE");
        assertThat(names.idOf(hashOfLong, "void(i64)", false)).hasValue("_ZTSFvlE");
        assertThat(names.idOf(hashOfLong, "void(?)", false)).isEmpty();
        assertThat(names.idOf(hashOfLong, "not a signature", false)).isEmpty();
        // eight pointers: 4^8 C combinations, over the limit: the likeliest are tried (every void *), not the unlikeliest
        assertThat(names.idOf(KcfiHash.XXHASH64.hash("_ZTSFvPvS_S_S_S_S_S_S_E"), "void(ptr,ptr,ptr,ptr,ptr,ptr,ptr,ptr)", false))
                .hasValue("_ZTSFvPvS_S_S_S_S_S_S_E");
        assertThat(names.idOf(KcfiHash.XXHASH64.hash("_ZTSFvPKcS0_S0_S0_S0_S0_S0_S0_E"), "void(ptr,ptr,ptr,ptr,ptr,ptr,ptr,ptr)", false)).isEmpty();
        // each language's spellings where its compiler wrote the hash: rustc's i64 is not a C spelling,
        // and a Rust module's hash may still be C's (a #[cfi_encoding = "l"] newtype)
        int hashOfI64 = KcfiHash.XXHASH64.hash("_ZTSFvu3i64E");
        assertThat(names.idOf(hashOfI64, "void(i64)", false)).isEmpty();
        assertThat(names.idOf(hashOfI64, "void(i64)", true)).hasValue("_ZTSFvu3i64E");
        assertThat(names.idOf(hashOfLong, "void(i64)", true)).hasValue("_ZTSFvlE");
    }
}
