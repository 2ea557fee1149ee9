package dev.xcfi.bench;

import dev.xcfi.verify.bitcode.BitcodeException;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.llvm.LibLlvmLocator;
import dev.xcfi.verify.llvm.LlvmReader;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * libLLVM's bare parse of a module vs parse plus xcfi's fact extraction, in one JVM: the
 * difference is what the extraction costs; and the pure-Java reader's whole extraction against
 * the bare parse. Run with -p file=/path/to/module.bc (a single module,
 * e.g. benchmarks/verify-sqlite's sqlite_all.cfi.bc).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class VerifyExtractionBenchmark {
    @Param("/tmp/xcfi-sqlite/sqlite_all.cfi.bc")
    String file;

    LlvmReader reader;
    byte[] image;

    @Setup
    public void setUp() throws IOException {
        reader = LlvmReader.openFirst(LibLlvmLocator.candidates(Optional.empty()), 22);
        image = Files.readAllBytes(Path.of(file));
    }

    @Benchmark
    public void parseOnly() throws BitcodeException {
        reader.parseOnly(file, image);
    }

    @Benchmark
    public ModuleFacts parseAndExtract() throws BitcodeException {
        return reader.read(file, 0, "", image);
    }

    /** The pure-Java reader: the same facts (ReaderDifferentialTest), no native parse at all; bodies on several threads. */
    @Benchmark
    public java.util.List<ModuleFacts> javaReader() throws BitcodeException {
        return dev.xcfi.verify.bitcode.BitcodeReader.readFile(file, image);
    }

    /** The same on one thread. */
    @Benchmark
    public java.util.List<ModuleFacts> javaReaderOneThread() throws BitcodeException {
        return dev.xcfi.verify.bitcode.BitcodeReader.readFile(file, image, Integer.MAX_VALUE);
    }
}
