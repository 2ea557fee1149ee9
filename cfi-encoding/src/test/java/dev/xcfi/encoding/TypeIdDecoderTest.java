package dev.xcfi.encoding;

import dev.xcfi.types.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypeIdDecoderTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "_ZTSFvPFvlElE | void (void (*)(long), long)",
            "_ZTSFvlE | void (long)",
            "_ZTSFvu3i64E | void (i64)",
            "_ZTSFvu3i64E.normalized | void (i64)",
            "_ZTSFPPiPKcPS2_E | int **(const char *, const char **)",
            "_ZTSFiPKczE | int (const char *, ...)",
            "_ZTSFvE | void ()",
            "_ZTSFvvE | void (void)",
            "_ZTSFPFiiEvE | int (*(void))(int)",
            "_ZTSFvPA4_iE | void (int (*)[4])",
            "_ZTSFvP1SS0_E | void (S *, S *)",
            "_ZTSU6ms_abiFviE | __attribute__((ms_abi)) void (int)",
            "_ZTSFvPU3AS1KcE | void (__attribute__((address_space(1))) const char *)",
            "_ZTSFvPKvE.generalized | void (const void *)",
            "_ZTSFKPcvE | char *const (void)",
    })
    void decodesToC(String id, String c) {
        assertThat(TypeIdDecoder.decode(id, Target.X86_64_LINUX_GNU).c()).isEqualTo(c);
    }

    /** rustc writes a fn pointer as one dictionary entry, so its back-references after one are one lower than clang's. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "_ZTSFvPFviEPcS1_E | CLANG | void (void (*)(int), char *, char *)",
            "_ZTSFvPFviEPcS0_E | RUSTC | void (void (*)(int), char *, char *)",
            "_ZTSFvPFviEPcS0_E | CLANG | void (void (*)(int), char *, void (*)(int))",
            "_ZTSFvPFvlES_E    | RUSTC | void (void (*)(long), void (*)(long))",
            "_ZTSFvPFvlES0_E   | CLANG | void (void (*)(long), void (*)(long))",
            "_ZTSFvP3CtxPFvu3i64EPFu3i32PvS1_ES4_E | RUSTC | void (Ctx *, void (*)(i64), i32 (*)(void *, i64), void *)",
    })
    void readsEachCompilersNumbering(String id, Compiler writer, String c) {
        assertThat(TypeIdDecoder.decode(id, Target.X86_64_LINUX_GNU, writer).c()).isEqualTo(c);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "_ZTSFvPFviEPcS1_E | CLANG | extern \"C\" fn(extern \"C\" fn(c_int), *mut c_char, *mut c_char)",
            "_ZTSFvPFviEPcS0_E | RUSTC | extern \"C\" fn(extern \"C\" fn(c_int), *mut c_char, *mut c_char)",
            "_ZTSFvPFvlES0_E   | CLANG | extern \"C\" fn(extern \"C\" fn(c_long), extern \"C\" fn(c_long))",
            "_ZTSFvPFvlEPS0_E  | CLANG | extern \"C\" fn(extern \"C\" fn(c_long), *mut extern \"C\" fn(c_long))",
            "_ZTSFvPFvlEPS_E   | CLANG | extern \"C\" fn(extern \"C\" fn(c_long), extern \"C\" fn(c_long))",
    })
    void rustViewReadsEachCompilersNumbering(String id, Compiler writer, String rust) {
        assertThat(RustIdDecoder.decode(id, writer).rust()).isEqualTo(rust);
    }

    /** rustc's unseparated array lengths: split where the whole id reads, and a hopeless id gives up after a bounded number of readings. */
    @org.junit.jupiter.api.Test
    void rustcArrayLengthsAreSplitWhereTheWholeIdReads() {
        assertThat(TypeIdDecoder.decode("_ZTSFvPA1911max_align_tmE", Target.X86_64_LINUX_GNU, Compiler.RUSTC).c())
                .isEqualTo("void (max_align_t (*)[19], unsigned long)");
        assertThat(RustIdDecoder.decode("_ZTSFvPA1911max_align_tmE", Compiler.RUSTC).rust()).isEqualTo("extern \"C\" fn(*mut [max_align_t; 19], c_ulong)");
        String hopeless = "_ZTSFv" + "PA12345671a".repeat(12) + "Q";
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            assertThatThrownBy(() -> TypeIdDecoder.decode(hopeless, Target.X86_64_LINUX_GNU, Compiler.RUSTC)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RustIdDecoder.decode(hopeless, Compiler.RUSTC)).isInstanceOf(IllegalArgumentException.class);
        });
    }

    @ParameterizedTest
    @CsvSource({"_ZTSFvlX, offset 7", "_ZTSFvS_E, refers to nothing yet", "FvlE, no _ZTS prefix", "_ZTSFvu3i6, runs past the end"})
    void malformedIdsSayWhere(String id, String message) {
        assertThatThrownBy(() -> TypeIdDecoder.decode(id, Target.X86_64_LINUX_GNU))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    /** Types nested thousands deep (a hostile id in a module's metadata, on decode's command line) end in an error, not a StackOverflowError. */
    @org.junit.jupiter.api.Test
    void idsNestedThousandsDeepAreErrors() {
        String pointers = "_ZTSF" + "P".repeat(5000) + "vE";
        assertThatThrownBy(() -> TypeIdDecoder.decode(pointers, Target.X86_64_LINUX_GNU)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type nested more than 256 levels deep");
        String references = "_ZTSFv" + "u3refI".repeat(3000) + "u3i64" + "E".repeat(3000) + "E";
        assertThatThrownBy(() -> RustIdDecoder.decode(references, Compiler.RUSTC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type nested more than 256 levels deep");
        assertThat(ItaniumDemangler.typeId("_ZTSN1a" + "PFvPFv".repeat(2000) + "E")).isEmpty();
        String deepButReal = "_ZTSF" + "P".repeat(100) + "vE";   // a hundred levels still read
        assertThat(TypeIdDecoder.decode(deepButReal, Target.X86_64_LINUX_GNU).c()).startsWith("void ****");
    }
}
