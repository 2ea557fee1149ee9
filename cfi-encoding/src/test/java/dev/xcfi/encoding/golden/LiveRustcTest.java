package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.types.rust.RustStd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against the rustc installed on this machine: a fresh random crate each run (seed printed;
 * {@code -Dxcfi.liveSeed=N} repeats one), in all four modes, with the disambiguators rustc used.
 */
class LiveRustcTest {
    static final long SEED = Long.getLong("xcfi.liveSeed", System.nanoTime());

    @TempDir
    static Path work;

    @BeforeAll
    static void rustc() {
        Compilers.requireRustc();
    }

    @Test
    void freshRandomCrateMatchesInstalledRustc() throws Exception {
        RustSignatureGenerator.Crate crate = new RustSignatureGenerator(SEED).crate(250);
        Path rs = work.resolve("live.rs");
        Files.writeString(rs, crate.source());
        RustcOracle.Result rustc;
        try {
            rustc = new RustcOracle(work).rows(rs, crate.rows());
        } catch (java.io.IOException e) {
            throw new AssertionError("seed " + SEED + " (repeat with -Dxcfi.liveSeed=" + SEED + "): " + e.getMessage(), e);
        }
        Map<String, String> crates = new HashMap<>(RustStd.RUSTC_1_95_CRATES);
        crates.putAll(rustc.crates());
        for (CfiMode mode : CfiMode.all()) {
            List<String> expected = rustc.rows().get(mode);
            List<String> actual = RustGoldenTest.actualRows(rs, mode, crates);
            assertThat(GoldenCorpusTest.differences(expected, actual))
                    .as("seed %d, %s (repeat with -Dxcfi.liveSeed=%d)", SEED, mode.label(), SEED).isEmpty();
            assertThat(actual).hasSameSizeAs(expected);
        }
    }

    /** {@code source}'s functions {@code names}, as xcfi encodes them, against rustc's ids and KCFI hashes in all four modes. */
    private static void matchesInstalledRustc(String file, String source, List<String> names) throws Exception {
        Path rs = work.resolve(file);
        Files.writeString(rs, source);
        RustcOracle.Result rustc = new RustcOracle(work).rows(rs, names);
        Map<String, String> crates = new HashMap<>(RustStd.RUSTC_1_95_CRATES);
        crates.putAll(rustc.crates());
        for (CfiMode mode : CfiMode.all()) {
            assertThat(RustGoldenTest.actualRows(rs, mode, crates)).as(mode.label()).containsExactlyElementsOf(rustc.rows().get(mode));
        }
    }

    /**
     * {@code Box<T>} in extern "C" signatures (FFI-safe for a sized T; cbindgen's idiom for handing
     * ownership across): rustc encodes it by its path with the default allocator written out
     * ({@code Box<T, Global>}), not as the pointer C has. In all four modes, ids and KCFI hashes as
     * rustc gives them.
     */
    @Test
    void boxesMatchInstalledRustc() throws Exception {
        String source = """
                #![feature(allocator_api)]
                extern crate alloc;
                #[repr(C)] pub struct Thing { x: i32 }
                pub struct Opaque { y: u8 }
                #[no_mangle] pub extern "C" fn b1(t: Box<Thing>) {}
                #[no_mangle] pub extern "C" fn b2(t: Option<Box<Thing>>) -> Box<i32> { Box::new(1) }
                #[no_mangle] pub extern "C" fn b3(t: alloc::boxed::Box<Opaque, alloc::alloc::Global>, u: *mut Box<u8>) {}
                #[no_mangle] pub extern "C" fn b4(cb: extern "C" fn(Box<Thing>) -> Option<Box<Opaque>>) {}
                """;
        matchesInstalledRustc("boxes.rs", source, List.of("b1", "b2", "b3", "b4"));
    }

    /**
     * Functions of inherent impl blocks (cbindgen-style {@code impl Foo { #[no_mangle] pub extern
     * "C" fn foo_get(&self) }}, Rust-ABI methods too): rustc encodes them as free functions whose
     * {@code self} is the block's type, by reference or by value, {@code Self} anywhere.
     */
    @Test
    void inherentImplFunctionsMatchInstalledRustc() throws Exception {
        String source = """
                #[repr(C)] pub struct Foo { x: i32 }
                pub struct Bar { y: u8 }
                impl Foo {
                    #[no_mangle] pub extern "C" fn foo_get(&self) -> i32 { self.x }
                    #[no_mangle] pub extern "C" fn foo_set(&mut self, v: i32) { self.x = v }
                    #[no_mangle] pub extern "C" fn foo_new() -> *mut Foo { core::ptr::null_mut() }
                    #[no_mangle] pub extern "C" fn foo_take(self: &Self, other: *const Self) -> Self { Foo { x: other as usize as i32 } }
                    #[no_mangle] pub extern "C" fn foo_cb(_cb: extern "C" fn(&Foo) -> i32) {}
                    #[no_mangle] pub fn foo_rust(&mut self, v: i32) -> Self { Foo { x: v } }
                }
                impl<'a> Bar {
                    #[no_mangle] pub extern "C" fn bar_get(&'a self) -> u8 { self.y }
                    #[no_mangle] pub fn bar_rust(&self, n: u32) -> u32 { n }
                    #[export_name = "bar_named"] pub extern "C" fn named(mut self: Box<Self>) -> u8 { self.y = 1; self.y }
                }
                """;
        matchesInstalledRustc("impls.rs", source, List.of("foo_get", "foo_set", "foo_new", "foo_take", "foo_cb", "foo_rust", "bar_get", "bar_rust", "bar_named"));
    }

