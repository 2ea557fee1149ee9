package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CTypePrinter;
import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.TypeId;
import dev.xcfi.encoding.TypeIdDecoder;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.c.ParsedHeader;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reports print for an id is C that means that id: every string id of the random corpus,
 * decoded and printed as a declaration, parses back (each tag the id names declared as a
 * struct: an id does not say struct, union or enum, and names them alike) to a function whose id
 * is the one printed.
 */
class PrinterRoundTripTest {
    private static final Pattern TAG = Pattern.compile("\\d+([A-Za-z_]\\w*)");

    @Test
    void everyCorpusIdPrintsAsCThatEncodesToIt() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Target target : Target.known()) {
            boolean gIsAmbiguous = target.longDouble().equals("g") && (target.float128() != null || target.ibm128());
            if (gIsAmbiguous) continue;   // as in DecoderRoundTripTest: the id cannot say which type it meant
            ClangEncoder encoder = ClangEncoder.of(target);
            for (String line : Files.readAllLines(Fixtures.golden(target, "corpus", CfiMode.PLAIN, KcfiHash.XXHASH64))) {
                String id = GoldenRow.parse(line).typeId();
                if (id.equals(TypeId.INTERNAL)) continue;
                checked++;
                String printed = "";
                try {
                    TypeIdDecoder.Decoded d = TypeIdDecoder.decode(id, target);
                    printed = CTypePrinter.declaration(d.type(), "f") + ";";
                    // AAPCS's va_list is the tag std::__va_list (St9__va_list), printed by its name
                    String text0 = id.contains("St9__va_list") ? printed.replaceAll("\\b__va_list\\b", "__builtin_va_list") : printed;
                    StringBuilder text = new StringBuilder("#include <stddef.h>\n#include <stdarg.h>\n");
                    for (String tag : tags(d.c())) text.append("typedef struct ").append(tag).append(' ').append(tag).append(";\n");
                    ParsedHeader h = HeaderParser.parse(target, "printed.h", text + text0 + "\n");
                    if (!h.errors().isEmpty() || h.functions().size() != 1) {
                        failures.add(target.shortName() + ": " + id + " printed as `" + printed + "`: " + h.errors());
                        continue;
                    }
                    String again = encoder.encode(h.functions().get(0).type(), CfiMode.PLAIN).string();
                    if (!again.equals(id)) failures.add(target.shortName() + ": " + id + " printed as `" + printed + "` encodes as " + again);
                } catch (RuntimeException e) {
                    failures.add(target.shortName() + ": " + id + " printed as `" + printed + "`: " + e);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isEqualTo(9 * Fixtures.CORPUS_SIZE);
    }

    /** The tags a printed type names: those of CPrototypeGenerator's prelude, and the targets' va_list tags. */
    private static Set<String> tags(String printed) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([A-Za-z_]\\w*)\\b").matcher(printed);
        while (m.find()) {
            String w = m.group(1);
            if (w.matches("S\\d+|Big|Fwd|U0|E0|E1|TS|TU|TRU|__va_list_tag|__va_list|max_align_t")) names.add(w);
        }
        return names;
    }
}
