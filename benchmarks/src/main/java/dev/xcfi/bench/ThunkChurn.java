package dev.xcfi.bench;

import dev.xcfi.thunk.CfiScheme;
import dev.xcfi.thunk.ThunkArena;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whole-process check that closing arenas gives memory back: creates and closes 1 M KCFI
 * callbacks (10 arenas × 100 k) and prints resident memory before and after.
 * Usage: java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar dev.xcfi.bench.ThunkChurn [ROUNDS] [PER_ROUND]
 */
public final class ThunkChurn {
    static long increment(long x) {
        return x + 1;
    }

    /** The resident set split as the kernel counts it (anonymous: heap, stubs; file; shared: memfd pages). */
    static String breakdown() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssAnon:") || line.startsWith("RssFile:") || line.startsWith("RssShmem:")) out.append(line.replaceAll("\\s+", " ")).append("; ");
        }
        return out.toString();
    }

    static String nmt() throws Exception {
        if (System.getProperty("xcfi.breakdown") == null) return "";
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(ProcessHandle.current().pid()),
                "VM.native_memory", "summary").redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            if (line.startsWith("-") || line.startsWith("Total")) out.append(line.strip()).append('\n');
        }
        return out.toString();
    }

    static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        MethodHandle target = MethodHandles.lookup().findStatic(ThunkChurn.class, "increment", MethodType.methodType(long.class, long.class));
        // Warm up with full rounds until the JVM's own bookkeeping is in use too (JIT code, metaspace,
        // and G1's marking structures, which a first concurrent cycle touches: 8 MB for a 512 MB heap).
        for (int w = 0; w < 3; w++) round(target, perRound);
        System.gc();
        Thread.sleep(500);   // measured as "after" is: collected, then given time to uncommit
        long before = rssKiB();
        String beforeParts = breakdown();
        String nmtBefore = nmt();
        long peak = before;
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            round(target, perRound);
            peak = Math.max(peak, rssKiB());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.gc();
        Thread.sleep(500);
        long after = rssKiB();
        if (System.getProperty("xcfi.breakdown") != null) System.out.println("before: " + beforeParts + "\nafter:  " + breakdown() + "\n" + nmtBefore + "\n----\n" + nmt());
        System.out.printf("%d callbacks created and closed in %.2f s; RSS before %d KiB, peak %d KiB, after %d KiB (%+.1f%%)%n",
                (long) rounds * perRound, seconds, before, peak, after, 100.0 * (after - before) / before);
    }

    private static void round(MethodHandle target, int n) {
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost())) {
            for (int i = 0; i < n; i++) arena.upcall("long (long)", target);
        }
    }
}