    /**
     * Cells and atomics: {@code Cell<T>} and {@code UnsafeCell<T>} are transparent (rustc encodes
     * the T); core::sync::atomic's types are {@code repr(C)}, so rustc encodes each by its bare name
     * ({@code 9AtomicU32}; {@code AtomicPtr<T>} without its argument), never as C's {@code _Atomic}.
     */
    @Test
    void cellsAndAtomicsMatchInstalledRustc() throws Exception {
        String source = """
                use core::cell::{Cell, UnsafeCell};
                use core::sync::atomic::*;
                #[no_mangle] pub extern "C" fn c1(x: &Cell<u32>, y: *const UnsafeCell<i32>, z: &Cell<*mut u8>) {}
                #[no_mangle] pub extern "C" fn c2(a: &AtomicU32, b: *const AtomicBool, c: &AtomicI64, d: *mut AtomicUsize) {}
                #[no_mangle] pub extern "C" fn c3(p: &AtomicPtr<u8>, q: &core::sync::atomic::AtomicPtr<i32>, r: &AtomicU8, s: &AtomicIsize) {}
                #[no_mangle] pub extern "C" fn c4(cb: extern "C" fn(&AtomicU32) -> u32) {}
                """;
        matchesInstalledRustc("cells.rs", source, List.of("c1", "c2", "c3", "c4"));
    }

    /**
     * NonZero integers (FFI-safe, Option<NonZero…> too): rustc 1.95 encodes the pattern type a
     * NonZero wraps, pattern text and all ({@code u3patIu3i64(i64::MIN..=-1 | 1..)E}), and
     * normalization renames the integer inside it (isize's pattern is i64's). Every alias and
     * spelling, in all four modes, ids and KCFI hashes as rustc gives them.
     */
    @Test
    void nonZeroIntegersMatchInstalledRustc() throws Exception {
        String source = """
                use core::num::*;
                #[no_mangle] pub extern "C" fn n1(a: NonZeroU8, b: NonZeroU16, c: NonZeroU32, d: NonZeroU64, e: NonZeroU128, f: NonZeroUsize) {}
                #[no_mangle] pub extern "C" fn n2(a: NonZeroI8, b: NonZeroI16, c: NonZeroI32, d: NonZeroI64, e: NonZeroI128, f: NonZeroIsize) {}
                #[no_mangle] pub extern "C" fn n3(a: NonZero<u32>, b: Option<NonZero<i64>>, c: *const NonZeroU32) {}
                #[no_mangle] pub extern "C" fn n4(a: core::num::NonZero<core::ffi::c_long>, b: std::num::NonZeroI32) -> Option<NonZeroUsize> { None }
                #[no_mangle] pub extern "C" fn n5(cb: Option<unsafe extern "C" fn(NonZeroU32, *mut NonZeroI16) -> NonZeroU64>) {}
                """;
        matchesInstalledRustc("nonzero.rs", source, List.of("n1", "n2", "n3", "n4", "n5"));
    }

    /**
     * C-variadic definitions (c_variadic, unstable: a Rust printf that C calls): the tail
     * {@code args: ...} is C's {@code ...}, as in a foreign declaration.
     */
    @Test
    void cVariadicDefinitionsMatchInstalledRustc() throws Exception {
        String source = """
                #![feature(c_variadic)]
                #[no_mangle] pub unsafe extern "C" fn v1(n: i32, mut args: ...) -> i32 { let _ = &mut args; n }
                #[no_mangle] pub unsafe extern "C" fn v2(fmt: *const core::ffi::c_char, _rest: ...) {}
                #[no_mangle] pub unsafe extern "C" fn v3(cb: unsafe extern "C" fn(i64, ...) -> i64, args: ...) {}
                """;
        matchesInstalledRustc("variadic.rs", source, List.of("v1", "v2", "v3"));
    }
}
