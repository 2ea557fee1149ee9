package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.TypeId;
import dev.xcfi.encoding.TypeIdDecoder;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decoding is checked against clang's own ids: every string id of the random corpus, on every
 * target, decodes to a type that encodes back to the same id. Normalized ids are left out by
 * necessity: normalization erases the spelling that keys the dictionary ({@code long *} and
 * {@code long long *} are different entries but both print {@code Pu3i64}), so no decoder can
 * rebuild their substitutions; they still decode for reading (see TypeIdDecoderTest).
 */
class DecoderRoundTripTest {
    @Test
    void everyCorpusIdDecodesAndReencodesIdentically() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Target target : Fixtures.unambiguousTargets()) {
            ClangEncoder encoder = ClangEncoder.of(target);
            for (CfiMode mode : new CfiMode[] {CfiMode.PLAIN, CfiMode.GENERALIZED}) {
                for (String line : Files.readAllLines(Fixtures.golden(target, "corpus", mode, KcfiHash.XXHASH64))) {
                    String id = GoldenRow.parse(line).typeId();
                    if (id.equals(TypeId.INTERNAL)) continue;
                    try {
                        TypeIdDecoder.Decoded d = TypeIdDecoder.decode(id, target);
                        String again = encoder.encode(d.type(), d.mode()).string();
                        if (!again.equals(id)) failures.add(target + ": " + id + " -> " + d.c() + " -> " + again);
                    } catch (RuntimeException e) {
                        failures.add(target + ": " + id + ": " + e.getMessage());
                    }
                    checked++;
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isEqualTo(9 * 2 * Fixtures.CORPUS_SIZE);
    }
}
