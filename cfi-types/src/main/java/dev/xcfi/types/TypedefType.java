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

    @Override
    public boolean equals(Object o) {
        return o instanceof TypedefType t && name.equals(t.name) && aliased.equals(t.aliased);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + aliased.hashCode();
    }
}
