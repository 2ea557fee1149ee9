package dev.xcfi.thunk;

import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Struct and union layouts from prototype texts, checked against clang-22's {@code sizeof},
 * {@code _Alignof} and {@code offsetof} on targets whose alignments differ (i686 puts 8-byte
 * scalars at 4 inside records).
 */
class CLayoutsTest {
    /** A record passed by value: its tag, the text that defines it, and its members' names in order (for offsetof). */
    record Case(String tag, String definition, List<String> members) {}

    static final List<Case> CASES = List.of(
            new Case("struct s", "struct s { char c; double d; short h; };", List.of("c", "d", "h")),
            new Case("union u", "union u { char c[5]; int i; };", List.of("c", "i")),
            new Case("struct out", "struct in { char a; int b; }; struct out { char c; struct in i; long long l; };", List.of("c", "i", "l")),
            new Case("struct arr", "struct arr { short v[3]; char t; };", List.of("v", "t")),
            new Case("struct anon", "struct anon { char c; union { int i; float f; }; char d; };", List.of("c", "i", "d")),
            new Case("struct wide", "enum big : long long { HUGE = 1 }; struct wide { char c; enum big b; };", List.of("c", "b")),
            new Case("struct small", "enum tiny : unsigned char { ONE = 1 }; struct small { enum tiny t; short s; enum tiny u; };", List.of("t", "s", "u")),
            new Case("struct mix", "struct mix { _Bool b; long l; float f; long long q; char z; };", List.of("b", "l", "f", "q", "z")),
            new Case("struct cplx", "struct cplx { char c; _Complex double z; _Complex float w[2]; };", List.of("c", "z", "w")));

    static Stream<Target> targets() {
        return Stream.of(Target.X86_64_LINUX_GNU, Target.I686_LINUX_GNU, Target.AARCH64_LINUX_GNU, Target.ARMV7_LINUX_GNUEABIHF,
                Target.X86_64_WINDOWS_GNU);
    }

    static MemoryLayout layout(Target target, Case c) {
        HeaderParser.Prototype p = HeaderParser.prototype(target, c.definition() + " void (" + c.tag() + ")");
        return CLayouts.descriptor(p, target).argumentLayouts().get(0);
    }

    /** The offsets of a record layout's members, in order (a union's are all 0). */
    static List<Long> offsets(MemoryLayout record) {
        List<Long> offsets = new ArrayList<>();
        if (record instanceof StructLayout s && s.memberLayouts().get(0) instanceof UnionLayout u) {
            u.memberLayouts().forEach(m -> offsets.add(0L));   // a union with its tail padding
            return offsets;
        }
        if (record instanceof UnionLayout u) {
            u.memberLayouts().forEach(m -> offsets.add(0L));
            return offsets;
        }
        long at = 0;
        for (MemoryLayout m : ((StructLayout) record).memberLayouts()) {
            if (!(m instanceof PaddingLayout)) offsets.add(at);
            at += m.byteSize();
        }
        return offsets;
    }

    @ParameterizedTest
    @MethodSource("targets")
    void sizesOffsetsAndAlignmentsAreClangs(Target target, @TempDir Path dir) throws Exception {
        StringBuilder c = new StringBuilder("#include <stddef.h>\n");
        for (Case k : CASES) {
            MemoryLayout l = layout(target, k);
            String tag = k.tag();
            c.append(k.definition()).append('\n').append("_Static_assert(sizeof(").append(tag).append(") == ").append(l.byteSize())
                    .append(" && _Alignof(").append(tag).append(") == ").append(l.byteAlignment()).append(", \"").append(tag).append("\");\n");
            List<Long> offsets = offsets(l);
            assertThat(offsets).as(tag).hasSize(k.members().size());
            for (int i = 0; i < offsets.size(); i++) {
                c.append("_Static_assert(offsetof(").append(tag).append(", ").append(k.members().get(i)).append(") == ").append(offsets.get(i))
                        .append(", \"").append(tag).append('.').append(k.members().get(i)).append("\");\n");
            }
        }
        Path file = dir.resolve("layouts.c");
        Files.writeString(file, c);
        // -std=c23 for enums with a fixed underlying type; fails on any wrong size, alignment or offset
        Compilers.run(List.of("clang-22", "--target=" + target.triple(), "-std=c23", "-ffreestanding", "-fsyntax-only", file.toString()));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void scalarsKeepTheTargetsAlignment(Target target) {
        MemoryLayout s = layout(target, CASES.get(0));   // struct s { char c; double d; short h; }
        long doubleAt = target == Target.I686_LINUX_GNU ? 4 : 8;
        assertThat(offsets(s)).containsExactly(0L, doubleAt, doubleAt + 8);
        assertThat(s.byteAlignment()).isEqualTo(doubleAt);
        MemoryLayout wide = layout(target, CASES.get(5));   // an enum : long long member is a JAVA_LONG
        assertThat(((StructLayout) wide).memberLayouts()).filteredOn(m -> m instanceof ValueLayout.OfLong).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void anEnumIsPassedAsItsUnderlyingInteger(Target target) {
        HeaderParser.Prototype p = HeaderParser.prototype(target, "enum big : long long { HUGE = 1 }; enum tiny : unsigned char { ONE = 1 }; "
                + "enum plain { A, B }; enum tiny (enum big, enum plain)");
        var d = CLayouts.descriptor(p, target);
        assertThat(d.argumentLayouts().get(0).byteSize()).isEqualTo(8);
        assertThat(d.argumentLayouts().get(1).byteSize()).isEqualTo(4);
        assertThat(d.returnLayout().orElseThrow().byteSize()).isEqualTo(1);
    }

    @org.junit.jupiter.api.Test
    void pointersOfAnotherSizeThanThisJvmsAreRefused() {
        HeaderParser.Prototype p = HeaderParser.prototype(Target.I686_LINUX_GNU, "struct node { void *next; int value; }; int (struct node)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CLayouts.descriptor(p, Target.I686_LINUX_GNU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pointers are 4 bytes on i686-unknown-linux-gnu and 8 in this JVM: a callback taking or returning them cannot run here");
    }
}
