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
