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
}
