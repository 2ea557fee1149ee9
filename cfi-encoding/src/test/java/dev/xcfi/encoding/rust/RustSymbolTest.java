package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.golden.Compilers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RustSymbolTest {
    @Test
    void plainPathsClosuresAndBackReferences() {
        assertThat(RustSymbol.demangle("_RNvCs7ngQQSalhaX_3ops8rust_log")).hasValue("ops::rust_log");
        // LTO's suffix is not part of the name; a crate disambiguator wider than a long is skipped
        assertThat(RustSymbol.demangle("_RNvCschSEDY7I7Y_9ops_table8rust_log.65f9d3a656a4b98f89237d5cd9c117ee")).hasValue("ops_table::rust_log");
        assertThat(RustSymbol.demangle("_RNvCsfLfy6EI15iL_7___rustc12___rust_alloc")).hasValue("__rustc::__rust_alloc");
        assertThat(RustSymbol.demangle("_RNCNvCs1234_1a1f0B3_")).hasValue("a::f::{closure#0}");
        assertThat(RustSymbol.demangle("_RNCNvCs1234_1a1fs_0B3_")).hasValue("a::f::{closure#1}");
        assertThat(RustSymbol.demangle("_RC3foo")).hasValue("foo");
        // impls, generic arguments, and back-references to types
        assertThat(RustSymbol.demangle("_RINvC3foo3barlE")).hasValue("foo::bar::<i32>");
        assertThat(RustSymbol.demangle("_RINvC3foo3barTlhEReB0_E")).hasValue("foo::bar::<(i32, u8), &str, foo::bar>");
        assertThat(RustSymbol.demangle("_RNvMC3fooNtB2_3Bar3baz")).hasValue("<foo::Bar>::baz");
        assertThat(RustSymbol.demangle("_RNvXC3fooNtB2_3BarNtB2_5Trait4call")).hasValue("<foo::Bar as foo::Trait>::call");
        assertThat(RustSymbol.demangle("_RINvC3foo3barINtB2_3VecTlEEOuPSyE")).hasValue("foo::bar::<foo::Vec<(i32,)>, *mut (), *const [u64]>");
    }

    @Test
    void whatIsNotAPlainPathIsLeftAlone() {
        for (String s : List.of("_ZN3foo3barE", "_R", "_RNvC", "_RC9foo", "_RNvCs_3foo", "_RB_", "_RB5_", "_RNvC3fooB9999999_",
                "_RCu3foo", "_RC99999999999foo", "_RINvC3foo3barL_E", "_RINvC3foo3barKj3_E", "_RINvC3foo3barRL_lE", "_RINvC3foo3barAlj3_E",
                "_RINvC3foo3barFEuE", "_RINvC3foo3barDEL_E", "_RINvC3foo3barl")) {
            assertThat(RustSymbol.demangle(s)).as(s).isEmpty();
        }
    }

    /** Every symbol rustc gives a small crate, against LLVM's own Rust demangler: each one read is read alike. */
    @Test
    void agreesWithLlvmCxxfilt(@TempDir Path dir) throws Exception {
        Compilers.requireRustc();
        Path rs = Files.writeString(dir.resolve("syms.rs"), """
                pub mod outer {
                    pub mod inner { #[inline(never)] pub fn deep(x: i64) -> i64 { x + 1 } }
                    #[inline(never)] pub fn with_closure(v: &[i64]) -> i64 { v.iter().map(|x| x * 2).sum() }
                    #[inline(never)] pub fn two_closures(v: &[i64]) -> i64 { let f = |x: &i64| x + 1; let g = |x: &i64| x - 1; v.iter().map(f).sum::<i64>() + v.iter().map(g).sum::<i64>() }
                }
                #[inline(never)] pub fn _1digit() {}
                pub struct S(i64);
                impl S { #[inline(never)] pub fn get(&self) -> i64 { self.0 } }
                pub fn generic<T: Copy>(t: T) -> T { t }
                pub trait Shape { fn area(&self) -> i64; }
                impl Shape for S { #[inline(never)] fn area(&self) -> i64 { self.0 } }
                #[inline(never)] pub fn dynamic(s: &dyn Shape) -> i64 { s.area() }
                pub fn use_generic() -> i64 { generic(3i64) + generic((1u8, 2u16)).0 as i64 + S(1).get() + dynamic(&S(2)) }
                """);
        Path obj = dir.resolve("syms.o");
        Compilers.run(List.of("rustc", "--edition", "2021", "--crate-type", "lib", "--emit=obj", "-Copt-level=0", "-Csymbol-mangling-version=v0",
                "-o", obj.toString(), rs.toString()), Map.of("RUSTC_BOOTSTRAP", "1"));
        List<String> symbols = new ArrayList<>();
        for (String line : output(List.of("llvm-nm-22", obj.toString()))) {
            String name = line.substring(line.lastIndexOf(' ') + 1);
            if (name.startsWith("_R")) symbols.add(name);
        }
        Path list = Files.write(dir.resolve("symbols.txt"), symbols);
        List<String> llvm = output(List.of("sh", "-c", "llvm-cxxfilt-22 < " + list));
        assertThat(llvm).hasSameSizeAs(symbols);
        List<String> read = new ArrayList<>();
        for (int i = 0; i < symbols.size(); i++) {
            String symbol = symbols.get(i), theirs = llvm.get(i).replaceFirst(" \\(\\.[^)]*\\)$", "");
            Optional<String> ours = RustSymbol.demangle(symbol);
            ours.ifPresent(path -> assertThat(path).as(symbol).isEqualTo(theirs));
            ours.ifPresent(read::add);
        }
        assertThat(read).contains("syms::outer::inner::deep", "syms::outer::with_closure", "syms::outer::with_closure::{closure#0}",
                "syms::outer::two_closures::{closure#1}", "syms::_1digit", "<syms::S>::get", "<syms::S as syms::Shape>::area",
                "syms::generic::<i64>", "syms::generic::<(u8, u16)>");
    }

    /** The standard library's own symbols (core and std, a few thousand): every one read is read as LLVM's demangler reads it, and most are read. */
    @Test
    void agreesWithLlvmCxxfiltOnTheStandardLibrary(@TempDir Path dir) throws Exception {
        Compilers.requireRustc();
        Path lib = Path.of(output(List.of("rustc", "--print", "sysroot")).getFirst()).resolve("lib/rustlib/x86_64-unknown-linux-gnu/lib");
        List<String> symbols = new ArrayList<>();
        try (var rlibs = Files.list(lib)) {
            for (Path rlib : rlibs.filter(p -> p.getFileName().toString().matches("lib(core|std)-.*\\.rlib")).toList()) {
                for (String line : output(List.of("sh", "-c", "llvm-nm-22 " + rlib + " 2>/dev/null"))) {
                    String name = line.substring(line.lastIndexOf(' ') + 1);
                    if (name.startsWith("_R")) symbols.add(name);
                }
            }
        }
        assertThat(symbols).hasSizeGreaterThan(1000);
        List<String> llvm = output(List.of("sh", "-c", "llvm-cxxfilt-22 < " + Files.write(dir.resolve("std.txt"), symbols)));
        int read = 0;
        for (int i = 0; i < symbols.size(); i++) {
            String symbol = symbols.get(i), theirs = llvm.get(i).replaceFirst(" \\(\\.[^)]*\\)$", "");
            Optional<String> ours = RustSymbol.demangle(symbol);
            if (ours.isPresent()) read++;
            ours.ifPresent(path -> assertThat(path).as(symbol).isEqualTo(theirs));
        }
        assertThat(read).as("read of " + symbols.size()).isGreaterThan(symbols.size() * 9 / 10);
    }

    private static List<String> output(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out.lines().toList();
    }
}
