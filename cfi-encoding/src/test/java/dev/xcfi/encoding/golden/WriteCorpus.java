package dev.xcfi.encoding.golden;

import dev.xcfi.types.Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a generated prototype header and the same prototypes as empty definitions, for the
 * end-to-end benchmark against clang ({@code benchmarks/encode-vs-clang}).
 * Arguments: TARGET COUNT SEED HEADER_OUT DEFINITIONS_OUT.
 */
public final class WriteCorpus {
    public static void main(String[] args) throws IOException {
        Target target = Target.of(args[0]);
        String header = new CPrototypeGenerator(Long.parseLong(args[2]), target).header("p", Integer.parseInt(args[1]));
        Files.writeString(Path.of(args[3]), header);
        StringBuilder defs = new StringBuilder();
        for (String line : header.split("\n")) {
            boolean prototype = line.matches("^.*\\bp\\d{4,}\\(.*;$");
            defs.append(prototype ? line.substring(0, line.length() - 1) + " {}" : line).append('\n');
        }
        Files.writeString(Path.of(args[4]), defs);
    }
}
