package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CTypePrinter;
import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.TypeId;
import dev.xcfi.encoding.TypeIdDecoder;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.c.ParsedHeader;
import dev.xcfi.types.ArrayType;
import dev.xcfi.types.AtomicType;
import dev.xcfi.types.BlockPointerType;
import dev.xcfi.types.CType;
import dev.xcfi.types.ComplexType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.TagType;
import dev.xcfi.types.VectorType;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reports print for an id is C that means that id: every string id of the random corpus,
 * of {@code layouts.h} and of {@code blocks.h}, decoded and printed as a declaration, parses back (each tag the id names defined as a
 * struct: an id does not say struct, union or enum, and names them alike) to a function whose id
 * is the one printed.
 */
class PrinterRoundTripTest {
    @Test
    void everyCorpusIdPrintsAsCThatEncodesToIt() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Target target : Fixtures.unambiguousTargets()) {
            ClangEncoder encoder = ClangEncoder.of(target);
            List<String> lines = new ArrayList<>();
            for (String header : List.of("corpus", "layouts", "blocks")) lines.addAll(Files.readAllLines(Fixtures.golden(target, header, CfiMode.PLAIN, KcfiHash.XXHASH64)));
            for (String line : lines) {
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
                    Set<String> tags = new TreeSet<>();
                    tags(d.type(), tags);
                    // defined, not only declared: an id may hold an array of one, which needs a complete element type
                    for (String tag : tags) text.append("typedef struct ").append(tag).append(" { char c; } ").append(tag).append(";\n");
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
        assertThat(checked).isGreaterThan(9 * Fixtures.CORPUS_SIZE);
    }

    /** The tags a type names (an id's tags all print as bare names), AAPCS's std::__va_list aside. */
    private static void tags(CType t, Set<String> out) {
        switch (t) {
            case TagType tag -> {
                if (!tag.inStd()) out.add(tag.name());
            }
            case PointerType p -> tags(p.pointee(), out);
            case BlockPointerType b -> tags(b.pointee(), out);
            case QualifiedType q -> tags(q.base(), out);
            case ArrayType a -> tags(a.element(), out);
            case AtomicType a -> tags(a.value(), out);
            case ComplexType c -> tags(c.element(), out);
            case VectorType v -> tags(v.element(), out);
            case FunctionType f -> {
                tags(f.returnType(), out);
                for (FunctionType.Parameter p : f.parameters()) tags(p.type(), out);
            }
            default -> { }
        }
    }
}
