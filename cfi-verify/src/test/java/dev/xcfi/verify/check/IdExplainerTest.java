package dev.xcfi.verify.check;

import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a report says an id is, in C and in Rust. */
class IdExplainerTest {
    @Test
    void idsReadAsCAndRustAndCOnlyTypesSaySo() {
        IdExplainer x86 = new IdExplainer(Target.X86_64_LINUX_GNU);
        assertThat(x86.decoded("_ZTSFvlE")).isEqualTo("C: void (long); Rust: extern \"C\" fn(c_long)");
        assertThat(x86.decoded("_ZTSFvu3i64E")).isEqualTo("C: void (i64); Rust: extern \"C\" fn(i64)");
        IdExplainer darwin = new IdExplainer(Target.AARCH64_APPLE_DARWIN);
        assertThat(darwin.decoded("_ZTSFvU13block_pointerFviES0_E"))
                .isEqualTo("C: void (void (^)(int), void (^)(int)); Rust: (none: a C type with no Rust counterpart)");
        assertThat(x86.decoded("_ZTSFvQE")).isEqualTo("C: (not decodable); Rust: (not decodable)");
    }
}
