package dev.xcfi.bench;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.HashedTypeId;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.Target;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Parse-free encoding of a typical prototype: the type is built once, the benchmark measures
 * mangling plus the KCFI hash. Run with {@code -prof gc} to see allocation per id.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClangEncoderBenchmark {
    @Param({"int cmp(const char *, size_t, struct S *, long)",
            "void (*signal(int, void (*)(int)))(int)"})
    public String prototype;

    @Param({"plain", "normalized.generalized"})
    public String mode;

    private FunctionType function;
    private CfiMode cfiMode;
    private final ClangEncoder encoder = ClangEncoder.of(Target.X86_64_LINUX_GNU);

    @Setup
    public void setUp() {
        function = HeaderParser.parsePrototype(Target.X86_64_LINUX_GNU, "#include <stddef.h>\nstruct S; " + prototype);
        cfiMode = mode.equals("plain") ? CfiMode.PLAIN : CfiMode.NORMALIZED_GENERALIZED;
    }

    /** The id string and its hash, as the CLI needs them. */
    @Benchmark
    public HashedTypeId encodeAndHash() {
        return encoder.encode(function, cfiMode, KcfiHash.XXHASH64);
    }

    /** Only the hash (what a thunk or verifier compares): no allocation at all. */
    @Benchmark
    public int kcfiHashOnly() {
        return encoder.kcfi(function, cfiMode, KcfiHash.XXHASH64);
    }
}
