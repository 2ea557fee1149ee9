package dev.xcfi.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-call cost of each thunk kind next to the raw upcall stub, measured in pairs: every round
 * times 10 M calls of each kind back to back in one JVM (order rotated per round), so the
 * difference to the raw stub is taken between neighbouring samples instead of between separate
 * JMH forks, whose run-to-run drift on this machine (3–5 ns) is larger than the differences.
 * Reuses {@link ThunkCallBenchmark}'s set-up (libraries compiled with clang-22). Prints the median
 * ns per call of each kind and the median of its per-round difference to the raw stub.
 * Usage: java --enable-native-access=ALL-UNNAMED -Dxcfi.root=. -cp benchmarks.jar dev.xcfi.bench.ThunkCallPairs [ROUNDS]
 */
public final class ThunkCallPairs {
    interface Calls {
        long run() throws Throwable;
    }

    public static void main(String[] args) throws Throwable {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        ThunkCallBenchmark b = new ThunkCallBenchmark();
        b.setUp();
        Map<String, Calls> kinds = new LinkedHashMap<>();
        kinds.put("raw upcall stub, plain C", b::rawStubFromPlainC);
        kinds.put("shared-stub thunk, plain C", b::thunkFromPlainC);
        kinds.put("shared-stub thunk, KCFI C", b::thunkFromKcfiC);
        kinds.put("direct thunk, plain C", b::directThunkFromPlainC);
        kinds.put("direct thunk, KCFI C", b::directThunkFromKcfiC);
        List<String> names = new ArrayList<>(kinds.keySet());
        double[][] perCall = new double[names.size()][rounds];
        for (int round = -5; round < rounds; round++) {   // five rounds of warm-up
            for (int k = 0; k < names.size(); k++) {
                int kind = Math.floorMod(k + round, names.size());
                long start = System.nanoTime();
                for (int i = 0; i < 10; i++) kinds.get(names.get(kind)).run();
                double ns = (System.nanoTime() - start) / 10.0 / ThunkCallBenchmark.CALLS;
                if (round >= 0) perCall[kind][round] = ns;
            }
        }
        b.tearDown();
        System.out.printf("%d rounds of 10 M calls per kind%n", rounds);
        for (int k = 0; k < names.size(); k++) {
            double[] diff = new double[rounds];
            for (int r = 0; r < rounds; r++) diff[r] = perCall[k][r] - perCall[0][r];
            System.out.printf("%-28s median %6.2f ns/call   vs raw stub: median %+5.2f ns (middle half %+5.2f … %+5.2f)%n", names.get(k),
                    median(perCall[k]), median(diff), quantile(diff, 0.25), quantile(diff, 0.75));
        }
    }

    static double median(double[] v) {
        return quantile(v, 0.5);
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }
}
