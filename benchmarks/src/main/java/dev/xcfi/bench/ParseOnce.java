package dev.xcfi.bench;

import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.types.Target;

import java.nio.file.Path;
import java.util.List;

/**
 * Parses one header once and prints how long {@link HeaderParser#parse} took, in milliseconds:
 * the cold parse a whole {@code xcfi encode} process pays, without start-up, reading or encoding.
 * {@code benchmarks/parse-cold} runs it in fresh JVMs.
 */
public final class ParseOnce {
    public static void main(String[] args) throws Exception {
        HeaderParser.Input input = HeaderParser.Input.of(Path.of(args[0]));
        long start = System.nanoTime();
        int[] declarations = {0};
        int errors = HeaderParser.parse(Target.X86_64_LINUX_GNU, List.of(), List.of(input), d -> declarations[0]++).size();
        System.out.println((System.nanoTime() - start) / 1_000_000 + " ms, " + declarations[0] + " declarations, " + errors + " errors");
    }
}
