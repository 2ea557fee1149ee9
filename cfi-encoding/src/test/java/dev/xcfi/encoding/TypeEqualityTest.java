package dev.xcfi.encoding;

import dev.xcfi.encoding.c.FunctionDeclaration;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.golden.Fixtures;
import dev.xcfi.types.CType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The C type records write out {@code equals} and {@code hashCode} (C1 runs the generated ones
 * several times slower); the substitution dictionary, and so every id, depends on them. Checked
 * here against a reference that compares records component by component, on every type and
 * sub-type of the committed corpora, each header parsed twice so that equal values are also
 * distinct objects.
 */
class TypeEqualityTest {

    @Test
    void writtenEqualsAgreesWithComponentEquality() throws Exception {
        List<Object> values = new ArrayList<>();
        for (Target target : List.of(Target.X86_64_LINUX_GNU, Target.AARCH64_LINUX_GNU, Target.I686_LINUX_GNU)) {
            String text = Files.readString(Fixtures.corpusHeader(target));
            for (int copy = 0; copy < 2; copy++) {
                Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                for (FunctionDeclaration d : HeaderParser.parse(target, "corpus.h", text).functions()) collect(d.type(), seen);
                values.addAll(seen);
            }
        }
        String tricky = Files.readString(Fixtures.c().resolve("tricky.h"));
        for (int copy = 0; copy < 2; copy++) {
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (FunctionDeclaration d : HeaderParser.parse(Target.X86_64_LINUX_GNU, Fixtures.includeDirs(),
                    List.of(new HeaderParser.Input("tricky.h", tricky, Fixtures.c()))).functions()) {
                collect(d.type(), seen);
            }
            values.addAll(seen);
        }
        // every pair would be millions of reflective comparisons: a fixed sample, pairs within it
        Collections.shuffle(values, new Random(7));
        List<Object> sample = values.subList(0, Math.min(values.size(), 1500));
        int equalPairs = 0, pairs = 0;
        for (Object a : sample) {
            for (Object b : sample) {
                boolean expected = componentsEqual(a, b);
                assertThat(a.equals(b)).as("%s equals %s", a, b).isEqualTo(expected);
                if (expected) {
                    assertThat(a.hashCode()).as("hash codes of equal %s and %s", a, b).isEqualTo(b.hashCode());
                    if (a != b) equalPairs++;
                }
                pairs++;
            }
        }
        assertThat(pairs).isGreaterThan(1_000_000);
        assertThat(equalPairs).as("pairs of distinct but equal objects").isGreaterThan(1000);
    }

    /** Every CType, parameter and qualifier set reachable from {@code value}. */
    private static void collect(Object value, Set<Object> seen) throws Exception {
        if (value instanceof List<?> list) {
            for (Object o : list) collect(o, seen);
            return;
        }
        if (!(value instanceof CType || value instanceof FunctionType.Parameter || value instanceof Qualifiers) || !seen.add(value)) return;
        for (RecordComponent c : value.getClass().getRecordComponents()) collect(c.getAccessor().invoke(value), seen);
    }

    /** The equality a record would generate: same class, components equal by this same rule. */
    private static boolean componentsEqual(Object a, Object b) {
        if (a == b) return true;
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!componentsEqual(x.get(i), y.get(i))) return false;
            return true;
        }
        if (a == null || b == null || a.getClass() != b.getClass()) return false;
        if (!a.getClass().isRecord()) return a.equals(b);   // strings, enums, boxed numbers, variable array sizes (identity)
        try {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                if (!componentsEqual(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) return false;
            }
            return true;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
