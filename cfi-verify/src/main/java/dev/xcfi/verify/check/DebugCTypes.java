package dev.xcfi.verify.check;

import dev.xcfi.types.ArrayType;
import dev.xcfi.types.AtomicType;
import dev.xcfi.types.BitIntType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.CType;
import dev.xcfi.types.ComplexType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.TagType;
import dev.xcfi.types.VectorType;
import dev.xcfi.verify.facts.DebugType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a function type from debug information back as the C type it was written as, so that its
 * KCFI hash can be computed and compared. Debug information keeps what an id needs — builtin
 * names, qualifiers, struct, union and enum tags, typedef names of anonymous records, array
 * bounds, vectors — but not everything: a calling convention, an address space or
 * {@code _Noreturn} is not read, and {@code void f()} and C23's {@code void f(...)} look alike
 * (both are offered). So a type read here is only a candidate; a name is believed only when its
 * hash is the hash the compiler wrote ({@link KcfiNames}).
 */
final class DebugCTypes {
    private static final Map<String, CType> BUILTINS = new HashMap<>();

    static {
        for (BuiltinType.Kind k : BuiltinType.Kind.values()) {
            if (k != BuiltinType.Kind.VOID && k != BuiltinType.Kind.NULLPTR) BUILTINS.put(k.spelling(), BuiltinType.of(k));
        }
        BUILTINS.put("long int", BuiltinType.of(BuiltinType.Kind.LONG));   // GCC's spellings, in case
        BUILTINS.put("long unsigned int", BuiltinType.of(BuiltinType.Kind.UNSIGNED_LONG));
    }

    private DebugCTypes() {}

    /** The C function types {@code f} may be; empty when some part is not C as clang writes it. */
    static List<FunctionType> of(DebugType.Function f) {
        try {
            CType result = type(f.types().getFirst());
            List<DebugType> rest = f.types().subList(1, f.types().size());
            boolean more = !rest.isEmpty() && rest.getLast() instanceof DebugType.None;
            List<DebugType> fixed = more ? rest.subList(0, rest.size() - 1) : rest;
            CType[] parameters = new CType[fixed.size()];
            for (int i = 0; i < parameters.length; i++) parameters[i] = type(fixed.get(i));
            // Without parameters, "(void)" and a K&R definition's "()" look alike too.
            if (!more) return parameters.length > 0 ? List.of(FunctionType.of(result, parameters))
                    : List.of(FunctionType.of(result), FunctionType.unprototyped(result));
            if (parameters.length > 0) return List.of(FunctionType.variadic(result, parameters));
            return List.of(FunctionType.unprototyped(result), FunctionType.variadic(result));
        } catch (NotC e) {
            return List.of();
        }
    }

    private static CType type(DebugType t) throws NotC {
        if (t instanceof DebugType.None) return BuiltinType.VOID;
        if (t instanceof DebugType.Basic b) return basic(b);
        if (t instanceof DebugType.Derived d) return derived(d);
        if (t instanceof DebugType.Composite c) return composite(c);
        if (t instanceof DebugType.Function f) {
            // a function type inside another: "()" is C's unprototyped form far more often than C23's "(...)"
            List<FunctionType> candidates = of(f);
            if (candidates.isEmpty()) throw new NotC();
            return candidates.getFirst();
        }
        throw new NotC();
    }

    private static CType basic(DebugType.Basic b) throws NotC {
        CType builtin = BUILTINS.get(b.name());
        if (builtin != null) return builtin;
        if (b.name().equals(DebugType.Basic.COMPLEX)) {
            // clang names every _Complex type "complex"; its size says which (two parts)
            return switch ((int) b.bits()) {
                case 64 -> new ComplexType(BuiltinType.of(BuiltinType.Kind.FLOAT));
                case 128 -> new ComplexType(BuiltinType.of(BuiltinType.Kind.DOUBLE));
                default -> new ComplexType(BuiltinType.of(BuiltinType.Kind.LONG_DOUBLE));
            };
        }
        String name = b.name();
        boolean unsigned = name.startsWith("unsigned _BitInt(");
        String bits = unsigned ? name.substring("unsigned _BitInt(".length()) : name.startsWith("_BitInt(") ? name.substring("_BitInt(".length()) : null;
        if (bits != null && bits.endsWith(")")) {
            try {
                return new BitIntType(!unsigned, Integer.parseInt(bits.substring(0, bits.length() - 1)));
            } catch (IllegalArgumentException e) {
                throw new NotC();
            }
        }
        throw new NotC();
    }

    private static CType derived(DebugType.Derived d) throws NotC {
        return switch (d.tag()) {
            case DebugType.POINTER -> PointerType.to(type(d.base()));
            case DebugType.CONST -> QualifiedType.of(type(d.base()), Qualifiers.CONST);
            case DebugType.VOLATILE -> QualifiedType.of(type(d.base()), Qualifiers.VOLATILE);
            case DebugType.RESTRICT -> QualifiedType.of(type(d.base()), Qualifiers.RESTRICT);
            case DebugType.ATOMIC -> new AtomicType(type(d.base()));
            // A typedef is transparent to ids, except that it names the anonymous record it stands for.
            case DebugType.TYPEDEF -> d.base() instanceof DebugType.Composite c && c.name().isEmpty() && c.tag() != DebugType.ARRAY
                    ? TagType.named(tagKind(c.tag()), d.name()) : type(d.base());
            default -> throw new NotC();
        };
    }

    private static CType composite(DebugType.Composite c) throws NotC {
        if (c.tag() != DebugType.ARRAY) {
            if (c.name().isEmpty()) throw new NotC();   // no linkage: clang's id is a node of its own
            // AAPCS's va_list is clang's std::__va_list (St9__va_list); debug information drops the namespace
            if (c.tag() == DebugType.STRUCTURE && c.name().equals("__va_list")) return TagType.std(TagType.Kind.STRUCT, c.name());
            return TagType.declared(tagKind(c.tag()), c.name());
        }
        CType element = type(c.element());
        if (c.counts().isEmpty()) throw new NotC();
        if (c.vector()) {
            if (c.counts().size() != 1 || c.counts().getFirst() <= 0) throw new NotC();
            return new VectorType(element, (int) (long) c.counts().getFirst());
        }
        List<Long> counts = new ArrayList<>(c.counts());
        CType t = element;
        for (int i = counts.size() - 1; i >= 0; i--) {
            long n = counts.get(i);
            if (n < 0 && i > 0) throw new NotC();   // only the outermost bound may be missing
            t = new ArrayType(t, n < 0 ? ArrayType.Size.INCOMPLETE : new ArrayType.Size.Fixed(n));
        }
        return t;
    }

    private static TagType.Kind tagKind(int tag) throws NotC {
        return switch (tag) {
            case DebugType.STRUCTURE -> TagType.Kind.STRUCT;
            case DebugType.UNION -> TagType.Kind.UNION;
            case DebugType.ENUMERATION -> TagType.Kind.ENUM;
            default -> throw new NotC();
        };
    }

    /** A part debug information spells that is not one of C's types as clang writes them. */
    private static final class NotC extends Exception {
        NotC() {
            super(null, null, false, false);
        }
    }
}
