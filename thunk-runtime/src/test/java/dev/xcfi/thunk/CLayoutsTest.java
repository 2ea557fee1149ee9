package dev.xcfi.thunk;

import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Struct and union layouts from prototype texts, checked against clang-22's sizeof and _Alignof. */
class CLayoutsTest {
    static final Map<String, String> RECORDS = Map.of(
            "struct s", "struct s { char c; double d; short h; };",
            "union u", "union u { char c[5]; int i; };",
            "struct out", "struct in { char a; int b; }; struct out { char c; struct in i; long long l; };",
            "struct arr", "struct arr { short v[3]; char t; };",
            "struct anon", "struct anon { char c; union { int i; float f; }; char d; };");

    static MemoryLayout layout(String tag, String definition) {
        HeaderParser.Prototype p = HeaderParser.prototype(Target.X86_64_LINUX_GNU, definition + " void (" + tag + ")");
        return CLayouts.descriptor(p.type(), Target.X86_64_LINUX_GNU, p.records()).argumentLayouts().get(0);
    }

    @Test
    void sizesAndAlignmentsAreClangs(@TempDir Path dir) throws Exception {
        StringBuilder c = new StringBuilder();
        RECORDS.forEach((tag, definition) -> {
            MemoryLayout l = layout(tag, definition);
            c.append(definition).append('\n').append("_Static_assert(sizeof(").append(tag).append(") == ").append(l.byteSize())
                    .append(" && _Alignof(").append(tag).append(") == ").append(l.byteAlignment()).append(", \"").append(tag).append("\");\n");
        });
        Path file = dir.resolve("layouts.c");
        Files.writeString(file, c);
        Compilers.run(List.of("clang-22", "--target=x86_64-linux-gnu", "-fsyntax-only", file.toString()));   // fails on any wrong size or alignment
        assertThat(layout("struct s", RECORDS.get("struct s")).byteSize()).isEqualTo(24);
        assertThat(layout("union u", RECORDS.get("union u")).byteSize()).isEqualTo(8);
    }
}
