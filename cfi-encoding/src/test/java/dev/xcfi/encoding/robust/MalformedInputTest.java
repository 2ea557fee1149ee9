package dev.xcfi.encoding.robust;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.RustIdDecoder;
import dev.xcfi.encoding.TypeIdDecoder;
import dev.xcfi.encoding.c.DeclarationEncoder;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.c.ParsedHeader;
import dev.xcfi.encoding.golden.Fixtures;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.rust.ParsedRust;
import dev.xcfi.encoding.rust.RustDeclarationEncoder;
import dev.xcfi.encoding.rust.RustParser;
import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.RustStd;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input must give errors with locations, never an unexpected exception: deterministic
 * mutations (byte flips, deletions, duplications, truncations, splices) of the real fixtures go
 * through the parsers and encoders, and mutated ids through the decoders. Anything but a
 * SyntaxException inside the result (parsers) or an IllegalArgumentException (decoders) fails.
 */
class MalformedInputTest {
    static final int MUTANTS = 1500;

    private static final String PUNCT = "(){}[]<>;,*&#\"'\\/=:!0_aZ \n";
    /** What nests when repeated: declarators and expressions, pointers in C and in ids, Rust references and fn pointers. */
    private static final String[] NESTING = {"(", "*", "P", "PF", "u3refI", "&", "fn("};

    static String mutate(String s, SplittableRandom r) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(6);
        for (int i = 0; i < edits && b.length() > 0; i++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(6)) {
                case 0 -> b.setCharAt(at, PUNCT.charAt(r.nextInt(PUNCT.length())));
                case 1 -> b.deleteCharAt(at);
                case 2 -> b.insert(at, b.substring(at, Math.min(b.length(), at + 1 + r.nextInt(40))));
                case 3 -> b.setLength(at);
                case 4 -> b.insert(at, NESTING[r.nextInt(NESTING.length)].repeat(1 + r.nextInt(3000)));
                default -> {
                    int from = r.nextInt(s.length());
                    b.insert(at, s, from, Math.min(s.length(), from + r.nextInt(80)));
                }
            }
        }
        return b.toString();
    }

    /** Tallies how mutants fared, so the test also fails if recovery stops keeping the good items. */
    private static final class Outcomes {
        int withErrors;
        int withErrorsAndDeclarations;

        void count(List<SyntaxException> errors, int declarations, List<String> unexpected) {
            for (SyntaxException e : errors) {
                SourceLocation at = e.location();
                if (at.file() == null || at.line() < 1 || at.column() < 1) unexpected.add("error without a location: " + e.diagnostic());
            }
            if (!errors.isEmpty()) withErrors++;
            if (!errors.isEmpty() && declarations > 0) withErrorsAndDeclarations++;
        }

        void assertRecovers() {
            assertThat(withErrors).as("mutants reported as broken").isGreaterThan(MUTANTS / 2);
            assertThat(withErrorsAndDeclarations).as("broken mutants whose other items still parsed").isGreaterThan(withErrors * 3 / 4);
        }
    }

    @Test
    void mutatedHeadersGiveOnlySyntaxErrors() throws IOException {
        String tricky = Files.readString(Fixtures.c().resolve("tricky.h"));
        String corpus = Files.readString(Fixtures.corpusHeader(Target.X86_64_LINUX_GNU)).substring(0, 20_000);
        String layouts = Files.readString(Fixtures.header(Target.X86_64_LINUX_GNU, "layouts"));
        String blocks = Files.readString(Fixtures.header(Target.AARCH64_APPLE_DARWIN, "blocks"));   // block pointers: Darwin only
        SplittableRandom r = new SplittableRandom(20261121);
        List<String> unexpected = new ArrayList<>();
        Outcomes outcomes = new Outcomes();
        for (int i = 0; i < MUTANTS; i++) {
            String text = mutate(i % 4 == 0 ? tricky : i % 4 == 1 ? corpus : i % 4 == 2 ? layouts : blocks, r);
            Target target = i % 4 == 3 ? Target.AARCH64_APPLE_DARWIN : Target.X86_64_LINUX_GNU;
            try {
                ParsedHeader h = HeaderParser.parse(target, List.of(Fixtures.c().resolve("include")),
                        List.of(new HeaderParser.Input("m" + i + ".h", text, Fixtures.c())));
                new DeclarationEncoder(target, CfiMode.NORMALIZED_GENERALIZED, KcfiHash.XXHASH64).encodeAll(h.functions());
                outcomes.count(h.errors(), h.functions().size(), unexpected);
            } catch (RuntimeException | StackOverflowError e) {
                unexpected.add("mutant " + i + ": " + e);
            }
        }
        assertThat(unexpected).isEmpty();
        outcomes.assertRecovers();
    }

    @Test
    void mutatedRustGivesOnlySyntaxErrors() throws IOException {
        String corpus = Files.readString(Fixtures.root().resolve("fixtures/rust/corpus.rs")).substring(0, 30_000);
        SplittableRandom r = new SplittableRandom(1121);
        List<String> unexpected = new ArrayList<>();
        Outcomes outcomes = new Outcomes();
        for (int i = 0; i < MUTANTS; i++) {
            String text = mutate(corpus, r);
            try {
                ParsedRust p = RustParser.parse(Target.X86_64_LINUX_GNU, "xcfi_fixture", List.of(new RustParser.Source("m" + i + ".rs", text)));
                new RustDeclarationEncoder(Target.X86_64_LINUX_GNU, RustStd.RUSTC_1_95_CRATES, CfiMode.PLAIN).encodeAll(p.declarations());
                outcomes.count(p.errors(), p.declarations().size(), unexpected);
            } catch (RuntimeException | StackOverflowError e) {
                unexpected.add("mutant " + i + ": " + e);
            }
        }
        assertThat(unexpected).isEmpty();
        outcomes.assertRecovers();
    }

    @Test
    void mutatedIdsGiveOnlyDecodeErrors() throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.golden(Target.X86_64_LINUX_GNU, "corpus", CfiMode.PLAIN, KcfiHash.XXHASH64))) ids.add(line.split("\t")[1]);
        for (String line : Files.readAllLines(Fixtures.root().resolve("fixtures/rust/golden/corpus.plain.tsv"))) ids.add(line.split("\t")[1]);
        SplittableRandom r = new SplittableRandom(77);
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < 5 * MUTANTS; i++) {
            String id = mutate(ids.get(r.nextInt(ids.size())), r);
            // each view by each compiler's numbering (rustc's arrays make the C view retry readings)
            for (dev.xcfi.encoding.Compiler writer : dev.xcfi.encoding.Compiler.values()) {
                try {
                    TypeIdDecoder.decode(id, Target.X86_64_LINUX_GNU, writer);
                } catch (IllegalArgumentException e) {
                    // the expected outcome for most mutants
                } catch (RuntimeException | StackOverflowError e) {
                    unexpected.add("C view (" + writer + ") of " + id + ": " + e);
                }
                try {
                    RustIdDecoder.decode(id, writer);
                } catch (IllegalArgumentException e) {
                    // expected
                } catch (RuntimeException | StackOverflowError e) {
                    unexpected.add("Rust view (" + writer + ") of " + id + ": " + e);
                }
            }
        }
        assertThat(unexpected).isEmpty();
    }
}
