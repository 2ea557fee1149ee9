package dev.xcfi.bench;

import dev.xcfi.thunk.CfiScheme;
import dev.xcfi.thunk.ThunkArena;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;

/**
 * Creating one callback: a plain FFM upcall stub, a KCFI-tagged upcall (stub + thunk + hash of
 * the prototype), and a retagged native function (thunk only), in one run. Each iteration uses a
 * fresh arena, closed afterwards, so memory does not pile up across iterations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ThunkCreationBenchmark {
    static long increment(long x) {
        return x + 1;
    }

    MethodHandle target;
    FunctionDescriptor descriptor = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    MemorySegment labs = Linker.nativeLinker().defaultLookup().find("labs").orElseThrow();
    Arena stubs;
    ThunkArena thunks;

    @Setup(Level.Iteration)
    public void open() throws ReflectiveOperationException {
        target = MethodHandles.lookup().findStatic(ThunkCreationBenchmark.class, "increment", MethodType.methodType(long.class, long.class));
        stubs = Arena.ofShared();
        thunks = ThunkArena.open(CfiScheme.kcfiHost());
    }

    @TearDown(Level.Iteration)
    public void close() {
        stubs.close();
        thunks.close();
    }

    @Benchmark
    public MemorySegment rawUpcallStub() {
        return Linker.nativeLinker().upcallStub(target, descriptor, stubs);
    }

    @Benchmark
    public MemorySegment taggedUpcall() {
        return thunks.upcall("long (long)", target);
    }

    @Benchmark
    public MemorySegment retag() {
        return thunks.retag("long (long)", labs);
    }
}
