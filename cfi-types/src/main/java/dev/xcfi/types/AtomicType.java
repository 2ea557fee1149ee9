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
}
