package dev.xcfi.encoding;

import dev.xcfi.encoding.c.FunctionDeclaration;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.golden.Fixtures;
import dev.xcfi.types.ArrayType;
import dev.xcfi.types.AtomicType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.CType;
import dev.xcfi.types.ComplexType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.Target;
import dev.xcfi.types.TypedefType;
import dev.xcfi.types.VectorType;
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

    /**
     * {@link CType#isCanonical} answers by {@code instanceof} tests what {@code canonical()} decides:
     * a type is its own canonical type exactly when no typedef is anywhere in it. Checked against a
     * reflective search for typedefs on every kind of type with a typedef at each place, the same
     * types without it, and every type of the corpora; a canonical type is returned as itself.
     */
    @Test
    void aTypeIsCanonicalExactlyWhenNoTypedefIsInIt() throws Exception {
        CType plain = BuiltinType.INT;
        CType named = new TypedefType("T", BuiltinType.INT);
        List<CType> types = new ArrayList<>();
        for (CType t : List.of(plain, named)) {
            types.addAll(List.of(t, new PointerType(t), new QualifiedType(t, Qualifiers.CONST), new ArrayType(t, new ArrayType.Size.Fixed(4)),
                    new AtomicType(t), new ComplexType(t), new VectorType(t, 4), FunctionType.of(t), FunctionType.of(BuiltinType.VOID, BuiltinType.CHAR, t),
                    new PointerType(FunctionType.of(new PointerType(new QualifiedType(t, Qualifiers.VOLATILE)))),
                    FunctionType.of(BuiltinType.VOID, new PointerType(FunctionType.of(BuiltinType.VOID, new PointerType(t))))));
        }
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Target target : List.of(Target.X86_64_LINUX_GNU, Target.I686_LINUX_GNU)) {
            for (FunctionDeclaration d : HeaderParser.parse(target, "corpus.h", Files.readString(Fixtures.corpusHeader(target))).functions()) collect(d.type(), seen);
        }
        for (Object o : seen) if (o instanceof CType t) types.add(t);
        int withTypedef = 0;
        for (CType t : types) {
            boolean expected = !containsTypedef(t);
            assertThat(CType.isCanonical(t)).as("isCanonical(%s)", t).isEqualTo(expected);
            if (expected) assertThat(t.canonical()).as("canonical of %s", t).isSameAs(t);
            else withTypedef++;
            assertThat(containsTypedef(t.canonical())).as("canonical of %s", t).isFalse();
        }
        assertThat(withTypedef).isEqualTo(9);   // FunctionType.of adjusts its parameters, which canonicalizes them: 2 of the 11 lose T
    }

    private static boolean containsTypedef(Object value) throws Exception {
        if (value instanceof TypedefType) return true;
        if (value instanceof List<?> list) {
            for (Object o : list) if (containsTypedef(o)) return true;
            return false;
        }
        if (!(value instanceof CType || value instanceof FunctionType.Parameter)) return false;
        for (RecordComponent c : value.getClass().getRecordComponents()) if (containsTypedef(c.getAccessor().invoke(value))) return true;
        return false;
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
