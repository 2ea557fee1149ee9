package dev.xcfi.types;

import java.util.Objects;

/** A typedef name: transparent for CFI (ids use canonical types), kept for printing. */
public record TypedefType(String name, CType aliased) implements CType {
    public TypedefType {
        Objects.requireNonNull(name);
        Objects.requireNonNull(aliased);
    }

    @Override
    public CType canonical() {
        return aliased.canonical();
    }
}
