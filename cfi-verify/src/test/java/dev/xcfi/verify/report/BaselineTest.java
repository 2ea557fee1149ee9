package dev.xcfi.verify.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xcfi.encoding.golden.Fixtures;
import dev.xcfi.verify.check.Finding;
import dev.xcfi.verify.check.Rule;
import dev.xcfi.verify.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Accepting earlier findings: which findings are the same one, and the reports and exit status with a baseline. */
class BaselineTest {
    @TempDir
    Path dir;

    private static Finding finding(Rule rule, String symbol, String path, String id, String message) {
        return new Finding(rule, symbol, message, List.of(new Finding.Location(path, "declaration", id, "decoded " + id)), "fix");
    }

    @Test
    void aFindingIsTheSameWhateverItsPathsAndWordingEachBaselineFindingMatchedOnce() {
        Finding old = finding(Rule.DECLARATION_MISMATCH, "f", "build-1/a.bc", "_ZTSFvlE", "old wording");
        Baseline baseline = new Baseline(List.of(old, finding(Rule.UNSATISFIABLE_CHECK, "g", "build-1/a.bc", "_ZTSFviE", "m")));
        Finding moved = finding(Rule.DECLARATION_MISMATCH, "f", "build-2/a.bc", "_ZTSFvlE", "new wording");
        Finding again = finding(Rule.DECLARATION_MISMATCH, "f", "build-2/b.bc", "_ZTSFvlE", "new wording");
        Finding otherId = finding(Rule.DECLARATION_MISMATCH, "f", "build-2/a.bc", "_ZTSFvxE", "new wording");
        Finding otherRule = finding(Rule.CALLBACK_MISMATCH, "f", "build-2/a.bc", "_ZTSFvlE", "new wording");
        Baseline.Comparison c = baseline.compare(List.of(moved, again, otherId, otherRule));
        assertThat(c.isKnown(moved)).isTrue();
        assertThat(c.isKnown(again)).as("the baseline had it once").isFalse();
        assertThat(c.isKnown(otherId)).isFalse();
        assertThat(c.isKnown(otherRule)).isFalse();
        assertThat(c.fixed()).extracting(Finding::symbol).containsExactly("g");
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private static String fixture(String name) {
        return Fixtures.root().resolve("fixtures/verify").resolve(name).toString();
    }

    @Test
    void withABaselineOnlyNewFindingsAreShownAndFailTheRun() throws Exception {
        Path base = dir.resolve("baseline.json");
        Files.writeString(base, run("verify", "--format", "json", fixture("fig4")).out());
        // the same program: nothing new
        Run same = run("verify", "--baseline", base.toString(), fixture("fig4"));
        assertThat(same.exit()).isZero();
        assertThat(same.out()).isEqualTo("0 errors, 0 warnings in 2 inputs (3 modules); 3 known from the baseline, 0 of its findings gone\n");
        // Rust's side normalized, C's not: the scheme mismatch is new, and hello_from_c's declaration is
        // latent now (no check tests its plain id: the Rust side tests normalized ids), a finding of
        // another rule than the baseline's; the other two are known
        Run oneSided = run("verify", "--baseline", base.toString(), fixture("one-sided"));
        assertThat(run("verify", fixture("one-sided")).out()).endsWith("2 errors, 2 warnings in 2 inputs (3 modules)\n");
        assertThat(oneSided.exit()).isEqualTo(1);
        assertThat(oneSided.out()).startsWith("(whole program)\n  error[scheme-mismatch]: the modules disagree on integer normalization")
                .contains("\n  warning[latent-declaration-mismatch]: hello_from_c is declared").doesNotContain("indirect_call_from_c").doesNotContain("callback-mismatch")
                .endsWith("\n1 error, 1 warning in 2 inputs (3 modules); 2 known from the baseline, 1 of its findings gone\n");
        // the fixed program: all three gone
        JsonNode fixed = new ObjectMapper().readTree(run("verify", "--format", "json", "--baseline", base.toString(), fixture("fig5")).out());
        assertThat(fixed.get("summary").get("fixed").asInt()).isEqualTo(3);
        assertThat(fixed.get("fixed")).extracting(f -> f.get("symbol").asText())
                .containsExactly("hello_from_c", "indirect_call_from_c", "hello_from_rust_again");
    }

    @Test
    void jsonAndSarifSayEachFindingsBaselineState() throws Exception {
        Path base = dir.resolve("baseline.json");
        Files.writeString(base, run("verify", "--format", "json", fixture("fig4/c.bc"), fixture("fig4/rust.bc")).out());
        Files.writeString(base, Files.readString(base).replace("\"hello_from_c\"", "\"renamed\""));   // one finding the run will not have
        JsonNode json = new ObjectMapper().readTree(run("verify", "--format", "json", "--baseline", base.toString(), fixture("fig4")).out());
        assertThat(json.get("findings")).extracting(f -> f.get("symbol").asText() + " " + f.get("baseline").asText())
                .containsExactly("hello_from_c new", "indirect_call_from_c unchanged", "hello_from_rust_again unchanged");
        assertThat(json.get("summary").toString()).isEqualTo("{\"errors\":1,\"warnings\":0,\"known\":2,\"fixed\":1}");
        JsonNode sarif = new ObjectMapper().readTree(run("verify", "--format", "sarif", "--baseline", base.toString(), fixture("fig4")).out());
        assertThat(sarif.get("runs").get(0).get("results")).extracting(r -> r.get("baselineState").asText())
                .containsExactly("new", "unchanged", "unchanged", "absent");
        // without a baseline the keys are not there: the JSON contract is unchanged
        JsonNode plain = new ObjectMapper().readTree(run("verify", "--format", "json", fixture("fig4")).out());
        assertThat(plain.get("findings").get(0).has("baseline")).isFalse();
        assertThat(plain.has("fixed")).isFalse();
    }

    @Test
    void aBaselineThatCannotBeUsedIsAUsageErrorBeforeAnythingIsRead() throws Exception {
        Path notJson = Files.writeString(dir.resolve("bad.json"), "{\"version\": 1,\n \"findings\": [}");
        Path notReport = Files.writeString(dir.resolve("other.json"), "{\"runs\": []}");
        Path unknownRule = Files.writeString(dir.resolve("rule.json"), "{\"version\": 1, \"findings\": [{\"rule\": \"no-such-rule\", \"symbol\": \"f\"}]}");
        String missing = dir.resolve("missing.json").toString();
        assertThat(run("verify", "--baseline", missing, fixture("fig4")))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).isEqualTo("xcfi: the baseline " + missing + " does not exist (write one with ./xcfi verify --format json ... > "
                        + missing + ")\n"))
                .satisfies(r -> assertThat(r.out()).isEmpty());
        // a module given in the baseline's place: binary, not a decoding error's "Input length = 1"
        String module = fixture("fig4/c.bc");
        assertThat(run("verify", "--baseline", module, fixture("fig4")))
                .satisfies(r -> assertThat(r.exit()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).isEqualTo("xcfi: the baseline " + module + " is not JSON: not UTF-8 text (an xcfi JSON report, "
                        + "from ./xcfi verify --format json)\n"));
        assertThat(run("verify", "--baseline", notJson.toString(), fixture("fig4")).err()).startsWith("xcfi: the baseline " + notJson + " is not JSON: ")
                .contains("(line 2, column ");
        assertThat(run("verify", "--baseline", notReport.toString(), fixture("fig4")).err())
                .isEqualTo("xcfi: the baseline " + notReport + " is not an xcfi JSON report (version 1 with a findings list)\n");
        assertThat(run("verify", "--baseline", unknownRule.toString(), fixture("fig4")).err())
                .isEqualTo("xcfi: the baseline " + unknownRule + ", finding 0 has an unknown rule 'no-such-rule'\n");
        assertThatThrownBy(() -> Baseline.read(unknownRule)).isInstanceOf(IllegalArgumentException.class);
    }
}
