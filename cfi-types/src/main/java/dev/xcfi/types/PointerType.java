package dev.xcfi.types;

import java.util.Objects;

/** {@code T *}. */
public record PointerType(CType pointee) implements CType {
    public PointerType {
        Objects.requireNonNull(pointee);
    }

    public static PointerType to(CType pointee) {
        return new PointerType(pointee);
    }

    @Override
    public CType canonical() {
        CType c = pointee.canonical();
        return c == pointee ? this : new PointerType(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PointerType p && pointee.equals(p.pointee);
    }

    @Override
    public int hashCode() {
        return 31 * pointee.hashCode() + 1;
    }
}
