package dev.xcfi.verify.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a hostile module's names become in a text report and in `which`'s rows. */
class PrintableTextTest {
    @Test
    void controlCharactersAreWrittenAsEscapes() {
        String name = "evil\u001b[31mRED\u001b]0;title\u0007\u009b2J\u007f";
        assertThat(PrintableText.field(name)).isEqualTo("evil\\x1b[31mRED\\x1b]0;title\\x07\\x9b2J\\x7f");
        assertThat(PrintableText.field("a\tb\nc")).isEqualTo("a\\x09b\\x0ac");
        assertThat(PrintableText.lines("a\tb\nc\r\n")).isEqualTo("a\\x09b\nc\\x0d\n");
        String plain = "_ZTSFvlE hello_from_c: void (long) ü";
        assertThat(PrintableText.lines(plain)).isSameAs(plain);   // nothing to escape: no copy
    }

    @Test
    void aReportLineLongerThanAThousandCharactersIsShortenedInItsMiddle() {
        String id = "_ZTSFv" + "Pi".repeat(100_000) + "E";
        String report = "g\n  warning: g checks against " + id + ", which nothing carries\n" + "x".repeat(1000) + "\nend\n";
        String shown = PrintableText.lines(report);
        String[] lines = shown.split("\n", -1);
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).isEqualTo("g");
        String line = "  warning: g checks against " + id + ", which nothing carries";
        assertThat(lines[1]).isEqualTo(line.substring(0, 700) + " …[" + String.format(java.util.Locale.ROOT, "%,d", line.length() - 800)
                + " characters left out]… " + line.substring(line.length() - 100));
        assertThat(lines[2]).hasSize(1000);   // at the limit: whole
        assertThat(lines[3]).isEqualTo("end");
        assertThat(lines[4]).isEmpty();
        // the machine-readable forms keep every character
        assertThat(PrintableText.field(id)).isSameAs(id);
    }
}
