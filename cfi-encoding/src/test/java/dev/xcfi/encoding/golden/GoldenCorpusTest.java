package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.c.DeclarationEncoder;
import dev.xcfi.encoding.c.EncodedDeclaration;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.c.ParsedHeader;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of every committed golden TSV (ids clang-22 emitted) against xcfi's parser and encoder:
 * the same names in the same order, and the same id, KCFI hash and cross-DSO id, character for
 * character.
 */
class GoldenCorpusTest {

    @TestFactory
    List<DynamicTest> everyGoldenFileMatchesClang() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Target target : Target.known()) {
            for (String header : Fixtures.GOLDEN_HEADERS) {
                for (KcfiHash hash : KcfiHash.values()) {
                    for (CfiMode mode : CfiMode.all()) {
                        Path golden = Fixtures.golden(target, header, mode, hash);
                        if (hash == KcfiHash.FNV1A && !Fixtures.FNV_TARGETS.contains(target)) continue;
                        tests.add(DynamicTest.dynamicTest(target.shortName() + " " + header + " " + mode.label() + " " + hash,
                                () -> assertMatches(target, header, mode, hash, golden)));
                    }
                }
            }
        }
        return tests;
    }

    @Test
    void theCorpusIsLargeEnough() throws IOException {
        long rows = 0;
        try (var files = Files.walk(Fixtures.c().resolve("golden"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".tsv")).toList()) rows += Files.readAllLines(p).size();
        }
        assertThat(rows).isGreaterThanOrEqualTo(5000);
    }

    static void assertMatches(Target target, String header, CfiMode mode, KcfiHash hash, Path golden) throws IOException {
        List<String> expected = Files.readAllLines(golden);
        Path h = Fixtures.header(target, header);
        List<String> actual = actualRows(target, h, mode, hash);
        assertThat(differences(expected, actual)).as(golden.toString()).isEmpty();
        assertThat(actual).hasSameSizeAs(expected);
    }

    /**
     * xcfi's rows that differ from clang's row of the same name, as "clang: … / xcfi: …" pairs
     * (for headers whose functions clang lists in another order, or once where xcfi has a row per
     * declaration).
     */
    static List<String> differencesByName(List<String> actual, List<GoldenRow> clang) {
        java.util.Map<String, String> expected = new java.util.HashMap<>();
        for (GoldenRow r : clang) expected.put(r.name(), r.tsv());
        List<String> out = new ArrayList<>();
        for (String row : actual) {
            String e = expected.get(row.substring(0, row.indexOf('\t')));
            if (!row.equals(e)) out.add("clang: " + e + "\n  xcfi:  " + row);
        }
        return out;
    }

    /** The rows that differ, as "clang: … / xcfi: …" pairs (at most 15), so a failure reads at a glance. */
    static List<String> differences(List<String> expected, List<String> actual) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), actual.size()) && out.size() < 15; i++) {
            String e = i < expected.size() ? expected.get(i) : "<none>";
            String a = i < actual.size() ? actual.get(i) : "<none>";
            if (!e.equals(a)) out.add("row " + (i + 1) + "\n  clang: " + e + "\n  xcfi:  " + a);
        }
        return out;
    }

    static List<String> actualRows(Target target, Path header, CfiMode mode, KcfiHash hash) {
        return actualRows(target, header, Fixtures.includeDirs(), mode, hash);
    }

    static List<String> actualRows(Target target, Path header, List<Path> includeDirs, CfiMode mode, KcfiHash hash) {
        return actualRows(target, header, includeDirs, mode, hash, true);
    }

    /** xcfi's rows for {@code header}; with {@code strict}, a parse error fails the test. */
    static List<String> actualRows(Target target, Path header, List<Path> includeDirs, CfiMode mode, KcfiHash hash, boolean strict) {
        ParsedHeader parsed;
        try {
            parsed = HeaderParser.parse(target, includeDirs, List.of(HeaderParser.Input.of(header)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (strict) assertThat(parsed.errors()).as("parse errors in " + header).isEmpty();
        return new DeclarationEncoder(target, mode, hash).encodeAll(parsed.functions()).stream()
                .map(EncodedDeclaration::tsv).toList();
    }
}
