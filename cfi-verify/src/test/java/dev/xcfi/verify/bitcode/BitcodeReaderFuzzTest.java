package dev.xcfi.verify.bitcode;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A deterministic mutation campaign over real clang and rustc bitcode (the verifier fixtures):
 * bit flips, byte and word overwrites (block lengths, counts), truncations and splices of two
 * modules. Every mutant must either read or fail with the reader's own exception, in bounded
 * time and allocating at most a small multiple of its size.
 */
class BitcodeReaderFuzzTest {
    static final int MUTANTS = 10_000;
    static final long SEED = 20261121L;
    /** Bytes a read may allocate: this many times the input, plus a fixed allowance for tables and facts. */
    static final int ALLOCATION_FACTOR = 32;
    static final long ALLOCATION_BASE = 1 << 20;

    record Outcome(int read, int malformed, int unsupported, long maxAllocated, double maxRatio, long maxNanos) {}

    @Test
    void tenThousandMutantsReadOrFailCleanly() throws IOException {
        List<byte[]> seeds = seeds();
        Outcome o = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> campaign(seeds));
        System.out.printf("fuzz: %d mutants of %d seeds: %d read, %d malformed, %d unsupported; max allocation %d B (%.1f x input), slowest %.1f ms%n",
                MUTANTS, seeds.size(), o.read(), o.malformed(), o.unsupported(), o.maxAllocated(), o.maxRatio(), o.maxNanos() / 1e6);
        assertThat(o.read() + o.malformed() + o.unsupported()).isEqualTo(MUTANTS);
        // The campaign must exercise both paths: mutants that still read and mutants that are refused.
        assertThat(o.read()).isGreaterThan(MUTANTS / 20);
        assertThat(o.malformed()).isGreaterThan(MUTANTS / 4);
        assertThat(o.maxNanos()).isLessThan(Duration.ofSeconds(2).toNanos());
    }

    /**
     * Past the reader: whatever facts a damaged module still gives, the rules and the three report
     * formats take them without an exception — each mutant that reads is verified beside a real
     * module of another seed (so the cross-module rules run: C beside Rust, KCFI beside cfi-icall,
     * debug information beside none) and rendered as text, JSON and SARIF.
     */
    @Test
    void mutantsThatReadAreVerifiedAndReportedWithoutAnException() throws IOException {
        List<byte[]> seeds = seeds();
        List<List<dev.xcfi.verify.facts.ModuleFacts>> partners = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            try {
                partners.add(BitcodeReader.readFile("seed " + i + ".bc", seeds.get(i)));
            } catch (BitcodeException e) {
                // a seed that is damaged or too old on purpose (corrupt/, llvm14/): no partner
            }
        }
        int verified = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            Random random = new Random(SEED + 1);
            int n = 0;
            for (int i = 0; i < MUTANTS / 2; i++) {
                byte[] mutant = mutate(random, seeds);
                List<dev.xcfi.verify.facts.ModuleFacts> facts;
                try {
                    facts = BitcodeReader.readFile("mutant.bc", mutant);
                } catch (BitcodeException e) {
                    continue;   // refused: the campaign above checks how
                }
                List<dev.xcfi.verify.facts.ModuleFacts> partner = partners.get(random.nextInt(partners.size()));
                List<dev.xcfi.verify.facts.ModuleFacts> program = new ArrayList<>(facts);
                program.addAll(partner);
                try {
                    List<dev.xcfi.verify.check.Finding> findings = dev.xcfi.verify.check.Verifier.verify(program);
                    dev.xcfi.verify.report.Report report = new dev.xcfi.verify.report.Report(List.of(
                            new dev.xcfi.verify.report.Report.Input("mutant.bc", "java", facts),
                            new dev.xcfi.verify.report.Report.Input("partner.bc", "java", partner)), findings, List.of());
                    assertThat(dev.xcfi.verify.report.TextReport.render(report)).isNotEmpty();
                    assertThat(dev.xcfi.verify.report.JsonReport.render(report)).startsWith("{");
                    assertThat(dev.xcfi.verify.report.SarifReport.render(report)).startsWith("{");
                } catch (Throwable t) {
                    throw new AssertionError("mutant " + i + ": the rules or reports threw " + t + "\nbytes: " + Arrays.toString(mutant), t);
                }
                n++;
            }
            return n;
        });
        System.out.printf("verified and reported: %d of %d mutants that read%n", verified, MUTANTS / 2);
        assertThat(verified).isGreaterThan(MUTANTS / 40);
    }

    /**
     * What a read costs beyond its facts must not grow with the number of functions: 20,000 tiny
     * functions (each with a {@code !type} and a type test, as cfi-icall modules have) allocate a
     * small multiple of the file, as SQLite does (1.5× measured).
     */
    @Test
    void manyTinyFunctionsAllocateASmallMultipleOfTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        Path ll = dev.xcfi.verify.TestBitcode.manyFunctions(dir.resolve("tiny.ll"), 20_000), bc = dir.resolve("tiny.bc");
        dev.xcfi.encoding.golden.Compilers.run(List.of("llvm-as-22", ll.toString(), "-o", bc.toString()));
        byte[] file = Files.readAllBytes(bc);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        BitcodeReader.readFile("tiny.bc", file, Integer.MAX_VALUE);   // warm: class loading is not the reader's
        long before = threads.getCurrentThreadAllocatedBytes();
        List<dev.xcfi.verify.facts.ModuleFacts> facts = BitcodeReader.readFile("tiny.bc", file, Integer.MAX_VALUE);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(facts.get(0).functions()).hasSize(20_000);
        assertThat(facts.get(0).typeTests()).hasSize(20_000);
        System.out.printf("tiny functions: %d bytes, %d allocated (%.1f x)%n", file.length, allocated, (double) allocated / file.length);
        assertThat(allocated).isLessThan(16L * file.length);
    }

    static List<byte[]> seeds() throws IOException {
        try (Stream<Path> s = Files.walk(ReaderDifferentialTest.FIXTURES)) {
            List<byte[]> out = new ArrayList<>();
            for (Path p : s.filter(p -> p.toString().endsWith(".bc")).sorted().toList()) out.add(Files.readAllBytes(p));
            assertThat(out).hasSizeGreaterThanOrEqualTo(14);
            return out;
        }
    }

    static Outcome campaign(List<byte[]> seeds) {
        Random random = new Random(SEED);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int read = 0, malformed = 0, unsupported = 0;
        long maxAllocated = 0, maxNanos = 0;
        double maxRatio = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = mutate(random, seeds);
            String label = "mutant " + i + " (" + mutant.length + " bytes)";
            // Every other mutant has its function bodies read in parallel, so failures on worker threads are covered too.
            boolean parallel = i % 2 == 1;
            long before = threads.getCurrentThreadAllocatedBytes(), start = System.nanoTime();
            try {
                BitcodeReader.readFile(label, mutant, parallel ? 1 : Integer.MAX_VALUE);
                read++;
            } catch (UnsupportedBitcodeException e) {
                unsupported++;
            } catch (BitcodeException e) {
                // Every refusal says what and where: the bit offset, and the blocks unless it is about the container itself.
                assertThat(e.reason()).as(label).isNotBlank();
                assertThat(e.bitOffset()).as(label + ": " + e.getMessage()).isBetween(0L, mutant.length * 8L);
                malformed++;
            } catch (Throwable t) {
                throw new AssertionError(label + ": escaped as " + t + "\nbytes: " + Arrays.toString(mutant), t);
            }
            long nanos = System.nanoTime() - start, allocated = threads.getCurrentThreadAllocatedBytes() - before;
            maxNanos = Math.max(maxNanos, i < 100 ? 0 : nanos);   // the first reads run interpreted
            if (parallel) continue;   // allocation is counted per thread: measured on the sequential half
            assertThat(allocated).as(label + ": bytes allocated").isLessThanOrEqualTo(ALLOCATION_BASE + (long) ALLOCATION_FACTOR * mutant.length);
            maxAllocated = Math.max(maxAllocated, allocated);
            maxRatio = Math.max(maxRatio, (double) allocated / mutant.length);
        }
        return new Outcome(read, malformed, unsupported, maxAllocated, maxRatio, maxNanos);
    }

    static byte[] mutate(Random random, List<byte[]> seeds) {
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        byte[] b = seed.clone();
        switch (random.nextInt(6)) {
            case 0 -> {   // a few flipped bits
                for (int k = 1 + random.nextInt(4); k > 0; k--) b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            }
            case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 2 -> {   // a 32-bit word overwritten: block lengths, counts and offsets live in such words
                int at = random.nextInt(b.length / 4) * 4;
                int v = random.nextBoolean() ? random.nextInt() : random.nextInt(64);
                for (int k = 0; k < 4; k++) b[at + k] = (byte) (v >>> 8 * k);
            }
            case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 4 -> {   // splice: the head of one module and the tail of another
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int head = random.nextInt(b.length), tail = random.nextInt(other.length);
                byte[] out = Arrays.copyOf(b, head + other.length - tail);
                System.arraycopy(other, tail, out, head, other.length - tail);
                b = out;
            }
            default -> {   // a chunk repeated in place
                int from = random.nextInt(b.length), n = Math.min(b.length - from, 1 + random.nextInt(64));
                byte[] out = Arrays.copyOf(b, b.length + n);
                System.arraycopy(b, from, out, from + n, b.length - from);
                b = out;
            }
        }
        return b;
    }
}
