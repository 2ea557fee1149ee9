package dev.xcfi.verify;

import dev.xcfi.encoding.golden.Compilers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds test bitcode with the installed clang-22 and rustc, so each test states its own source. */
public final class TestBitcode {
    private TestBitcode() {}

    public static Path clang(Path dir, String name, String source, String... flags) throws IOException, InterruptedException {
        Compilers.requireClang();
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        Path out = dir.resolve(name + ".bc");
        List<String> command = new ArrayList<>(List.of("clang-22", "-O1", "-c"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", out.toString(), c.toString()));
        Compilers.run(command);
        return out;
    }

    /** Textual IR of {@code functions} tiny functions, each with a {@code !type} and a checked indirect call. */
    public static Path manyFunctions(Path file, int functions) throws IOException {
        StringBuilder ll = new StringBuilder("declare i1 @llvm.type.test(ptr, metadata)\n");
        for (int i = 0; i < functions; i++) {
            ll.append("define void @f").append(i).append("(ptr %p, i64 %x) !type !0 {\n")
                    .append("  %t = call i1 @llvm.type.test(ptr %p, metadata !\"_ZTSFvlE\")\n")
                    .append("  call void %p(i64 %x)\n  ret void\n}\n");
        }
        ll.append("!0 = !{i64 0, !\"_ZTSFvlE\"}\n");
        Files.writeString(file, ll);
        return file;
    }

    public static Path rustc(Path dir, String name, String source, String... flags) throws IOException, InterruptedException {
        Compilers.requireRustc();
        Path rs = dir.resolve(name + ".rs");
        Files.writeString(rs, source);
        Path out = dir.resolve(name + ".bc");
        List<String> command = new ArrayList<>(List.of("rustc", "--crate-type", "lib", "--edition", "2021", "-O", "--emit=llvm-bc",
                "-Ccodegen-units=1", "-Cunsafe-allow-abi-mismatch=sanitizer", "-o", out.toString(), rs.toString()));
        command.addAll(List.of(flags));
        Compilers.run(command, Map.of("RUSTC_BOOTSTRAP", "1"));
        return out;
    }
}
