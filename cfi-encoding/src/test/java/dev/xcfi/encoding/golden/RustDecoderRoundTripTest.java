package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.RustIdDecoder;
import dev.xcfi.encoding.RustcEncoder;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every id rustc emitted for the Rust corpus, in every mode, decodes to a signature that encodes back to it. */
class RustDecoderRoundTripTest {
    @Test
    void everyRustcIdRoundTrips() throws IOException {
        RustcEncoder encoder = RustcEncoder.of(Target.X86_64_LINUX_GNU, RustGoldenTest.crates());
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (CfiMode mode : CfiMode.all()) {
            for (String line : Files.readAllLines(RustGoldenTest.dir().resolve("golden/corpus." + mode.label() + ".tsv"))) {
                String id = line.split("\t")[1];
                try {
                    RustIdDecoder.Decoded d = RustIdDecoder.decode(id);
                    String again = encoder.encode(d.sig(), d.mode()).string();
                    if (!again.equals(id)) failures.add(id + " -> " + d.rust() + " -> " + again);
                } catch (RuntimeException e) {
                    failures.add(id + ": " + e.getMessage());
                }
                checked++;
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isGreaterThan(3000);
    }
}
