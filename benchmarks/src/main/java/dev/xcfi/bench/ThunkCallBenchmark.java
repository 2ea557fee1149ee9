package dev.xcfi.bench;

import dev.xcfi.thunk.CfiScheme;
import dev.xcfi.thunk.ThunkArena;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Cost per call from C into Java: C's loop in thunk-runtime/src/test/c/callbacks.c calls the
 * callback 1 M times per operation (scores are per call). Raw upcall stub from a library without
 * KCFI, versus KCFI thunks (shared stub, and {@code Dispatch.DIRECT}) called from the same library
 * built with and without -fsanitize=kcfi. The set-up compiles the library with clang-22.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ThunkCallBenchmark {
    static final long CALLS = 1_000_000;
    static long sum;

    static void accumulate(long x) {
        sum += x;
    }

    MethodHandle plainLoop, kcfiLoop;
    MemorySegment rawStub, thunk, directThunk;
    Arena arena = Arena.ofShared();
    ThunkArena thunks, directThunks;

    @Setup
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("xcfi-bench");
        Path source = Path.of(System.getProperty("xcfi.root", "."), "thunk-runtime/src/test/c/callbacks.c");
        plainLoop = loop(compile(source, dir.resolve("libplain.so")));
        kcfiLoop = loop(compile(source, dir.resolve("libkcfi.so"), "-fsanitize=kcfi"));
        MethodHandle target = MethodHandles.lookup().findStatic(ThunkCallBenchmark.class, "accumulate", MethodType.methodType(void.class, long.class));
        rawStub = Linker.nativeLinker().upcallStub(target, FunctionDescriptor.ofVoid(JAVA_LONG), arena);
        thunks = ThunkArena.open(CfiScheme.kcfiHost());
        thunk = thunks.upcall("void (long)", target);
        directThunks = ThunkArena.open(CfiScheme.kcfiHost(), ThunkArena.Dispatch.DIRECT);
        directThunk = directThunks.upcall("void (long)", target);
    }

    private Path compile(Path source, Path out, String... flags) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("clang-22", "-O2", "-fPIC", "-shared"));
        command.addAll(java.util.List.of(flags));
        command.addAll(java.util.List.of("-o", out.toString(), source.toString()));
        if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) throw new IllegalStateException("clang-22 failed");
        return out;
    }

    private MethodHandle loop(Path library) {
        MemorySegment f = SymbolLookup.libraryLookup(library, arena).find("call_void").orElseThrow();
        return Linker.nativeLinker().downcallHandle(f, FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    }

    @TearDown
    public void tearDown() {
        thunks.close();
        directThunks.close();
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long rawStubFromPlainC() throws Throwable {
        return (long) plainLoop.invokeExact(rawStub, CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long thunkFromPlainC() throws Throwable {
        return (long) plainLoop.invokeExact(thunk, CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long thunkFromKcfiC() throws Throwable {
        return (long) kcfiLoop.invokeExact(thunk, CALLS);
    }

    /** A thunk of an arena opened with {@code Dispatch.DIRECT}: it jumps straight to its own upcall stub. */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long directThunkFromPlainC() throws Throwable {
        return (long) plainLoop.invokeExact(directThunk, CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long directThunkFromKcfiC() throws Throwable {
        return (long) kcfiLoop.invokeExact(directThunk, CALLS);
    }
}
