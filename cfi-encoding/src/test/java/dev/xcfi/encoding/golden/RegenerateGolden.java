package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Regenerates the C golden data from clang-22: each target's predefined macros (which xcfi's
 * preprocessor starts from), the random corpus headers and {@code layouts.h} (deterministic seeds)
 * and, for them, {@code tricky.h} and {@code macros.h}, one TSV per target, mode and hash. Run by
 * {@code fixtures/c/regenerate}; never by the tests.
 */
public final class RegenerateGolden {
    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("xcfi-golden");
        int rows = 0;
        Files.writeString(Fixtures.header(Target.X86_64_LINUX_GNU, "layouts"), new CRecordGenerator(Fixtures.LAYOUT_SEED).header(Fixtures.LAYOUT_RECORDS));
        writeBuiltins(work);
        for (Target target : Target.known()) {
            Path macros = Fixtures.predefinedMacros(target);
            Files.createDirectories(macros.getParent());
            Files.writeString(macros, ClangOracle.predefinedMacros(target));
            Path corpus = Fixtures.corpusHeader(target);
            Files.createDirectories(corpus.getParent());
            Files.writeString(corpus, new CPrototypeGenerator(Fixtures.seed(target), target).header("f", Fixtures.CORPUS_SIZE));
            ClangOracle oracle = new ClangOracle(target, Fixtures.includeDirs(), work);
            for (String header : Fixtures.GOLDEN_HEADERS) {
                Path h = Fixtures.header(target, header);
                for (KcfiHash hash : Fixtures.FNV_TARGETS.contains(target) ? KcfiHash.values() : new KcfiHash[] {KcfiHash.XXHASH64}) {
                    Map<CfiMode, List<GoldenRow>> golden = oracle.rows(h, hash);
                    for (var e : golden.entrySet()) {
                        Path out = Fixtures.golden(target, header, e.getKey(), hash);
                        Files.createDirectories(out.getParent());
                        StringBuilder sb = new StringBuilder();
                        for (GoldenRow r : e.getValue()) sb.append(r.tsv()).append('\n');
                        Files.writeString(out, sb);
                        rows += e.getValue().size();
                    }
                }
            }
            System.out.println(target.shortName() + ": done");
        }
        System.out.println(rows + " golden rows written");
    }

    /** clang's builtins: those every target has in one list, each target's own in another. */
    private static void writeBuiltins(Path work) throws IOException {
        List<String> candidates = ClangOracle.builtinCandidates();
        Map<Target, java.util.TreeSet<String>> has = new java.util.LinkedHashMap<>();
        for (Target target : Target.known()) has.put(target, new ClangOracle(target, List.of(), work).builtins(candidates));
        java.util.TreeSet<String> every = new java.util.TreeSet<>(has.values().iterator().next());
        for (var names : has.values()) every.retainAll(names);
        Files.createDirectories(Fixtures.builtins("all").getParent());
        Files.writeString(Fixtures.builtins("all"), lines(every));
        for (var e : has.entrySet()) {
            java.util.TreeSet<String> own = new java.util.TreeSet<>(e.getValue());
            own.removeAll(every);
            Files.writeString(Fixtures.builtins(e.getKey().shortName()), lines(own));
        }
    }

    private static String lines(java.util.Collection<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) sb.append(n).append('\n');
        return sb.toString();
    }
}
