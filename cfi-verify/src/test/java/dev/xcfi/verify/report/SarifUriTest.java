package dev.xcfi.verify.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SARIF's uri is a URI reference: a path whose characters mean something in a URI is percent-encoded. */
class SarifUriTest {
    @Test
    void pathsBecomeUriReferences() {
        assertThat(SarifReport.uri("fixtures/verify/fig4/c.bc")).isEqualTo("fixtures/verify/fig4/c.bc");
        assertThat(SarifReport.uri("libfig4.a(c.o)")).isEqualTo("libfig4.a(c.o)");
        assertThat(SarifReport.uri("a b#1?.bc")).isEqualTo("a%20b%231%3F.bc");   // '#' would end the path at a fragment
        assertThat(SarifReport.uri("100%.bc")).isEqualTo("100%25.bc");
        assertThat(SarifReport.uri("c:x.bc")).isEqualTo("c%3Ax.bc");   // not a scheme
        assertThat(SarifReport.uri("ü.bc")).isEqualTo("%C3%BC.bc");
    }
}
