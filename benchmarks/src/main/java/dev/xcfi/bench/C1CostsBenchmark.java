package dev.xcfi.bench;

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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * What three Java idioms cost when C1 is the only compiler, as {@code ./xcfi} runs (start-up
 * dominates its runs, and C2's compilations would compete with its two working threads). The
 * type model and the C parser avoid the slow side of each pair in their hot paths; the comments
 * there point here. Each pair runs in the same fork: compare within a pair, not across runs.
 *
 * <ul>
 *   <li>a record's generated {@code equals} (an {@code ObjectMethods} method-handle chain) against
 *       one written out;</li>
 *   <li>a pattern {@code switch} over a sealed type (a {@code SwitchBootstraps} call site) against
 *       {@code instanceof} tests;</li>
 *   <li>creating a capturing lambda against creating an instance of a named class.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:TieredStopAtLevel=1")
public class C1CostsBenchmark {
    private static final int N = 1024;

    sealed interface Shape permits Leaf, Node, Pair {}

    record Leaf(int value) implements Shape {}

    record Node(Shape inner) implements Shape {}

    record Pair(Shape inner, int value) implements Shape {}

    /** The same structure as {@link Node}/{@link Leaf}, with equals written out. */
    record WrittenNode(Object inner) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WrittenNode n && inner.equals(n.inner);
        }

        @Override
        public int hashCode() {
            return inner.hashCode();
        }
    }

    record WrittenLeaf(int value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WrittenLeaf l && value == l.value;
        }

        @Override
        public int hashCode() {
            return value;
        }
    }

    static final class Captured implements UnaryOperator<Object> {
        private final Object value;
        private final int index;

        Captured(Object value, int index) {
            this.value = value;
            this.index = index;
        }

        @Override
        public Object apply(Object x) {
            return index > 0 ? value : x;
        }
    }

    private final Shape[] shapes = new Shape[N], sameShapes = new Shape[N];
    private final Object[] written = new Object[N], sameWritten = new Object[N];

    @Setup
    public void setUp() {
        for (int i = 0; i < N; i++) {
            shapes[i] = shape(i);
            sameShapes[i] = shape(i);
            written[i] = new WrittenNode(new WrittenLeaf(i));
            sameWritten[i] = new WrittenNode(new WrittenLeaf(i));
        }
    }

    private static Shape shape(int i) {
        return switch (i % 3) {
            case 0 -> new Node(new Leaf(i));
            case 1 -> new Leaf(i);
            default -> new Pair(new Leaf(i), i);
        };
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int generatedEquals() {
        int n = 0;
        for (int i = 0; i < N; i++) if (shapes[i].equals(sameShapes[i])) n++;
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int writtenEquals() {
        int n = 0;
        for (int i = 0; i < N; i++) if (written[i].equals(sameWritten[i])) n++;
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int patternSwitch() {
        int n = 0;
        for (int i = 0; i < N; i++) {
            n += switch (shapes[i]) {
                case Leaf l -> 1;
                case Node d -> 2;
                case Pair p -> 3;
            };
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int instanceofTests() {
        int n = 0;
        for (int i = 0; i < N; i++) {
            Shape s = shapes[i];
            n += s instanceof Leaf ? 1 : s instanceof Node ? 2 : 3;
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public Object capturingLambda() {
        Object last = null;
        for (int i = 0; i < N; i++) {
            Object value = shapes[i];
            int index = i;
            UnaryOperator<Object> f = x -> index > 0 ? value : x;
            last = f.apply(last);
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public Object namedClass() {
        Object last = null;
        for (int i = 0; i < N; i++) {
            UnaryOperator<Object> f = new Captured(shapes[i], i);
            last = f.apply(last);
        }
        return last;
    }
}
