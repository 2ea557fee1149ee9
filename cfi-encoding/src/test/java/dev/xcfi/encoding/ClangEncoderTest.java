package dev.xcfi.encoding;

import dev.xcfi.types.ArrayType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.CType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.TagType;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unit-level cases from the clang reference; the exhaustive check is the golden corpus. */
class ClangEncoderTest {
    static final CType LONG = BuiltinType.of(Kind.LONG);
    static final CType INT = BuiltinType.INT;
    static final CType CHAR = BuiltinType.CHAR;
    static final CType VOID = BuiltinType.VOID;

    final ClangEncoder x86 = ClangEncoder.of(Target.X86_64_LINUX_GNU);

    @Test
    void voidOfLong() {
        TypeId id = x86.encode(FunctionType.of(VOID, LONG), CfiMode.PLAIN);
        assertThat(id.value()).isEqualTo("_ZTSFvlE");
        assertThat(id.kcfi(KcfiHash.XXHASH64)).isEqualTo(0xbde2bfc8);
        assertThat(x86.kcfi(FunctionType.of(VOID, LONG), CfiMode.PLAIN, KcfiHash.XXHASH64)).isEqualTo(0xbde2bfc8);
        assertThat(x86.encode(FunctionType.of(VOID, LONG), CfiMode.NORMALIZED).value()).isEqualTo("_ZTSFvu3i64E.normalized");
    }

    @Test
    void substitutionsArePostOrder() {
        // int **f(const char *, const char **) -> Pi=S_, PPi=S0_, Kc=S1_, PKc=S2_
        CType kc = QualifiedType.of(CHAR, Qualifiers.CONST);
        FunctionType f = FunctionType.of(PointerType.to(PointerType.to(INT)), PointerType.to(kc), PointerType.to(PointerType.to(kc)));
        assertThat(x86.encode(f, CfiMode.PLAIN).value()).isEqualTo("_ZTSFPPiPKcPS2_E");
        assertThat(x86.encode(f, CfiMode.GENERALIZED).value()).isEqualTo("_ZTSFPvPKvS_E.generalized");
    }

    @Test
    void nestedFunctionPointer() {
        FunctionType cb = FunctionType.of(VOID, LONG);
        assertThat(x86.encode(FunctionType.of(VOID, PointerType.to(cb), LONG), CfiMode.PLAIN).value())
                .isEqualTo("_ZTSFvPFvlElE");
        // A parameter of function type decays: void f(void (void), void (*)(void)).
        FunctionType vv = FunctionType.of(VOID);
        assertThat(x86.encode(FunctionType.of(VOID, vv, PointerType.to(vv)), CfiMode.PLAIN).value())
                .isEqualTo("_ZTSFvPFvvES0_E");
    }

    @Test
    void qualifiersDroppedOnParametersKeptOnReturn() {
        CType ci = QualifiedType.of(INT, Qualifiers.CONST);
        assertThat(x86.encode(FunctionType.of(ci, ci, QualifiedType.of(PointerType.to(INT), Qualifiers.RESTRICT)), CfiMode.PLAIN).value())
                .isEqualTo("_ZTSFKiiPiE");
    }

    @Test
    void arraysDecayAndKeepInnerDimensions() {
        CType a4 = new ArrayType(INT, new ArrayType.Size.Fixed(4));
        CType aa = new ArrayType(a4, ArrayType.Size.INCOMPLETE);
        assertThat(x86.encode(FunctionType.of(VOID, aa), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvPA4_iE");
    }

    @Test
    void tagsAndUnprototyped() {
        TagType s = TagType.named(TagType.Kind.STRUCT, "S");
        assertThat(x86.encode(FunctionType.of(VOID, PointerType.to(s), PointerType.to(s)), CfiMode.PLAIN).value())
                .isEqualTo("_ZTSFvP1SS0_E");
        assertThat(x86.encode(FunctionType.unprototyped(VOID), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvE");
        assertThat(x86.encode(FunctionType.variadic(INT, PointerType.to(QualifiedType.of(CHAR, Qualifiers.CONST))), CfiMode.PLAIN).value())
                .isEqualTo("_ZTSFiPKczE");
    }

    @Test
    void typeWithoutLinkageIsInternalButStillHashed() {
        TagType p = TagType.local(TagType.Kind.STRUCT, "P", "f");
        TypeId id = x86.encode(FunctionType.of(VOID, PointerType.to(p)), CfiMode.PLAIN);
        assertThat(id.value()).isEqualTo(TypeId.INTERNAL);
        assertThat(id.kcfiInput()).isEqualTo("_ZTSFvPZ1fE1PE");
        assertThat(id.crossDso()).isEmpty();
        assertThat(x86.encode(FunctionType.of(VOID, PointerType.to(p)), CfiMode.GENERALIZED).value()).isEqualTo("_ZTSFvPvE.generalized");
    }

    @Test
    void saltGoesBeforeModeSuffixes() {
        FunctionType f = FunctionType.of(VOID, LONG).withSalt("abc");
        assertThat(x86.encode(f, CfiMode.PLAIN).kcfi(KcfiHash.XXHASH64)).isEqualTo(0x4677a77d);
        assertThat(x86.encode(f, CfiMode.NORMALIZED_GENERALIZED).kcfiInput()).isEqualTo("_ZTSFvu3i64E.abc.normalized.generalized");
        assertThat(x86.kcfi(f, CfiMode.NORMALIZED_GENERALIZED, KcfiHash.XXHASH64)).isEqualTo(0x1c068638);
        assertThat(x86.encode(f, CfiMode.PLAIN).value()).isEqualTo("_ZTSFvlE");
        HashedTypeId both = x86.encode(f, CfiMode.NORMALIZED_GENERALIZED, KcfiHash.XXHASH64);
        assertThat(both.kcfi()).isEqualTo(0x1c068638);
        assertThat(both.id().value()).isEqualTo("_ZTSFvu3i64E.normalized.generalized");
    }

    @Test
    void unsupportedTypesAreRejectedWithClangsReason() {
        assertThatThrownBy(() -> ClangEncoder.of(Target.AARCH64_LINUX_GNU).encode(FunctionType.of(VOID, BuiltinType.of(Kind.FLOAT128)), CfiMode.PLAIN))
                .isInstanceOf(EncodingException.class).hasMessageContaining("__float128 is not supported on this target");
        // __int128 is a type on every target (mode(TI) makes it on i686); only its keyword is refused there
        assertThat(ClangEncoder.of(Target.I686_LINUX_GNU).encode(FunctionType.of(VOID, BuiltinType.of(Kind.INT128)), CfiMode.PLAIN).value())
                .isEqualTo("_ZTSFvnE");
        assertThatThrownBy(() -> x86.encode(FunctionType.of(VOID, BuiltinType.of(Kind.HALF)), CfiMode.PLAIN))
                .hasMessageContaining("parameters cannot have __fp16 type");
        assertThat(ClangEncoder.of(Target.AARCH64_LINUX_GNU).encode(FunctionType.of(VOID, BuiltinType.of(Kind.HALF)), CfiMode.PLAIN).value())
                .isEqualTo("_ZTSFvDhE");
    }
}
