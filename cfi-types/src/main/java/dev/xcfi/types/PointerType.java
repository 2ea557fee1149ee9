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
}
