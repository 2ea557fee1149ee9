package dev.xcfi.encoding;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Test vectors emitted by clang-22 (kcfi-and-hashes.md §1) and rustc 1.95. */
class HashTest {
    @ParameterizedTest
    @CsvSource({
            "_ZTSFvlE, 0xbde2bfc8, 0x24efb23e, 0x8e148512407754da",
            "_ZTSFllE, 0xb339b1b5, 0x8c2549f0, 0x9e9f869dabda46d4",
            "_ZTSFvPKczE, 0xce2ca9d7, 0xc948a054, 0xbc19fbeb1a9d66ef",
            "_ZTSFvyPiS_E, 0x9d6b9c72, 0xa5f6e340, 0x193bf391eaf558f6",
            "_ZTSFvPPiS_S0_E, 0x288a544d, 0x68a5a5dd, 0xc36353b4740b8747",
            "_ZTSFPFPFvdElEiE, 0x86416f44, 0x0f3f4de7, 0x7646a3335cb7ec86",
            "_ZTSFvu3i64S_u3i32u3i16u2i8E.normalized, 0xc8cff2e0, 0x9e45ec4a, 0xa2150b2da7be3eee",
            "_ZTSFvDv8_u2i8Dv4_dDv8_u3u16E.normalized, 0x3ceb692d, 0x708b0d90, 0x8c8702b768927b1b",
            "?6AXP6AXH@Z0@Z.normalized, 0xb6713e1f, 0x1e8cf8b9, 0xcf69230dd78a1b97",
    })
    void kcfiAndCrossDso(String id, String xx, String fnv, String md5) {
        assertThat(KcfiHash.format(KcfiHash.XXHASH64.hash(id))).isEqualTo(xx);
        assertThat(KcfiHash.format(KcfiHash.FNV1A.hash(id))).isEqualTo(fnv);
        assertThat(CrossDsoId.format(CrossDsoId.of(id))).isEqualTo(md5);
    }

    @ParameterizedTest
    @CsvSource({"_ZTSFvu3i64E, 0xed2a927f0ffabd9f", "'', 0xef46db3751d8e999", "0123456789abcdef0123456789abcdef0123456789, 0x0"})
    void xxHash64Full(String s, String expected) {
        long h = XxHash64.hash(s);
        if (!expected.equals("0x0")) assertThat("0x" + Long.toHexString(h)).isEqualTo(expected);
        // Long inputs take the four-lane path: the byte[] and String entry points must agree on it.
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(XxHash64.hash(b, 0, b.length, 0)).isEqualTo(h);
    }

    @ParameterizedTest
    @CsvSource({"_ZTSFu3i32S_E, -1666898348", "_ZTSFu3i32S_E.normalized, -841055669", "_ZTSFu3i32S_E.generalized, 233085384"})
    void rustcVectors(String id, int kcfi) {
        assertThat(KcfiHash.XXHASH64.hash(id)).isEqualTo(kcfi);
    }
}
