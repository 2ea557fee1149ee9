package dev.xcfi.bench;

import dev.xcfi.verify.llvm.LibLlvmLocator;
import dev.xcfi.verify.llvm.LlvmReader;
import dev.xcfi.verify.llvm.SupervisedReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Feeds bit-flipped copies of real bitcode to the supervised reader and tallies the outcomes:
 * the caller must survive every one (crashes and limits become error entries).
 * Usage: java -cp benchmarks.jar dev.xcfi.bench.MutatedBitcodeCampaign N SEED FILE...
 */
public final class MutatedBitcodeCampaign {
    /**
     * The pure-Java reader on the same mutant, against libLLVM's outcome: equal facts, both refuse,
     * or which one refused what the other read (libLLVM reads some damage it does not notice).
     */
    static String compare(Path mutant, byte[] bytes, java.util.List<dev.xcfi.verify.facts.ModuleFacts> llvm) {
        java.util.List<dev.xcfi.verify.facts.ModuleFacts> java;
        try {
            java = dev.xcfi.verify.bitcode.BitcodeReader.readFile(mutant.toAbsolutePath().toString(), bytes);
        } catch (dev.xcfi.verify.bitcode.BitcodeException e) {
            return llvm == null ? "both refused" : "refused what libLLVM read";
        }
        if (llvm == null) return "read what libLLVM refused";
        return java.equals(llvm) ? "same facts" : "different facts";
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        Path library = LlvmReader.openFirst(LibLlvmLocator.candidates(Optional.empty()), 22).library();
        Path dir = Files.createTempDirectory("xcfi-mutants");
        Map<String, Integer> outcomes = new TreeMap<>();
        long start = System.nanoTime();
        try (SupervisedReader reader = SupervisedReader.start(library, new SupervisedReader.Limits(Duration.ofSeconds(20), 2L << 30))) {
            for (int i = 0; i < n; i++) {
                byte[] bytes = Files.readAllBytes(Path.of(args[2 + i % (args.length - 2)]));
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    int bit = random.nextInt(bytes.length * 8);
                    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                Path mutant = dir.resolve("m" + i + ".bc");
                Files.write(mutant, bytes);
                SupervisedReader.Result result = reader.read(mutant);
                String outcome = switch (result) {
                    case SupervisedReader.Result.Read ok -> "read";
                    case SupervisedReader.Result.Failed f -> f.message().startsWith("libLLVM crashed") ? "crash: " + f.message().replaceAll(".*\\((.*)\\).*", "$1")
                            : f.message().startsWith("reading") ? "limit: " + f.message() : "error";
                };
                outcomes.merge(outcome, 1, Integer::sum);
                String java = compare(mutant, bytes, result instanceof SupervisedReader.Result.Read r ? r.modules() : null);
                outcomes.merge("java reader: " + java, 1, Integer::sum);
                String keep = System.getProperty("xcfi.keep");   // a folder to collect the crashing mutants in
                if (keep != null && outcome.startsWith("crash")) Files.copy(mutant, Path.of(keep, "crash-" + i + ".bc"));
                if (keep != null && (java.equals("different facts") || java.equals("refused what libLLVM read"))) {
                    Files.copy(mutant, Path.of(keep, java.replace(' ', '-') + "-" + i + ".bc"));
                }
                Files.delete(mutant);
            }
            System.out.printf("%d mutants in %.1f s, worker restarts %d%n", n, (System.nanoTime() - start) / 1e9, reader.restarts());
        }
        outcomes.forEach((k, v) -> System.out.println(v + "\t" + k));
    }
}
