package dev.xcfi.verify.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.xcfi.verify.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

class RustCliTest {
    @TempDir
    Path dir;

    Path source(String text) throws IOException {
        Path p = dir.resolve("demo.rs");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void theCLongStoryInOneCommand() throws IOException {
        Path rs = source("""
                use std::ffi::c_long;
                extern "C" { fn hello_from_c(arg: c_long); }
                #[repr(transparent)] #[cfi_encoding = "l"] pub struct CLong(i64);
                pub type Fixed = unsafe extern "C" fn(CLong);
                """);
        CliTest.Result r = run("encode", "--lang", "rust", "--target", "x86_64-linux-gnu", "--crate", "demo=s0_", rs.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("hello_from_c\t_ZTSFvu3i64E\t0x0ffabd9f\nFixed\t_ZTSFvlE\t0xbde2bfc8\n");
        assertThat(run("encode", "--lang", "rust", "--target", "x86_64-linux-gnu", "--crate", "demo=s0_", "--normalize-integers", rs.toString()).out())
                .startsWith("hello_from_c\t_ZTSFvu3i64E.normalized\t0x04a70834\n");
        // On LLP64 c_long is i32: the alias is resolved per target.
        assertThat(run("encode", "--lang", "rust", "--target", "x86_64-windows-gnu", "--crate", "demo=s0_", rs.toString()).out())
                .startsWith("hello_from_c\t_ZTSFvu3i32E\t");
    }

    @Test
    void ownAdtsUseTheGivenDisambiguatorAndErrorsHaveLocations() throws IOException {
        Path rs = source("""
                pub struct Point(pub i32);
                pub fn takes(p: &Point) {}
                pub fn broken(x: Vec<u8>) {}
                pub fn also_ok(x: u8) -> bool { x > 1 }
                """);
        CliTest.Result r = run("encode", "--lang", "rust", "--target", "x86_64-linux-gnu", "--crate", "demo=s4Q2Qx8jI5j7_", rs.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("takes\t_ZTSFvu3refIu27NtCs4Q2Qx8jI5j7_4demo5PointEE\t" + CliTest.hashes("_ZTSFvu3refIu27NtCs4Q2Qx8jI5j7_4demo5PointEE").split("\t")[0]
                + "\nalso_ok\t_ZTSFbu2u8E\t" + CliTest.hashes("_ZTSFbu2u8E").split("\t")[0] + "\n");
        assertThat(r.err()).contains(rs + ":3:18: error: 'Vec' is not a type xcfi knows").doesNotContain("\tat ");
    }

    @Test
    void jsonShowsWhatWasWritten() throws IOException {
        Path rs = source("use std::ffi::c_long;\nextern \"C\" { fn f(a: c_long) -> *mut u8; }\n");
        String json = run("encode", "--lang", "rust", "--target", "x86_64-linux-gnu", "--crate", "demo=s0_", "--format", "json", rs.toString()).out();
        assertThat(json).contains("\"rust\" : \"unsafe extern \\\"C\\\" fn(c_long) -> *mut u8\"").contains("\"typeId\" : \"_ZTSFPu2u8u3i64E\"");
    }
}
