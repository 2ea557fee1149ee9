package dev.xcfi.types;

import java.util.Objects;

/**
 * A type with qualifiers. Built only through {@link #of}, which keeps the clang invariants the
 * encoder relies on: the base is never itself qualified, qualifiers never sit on an array (they
 * are pushed onto its element, as C requires), and empty qualifiers leave the type unwrapped.
 */
public record QualifiedType(CType base, Qualifiers qualifiers) implements CType {
    public QualifiedType {
        Objects.requireNonNull(base);
        Objects.requireNonNull(qualifiers);
        if (base instanceof QualifiedType) throw new IllegalArgumentException("nested qualified type");
    }

    public static CType of(CType type, Qualifiers qualifiers) {
        if (qualifiers.isEmpty()) return type;
        // instanceof, not a pattern switch: the parser calls this per qualified parameter, and C1
        // (./xcfi's compiler) runs a type switch about three times slower (C1CostsBenchmark)
        if (type instanceof QualifiedType q) return new QualifiedType(q.base, q.qualifiers.with(qualifiers));
        if (type instanceof ArrayType a) return new ArrayType(of(a.element(), qualifiers), a.size());
        // A typedef of an array keeps its name for printing but must canonicalize like the array.
        if (type instanceof TypedefType t && t.canonical() instanceof ArrayType) return of(t.canonical(), qualifiers);
        return new QualifiedType(type, qualifiers);
    }

    @Override
    public CType canonical() {
        CType c = base.canonical();
        return c == base ? this : of(c, qualifiers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QualifiedType q && qualifiers.equals(q.qualifiers) && base.equals(q.base);
    }

    @Override
    public int hashCode() {
        return 31 * base.hashCode() + qualifiers.hashCode();
    }
}
