package dev.xcfi.verify.check;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The repairs a mismatch between clang and rustc gets, by what differs. */
class FixesTest {
    private static String fix(boolean rustLeft, String left, String right) {
        return Fixes.suggest(rustLeft, !rustLeft, Optional.of(new IdExplainer.Difference("parameter 1", left, right)), "same-language fix");
    }

    @Test
    void aCIntegerRustSpellsByWidthGetsANewtypeWithItsItaniumCode() {
        assertThat(fix(true, "i64", "long")).startsWith("on the Rust side use a newtype that encodes as C `long`: "
                + "#[repr(transparent)] #[cfi_encoding = \"l\"] pub struct CLong(pub i64);");
        assertThat(fix(false, "unsigned long long", "u64")).contains("#[cfi_encoding = \"y\"] pub struct CUnsignedLongLong(pub u64);");
        assertThat(fix(true, "u8", "unsigned char")).contains("#[cfi_encoding = \"h\"] pub struct CUnsignedChar(pub u8);");
    }

    @Test
    void oneStructUnderTwoNamesGetsTheTagsName() {
        assertThat(fix(true, "z_stream *", "z_stream_s *")).isEqualTo("the Rust type `z_stream` stands for C's `z_stream_s`, and ids spell "
                + "type names (C: a struct's tag, never its typedef): name the Rust type z_stream_s, or give it C's encoding with "
                + "#[cfi_encoding = \"10z_stream_s\"] (rustc's cfi_encoding feature)");
        assertThat(fix(false, "const struct node *", "bindings::Node *")).contains("the Rust type `Node` stands for C's `node`");
    }

    @Test
    void otherCrossLanguageDifferencesAndSameLanguageOnesGetTheGeneralRepair() {
        assertThat(fix(true, "i32", "float")).isEqualTo("declare the Rust side with types that encode exactly like the C definition's");
        assertThat(Fixes.suggest(false, true, Optional.of(new IdExplainer.Difference("the parameter count", null, null)), "same"))
                .isEqualTo("declare the Rust side with types that encode exactly like the C definition's");
        assertThat(Fixes.suggest(false, false, Optional.of(new IdExplainer.Difference("parameter 1", "long", "int")), "same-language fix"))
                .isEqualTo("same-language fix");
        assertThat(Fixes.suggest(true, false, Optional.empty(), "same-language fix")).isEqualTo("same-language fix");
    }

    @Test
    void constnessAndTheCompilersOwnSpellingsGetTheirRepairs() {
        assertThat(fix(true, "const void *", "void *")).isEqualTo(Fixes.GENERALIZED_CONST).contains("*mut", "function pointer");
        assertThat(fix(false, "const void *", "void *")).isEqualTo("declare the Rust pointer `*const`: C's points to const");
        IdExplainer.Difference renumbered = IdExplainer.Difference.numbering("void (void (*)(int), char *, char *)", "S0_", "S1_");
        assertThat(Fixes.suggest(true, false, Optional.of(renumbered), "same")).isEqualTo(Fixes.RENUMBERED).contains("function-pointer parameter last");
        // one compiler on both sides cannot number one type two ways: the same-language repair
        assertThat(Fixes.suggest(false, false, Optional.of(renumbered), "same")).isEqualTo("same");
    }

    /** A Box (cbindgen's ownership idiom) is encoded as alloc::boxed::Box: the raw pointer, converted at the boundary. */
    @Test
    void aBoxGetsTheRawPointer() {
        assertThat(fix(true, "Box<thing>", "*mut thing")).isEqualTo("declare the raw pointer `*mut thing` and convert with Box::into_raw and "
                + "Box::from_raw: rustc encodes `Box<…>` as the type alloc::boxed::Box, never as the pointer C's id has");
        assertThat(fix(false, "*mut thing", "Option<Box<thing>>")).endsWith("rustc encodes `Option<…>` as the type core::option::Option, "
                + "never as the pointer C's id has (a raw pointer may be null)");
        assertThat(fix(true, "Box<other>", "*mut thing")).isEqualTo("declare the Rust side with types that encode exactly like the C definition's");
    }

