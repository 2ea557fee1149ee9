package dev.xcfi.types;

import java.util.Objects;

/** {@code _Atomic(T)}: a type of its own in clang, not a qualifier, so it survives on parameters. */
public record AtomicType(CType value) implements CType {
    public AtomicType {
        Objects.requireNonNull(value);
    }

    @Override
    public CType canonical() {
        CType c = value.canonical();
        return c == value ? this : new AtomicType(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AtomicType a && value.equals(a.value);
    }

    @Override
    public int hashCode() {
        return 31 * value.hashCode() + 2;
    }
}
