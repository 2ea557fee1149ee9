package dev.xcfi.encoding;

import dev.xcfi.types.Target;
import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.Adt;
import dev.xcfi.types.rust.AdtDef;
import dev.xcfi.types.rust.DefPath;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.RawPointer;
import dev.xcfi.types.rust.Reference;
import dev.xcfi.types.rust.Region;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.types.rust.RustType;
import dev.xcfi.types.rust.Slice;
import dev.xcfi.types.rust.Tuple;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.xcfi.types.rust.Scalar.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Cases from rustc 1.95's own output (rustc-cfi-encoding.md and IR read for this project). */
class RustcEncoderTest {
    static final Map<String, String> CRATES = new HashMap<>(RustStd.RUSTC_1_95_CRATES);

    static {
        CRATES.put("a", "s4Q2Qx8jI5j7_");
    }

    final RustcEncoder x86 = RustcEncoder.of(Target.X86_64_LINUX_GNU, CRATES);

    String id(FnSig sig) {
        return x86.encode(sig, CfiMode.PLAIN).value();
    }

    static Reference ref(RustType t) {
        return new Reference(t, false, Region.ERASED);
    }

    static Reference mut(RustType t) {
        return new Reference(t, true, Region.ERASED);
    }

    @Test
    void cLongIsI64() {
        FnSig f = FnSig.of(Abi.C, RustType.UNIT, RustStd.cAlias("c_long", Target.X86_64_LINUX_GNU));
        HashedTypeId h = x86.encode(f, CfiMode.PLAIN, KcfiHash.XXHASH64);
        assertThat(h.id().value()).isEqualTo("_ZTSFvu3i64E");
        assertThat(h.kcfi()).isEqualTo(268090783);
        assertThat(x86.encode(f, CfiMode.NORMALIZED, KcfiHash.XXHASH64).kcfi()).isEqualTo(78055476);
        FnSig windows = FnSig.of(Abi.C, RustType.UNIT, RustStd.cAlias("c_long", Target.X86_64_WINDOWS_GNU));
        assertThat(RustcEncoder.of(Target.X86_64_WINDOWS_GNU, CRATES).encode(windows, CfiMode.PLAIN).value()).isEqualTo("_ZTSFvu3i32E");
    }

    @Test
    void dictionaryRules() {
        assertThat(id(FnSig.of(Abi.RUST, RustType.UNIT, new RawPointer(I32, true), new RawPointer(I32, false), new RawPointer(I32, false))))
                .isEqualTo("_ZTSFvPu3i32PKS_S2_E");
        assertThat(id(FnSig.of(Abi.RUST, RustType.UNIT, ref(I32), mut(I32), mut(I32)))).isEqualTo("_ZTSFvu3refIu3i32EU3mutS0_S1_E");
        assertThat(id(new FnSig(List.of(I32), I32, true, Abi.C, true, 0))).isEqualTo("_ZTSFu3i32S_zE");
        assertThat(id(FnSig.of(Abi.RUST, NEVER))).isEqualTo("_ZTSFu5nevervE");
    }

    @Test
    void zeroSizedArgumentsDropOnlyAtTheTop() {
        assertThat(id(FnSig.of(Abi.RUST, RustType.UNIT, RustType.UNIT, I32))).isEqualTo("_ZTSFvu3i32E");
        assertThat(id(FnSig.of(Abi.RUST, RustType.UNIT, RustType.UNIT))).isEqualTo("_ZTSFvvE");
        FnSig inner = FnSig.of(Abi.RUST, RustType.UNIT, RustType.UNIT, I32);
        assertThat(id(FnSig.of(Abi.RUST, RustType.UNIT, new FnPointer(inner)))).isEqualTo("_ZTSFvPFvvu3i32EE");
    }

    @Test
    void boundRegionsAreOtherEntries() {
        FnSig inner = new FnSig(List.of(new Reference(U8, false, Region.bound(0, 0))), RustType.UNIT, false, Abi.RUST, false, 1);
        assertThat(id(FnSig.of(Abi.RUST, RustType.UNIT, new FnPointer(inner), ref(U8)))).isEqualTo("_ZTSFvPFvu3refIu2u8EEu3refIS_EE");
    }

    @Test
    void adtsPathsReprCAndGeneralization() {
        AdtDef cpoint = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("a", "CPoint"), true, false, null, List.of()).withFields(List.of(I32, I32));
        AdtDef rpoint = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("a", "RPoint"), false, false, null, List.of()).withFields(List.of(I32));
        FnSig takes = FnSig.of(Abi.C, U8, new RawPointer(RustStd.cAlias("c_char", Target.X86_64_LINUX_GNU), false),
                new RawPointer(RustStd.C_VOID, true), ref(Adt.of(cpoint)), mut(Adt.of(rpoint)));
        assertThat(id(takes)).isEqualTo("_ZTSFu2u8PKu2i8Pvu3refI6CPointEU3mutu3refIu25NtCs4Q2Qx8jI5j7_1a6RPointEE");
        assertThat(x86.encode(takes, CfiMode.GENERALIZED).value()).isEqualTo("_ZTSFu2u8PKvPvu3refIvEU3mutS3_E.generalized");

        FnSig rustFn = FnSig.of(Abi.C, CHAR, USIZE, ref(new Slice(U8)), Adt.of(RustStd.OPTION, ref(I32)));
        assertThat(id(rustFn)).isEqualTo("_ZTSFu4charu5usizeu3refIu5sliceIu2u8EEu37NtNtCsgEmfK2I1SDT_4core6option6OptionIu3refIu3i32EEE");
        assertThat(x86.encode(rustFn, CfiMode.NORMALIZED_GENERALIZED).value())
                .isEqualTo("_ZTSFu3u32u3u64u3refIvEu37NtNtCsgEmfK2I1SDT_4core6option6OptionIS1_EE.normalized.generalized");
    }

    @Test
    void cfiEncodingNewtypesMatchClang() {
        AdtDef cLong = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("a", "c_long"), false, true, "l", List.of()).withFields(List.of(I64));
        FnSig cb = FnSig.of(Abi.C, RustType.UNIT, Adt.of(cLong));
        assertThat(id(cb)).isEqualTo("_ZTSFvlE");
        assertThat(id(FnSig.of(Abi.C, RustType.UNIT, new FnPointer(cb), new FnPointer(cb)))).isEqualTo("_ZTSFvPFvlES_E");
        assertThat(x86.encode(cb, CfiMode.NORMALIZED).value()).isEqualTo("_ZTSFvlE.normalized");
    }

    @Test
    void transparentWrappersUnwrap() {
        assertThat(id(FnSig.of(Abi.C, RustType.UNIT, Adt.of(RustStd.NON_NULL, U8)))).isEqualTo("_ZTSFvPKu2u8E");
        assertThat(id(FnSig.of(Abi.C, RustType.UNIT, Adt.of(RustStd.OPTION, Adt.of(RustStd.NON_NULL, RustStd.C_VOID)))))
                .isEqualTo("_ZTSFvu37NtNtCsgEmfK2I1SDT_4core6option6OptionIPKvEE");
        assertThat(id(FnSig.of(Abi.C, RustType.UNIT, Adt.of(RustStd.PHANTOM_DATA, I32), I8))).isEqualTo("_ZTSFvu2i8E");
        assertThat(id(FnSig.of(Abi.C, RustType.UNIT, new Tuple(List.of(I8, U16))))).isEqualTo("_ZTSFvu5tupleIu2i8u3u16EE");
    }
}