    /** An atomic is encoded by its name in Rust, as U7_Atomic and the integer in C: a newtype with C's encoding. */
    @Test
    void anAtomicGetsANewtypeWithCsAtomicEncoding() {
        assertThat(fix(false, "unsigned int _Atomic*", "ref(AtomicU32)")).endsWith("declare `*mut CAtomicUnsignedInt` with #[repr(transparent)] "
                + "#[cfi_encoding = \"U7_Atomicj\"] pub struct CAtomicUnsignedInt(pub AtomicU32);");
        assertThat(fix(false, "_Atomic(long) *", "*const AtomicI64")).contains("#[cfi_encoding = \"U7_Atomicl\"] pub struct CAtomicLong(pub AtomicI64);");
        assertThat(fix(false, "_Atomic(struct s) *", "&AtomicU32")).isEqualTo("declare the Rust side with types that encode exactly like the C definition's");
    }

    /** rustc encodes NonZero<T> as the pattern type it wraps, which no C type is: the plain integer is the repair. */
    @Test
    void aNonZeroIntegerGetsThePlainIntegerBack() {
        assertThat(fix(true, "NonZero<u32>", "c_uint")).isEqualTo("rustc encodes `NonZero<u32>` as a pattern type, which no C type is: "
                + "declare the plain integer on the Rust side and check for zero there; on the Rust side use a newtype that encodes as C "
                + "`unsigned int`: #[repr(transparent)] #[cfi_encoding = \"j\"] pub struct CUnsignedInt(pub u32); (the cfi_types crate provides these)"
                + Fixes.OR_NORMALIZE);
        assertThat(fix(false, "c_long", "Option<NonZero<i64>>")).contains("`Option<NonZero<i64>>` as a pattern type", "pub struct CLong(pub i64);");
    }

    @Test
    void anEnumBoundAsAnIntegerGetsANewtypeEncodingAsItsTag() {
        assertThat(fix(true, "u32", "color")).isEqualTo("C's id spells `color` by its name (an enum's tag, most likely; bindgen binds it as an "
                + "integer): on the Rust side use a newtype that encodes as that name: #[repr(transparent)] #[cfi_encoding = \"5color\"] pub struct Color(pub u32);");
        assertThat(fix(false, "const dma_dir *", "u32 *")).contains("#[cfi_encoding = \"7dma_dir\"] pub struct DmaDir(pub u32); and declare `*const DmaDir`");
        assertThat(fix(true, "u32", "int")).isEqualTo("on the Rust side use a newtype that encodes as C `int`: #[repr(transparent)] #[cfi_encoding = \"i\"] "
                + "pub struct CInt(pub u32); (the cfi_types crate provides these)" + Fixes.OR_NORMALIZE);
    }

    @Test
    void aCxxClassInANamespaceGetsItsNestedName() {
        assertThat(fix(true, "Widget*", "ui::Widget*")).isEqualTo("C++'s id spells the class with its namespaces, `ui::Widget`: give the Rust type "
                + "Widget that encoding with #[cfi_encoding = \"N2ui6WidgetE\"] (rustc's cfi_encoding feature)");
        assertThat(fix(false, "const app::gfx::Widget*", "Widget*")).contains("#[cfi_encoding = \"N3app3gfx6WidgetE\"]");
        assertThat(fix(true, "Gadget*", "ui::Widget*")).contains("give the Rust type Gadget that encoding with #[cfi_encoding = \"N2ui6WidgetE\"]");
        assertThat(fix(true, "string*", "std::string*")).isEqualTo("declare the Rust side with types that encode exactly like the C definition's");
    }

    @Test
    void boolAndVoidPointersWrittenAsIntegersGetRustsOwnTypes() {
        assertThat(fix(true, "u8", "_Bool")).isEqualTo("declare `bool`: rustc encodes bool as C's _Bool (b), an integer as itself");
        assertThat(fix(true, "u8 *", "void *")).isEqualTo("declare `*mut c_void`: rustc encodes c_void as C's void (v), u8 as itself");
        assertThat(fix(false, "const void *", "i8 *")).startsWith("declare `*const c_void`");
    }
}
