package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.RustcEncoder;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.Alias;
import dev.xcfi.types.rust.RustStd;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RustParserTest {
    static ParsedRust parse(String src) {
        return RustParser.parse(Target.X86_64_LINUX_GNU, "demo", List.of(new RustParser.Source("demo.rs", src)));
    }

    static String id(String src) {
        ParsedRust p = parse(src);
        assertThat(p.errors()).isEmpty();
        Map<String, String> crates = new HashMap<>(RustStd.RUSTC_1_95_CRATES);
        crates.put("demo", "s0_");
        return RustcEncoder.of(Target.X86_64_LINUX_GNU, crates).encode(p.declarations().get(0).signature(), CfiMode.PLAIN).value();
    }

    @Test
    void globImportsAndModules() {
        assertThat(id("use std::ffi::*;\nextern \"C\" { fn f(a: c_long, b: *mut c_void); }")).isEqualTo("_ZTSFvu3i64PvE");
        assertThat(id("use core::ffi::{c_int as int};\nextern \"C\" { fn f(a: int); }")).isEqualTo("_ZTSFvu3i32E");
        assertThat(id("mod a { pub mod b { pub struct S; pub struct T(pub u8); } }\nuse a::b::*;\npub fn f(x: &T) {}"))
                .isEqualTo("_ZTSFvu3refIu21NtNtNtCs0_4demo1a1b1TEE");
    }

    @Test
    void aliasesKeepWhatWasWritten() {
        ParsedRust p = parse("use std::ffi::c_long;\nextern \"C\" { fn f(a: c_long); }");
        assertThat(p.declarations().get(0).signature().inputs().get(0)).isInstanceOfSatisfying(Alias.class,
                a -> assertThat(a.name()).isEqualTo("c_long"));
    }

    @Test
    void inherentImplFunctionsAreReadWithSelfAsTheirType() {
        ParsedRust p = parse("""
                #[repr(C)] pub struct Foo { x: i32 }
                pub struct Gen<T>(T);
                pub trait Get { fn get(&self) -> i32; }
                impl<'a> Foo {
                    #[no_mangle] pub extern "C" fn foo_get(&self) -> i32 { self.x }
                    pub fn set(&mut self, v: i32) { self.x = v }
                    #[export_name = "foo_make"] pub extern "C" fn make() -> Self { Foo { x: 0 } }
                    pub fn boxed(self: &'a Self, other: *const Self, mut this: i32) {}
                    pub fn generic<T>(&self, t: T) {}
                    const N: usize = 3;
                }
                impl Get for Foo { fn get(&self) -> i32 { 1 } }
                impl<T> Gen<T> { pub fn g(&self) {} }
                pub fn free(&self) {}
                #[export_name = "after_c"] pub extern "C" fn after(x: u8) {}
                """);
        assertThat(p.errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("demo.rs:14:13: error: `self` parameter is only allowed in associated functions");
        // a named symbol is the row's name (C calls it so); otherwise the type's and the fn's;
        // a trait's impl and a generic impl or fn have no row
        assertThat(p.declarations()).extracting(RustDeclaration::name).containsExactly("foo_get", "Foo::set", "foo_make", "Foo::boxed", "after_c");
        Map<String, String> crates = new HashMap<>(RustStd.RUSTC_1_95_CRATES);
        crates.put("demo", "s0_");
        RustcEncoder rustc = RustcEncoder.of(Target.X86_64_LINUX_GNU, crates);
        assertThat(p.declarations()).extracting(d -> rustc.encode(d.signature(), CfiMode.PLAIN).value()).containsExactly(
                // (a repr(C) type is its bare name in extern "C" signatures only: LiveRustcTest checks both against rustc)
                "_ZTSFu3i32u3refI3FooEE", "_ZTSFvU3mutu3refIu15NtCs0_4demo3FooEu3i32E", "_ZTSF3FoovE", "_ZTSFvu3refIu15NtCs0_4demo3FooEPKS_u3i32E", "_ZTSFvu2u8E");
    }

    @Test
    void limitsAndCyclesGiveErrorsNotCrashes() {
        assertThat(parse("pub fn ok(a: u8) {}\nextern \"C\" { fn f(a: i32);").errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("demo.rs:2:27: error: expected '}' to close the extern block");
        assertThat(parse("pub fn f(a: " + "(".repeat(5000) + ") {}").errors().get(0).diagnostic())
                .isEqualTo("demo.rs:1:213: error: type nested more than 200 levels deep");
        ParsedRust cyclic = parse("use a as b;\nuse b as a;\npub fn f(x: a) {}\npub fn g(x: u8) {}");
        assertThat(cyclic.errors().get(0).diagnostic()).startsWith("demo.rs:3:13: error: cyclic imports while resolving");
        assertThat(cyclic.declarations()).extracting(RustDeclaration::name).containsExactly("g");
        // recovering from it skips the item whole: the ';' of an array type is not the item's end (one error, not one per array)
        ParsedRust arrays = parse("pub fn f(p: " + "[".repeat(5000) + "u8" + "; 1]".repeat(5000) + ") {}\npub fn g(x: u8) {}");
        assertThat(arrays.errors()).extracting(SyntaxException::diagnostic).containsExactly("demo.rs:1:213: error: type nested more than 200 levels deep");
        assertThat(arrays.declarations()).extracting(RustDeclaration::name).containsExactly("g");
    }

    @Test
    void oneBadItemDoesNotStopTheOthers() {
        ParsedRust p = parse("""
                pub fn ok1(a: u8) {}
                pub fn bad(a: dyn Send) {}
                pub struct Broken { x: }
                extern "C" { fn ok2(a: i32); fn bad2(a: Nope); }
                pub fn ok3() -> ! { loop {} }
                """);
        assertThat(p.declarations()).extracting(RustDeclaration::name).containsExactly("ok1", "ok2", "ok3");
        assertThat(p.errors()).extracting(SyntaxException::diagnostic).containsExactly(
                "demo.rs:2:15: error: the size of 'dyn Send' cannot be known: pass it behind a reference or pointer",
                "demo.rs:3:24: error: expected a type, found '}'",
                "demo.rs:4:41: error: cannot find type 'Nope'");
    }

    @Test
    void dynTypesInRustcOrder() {
        assertThat(id("pub trait T {}\npub fn f(a: &(dyn Send + T + Sync)) {}"))
                .isEqualTo("_ZTSFvu3refIu3dynIu13NtCs0_4demo1Tu35NtNtCsgEmfK2I1SDT_4core6marker4Syncu35NtNtCsgEmfK2I1SDT_4core6marker4Sendu6regionEEE");
        assertThat(id("pub fn f(a: &dyn Fn(i32) -> i32) {}")).contains("8function2FnIu5tupleIu3i32EEu54").contains("6FnOnce6OutputIS0_ES_u6regionE");
    }

    @Test
    void lexerErrorsHaveLocations() {
        assertThat(parse("/* never closed").errors().get(0).diagnostic()).isEqualTo("demo.rs:1:1: error: unterminated block comment");
        assertThat(parse("pub fn f() { \"open }").errors().get(0).diagnostic()).isEqualTo("demo.rs:1:14: error: unterminated string literal");
    }
}
