package dev.xcfi.types;

import java.util.Objects;

/** {@code _Complex T}. */
public record ComplexType(CType element) implements CType {
    public ComplexType {
        Objects.requireNonNull(element);
    }

    @Override
    public CType canonical() {
        CType c = element.canonical();
        return c == element ? this : new ComplexType(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComplexType c && element.equals(c.element);
    }

    @Override
    public int hashCode() {
        return 31 * element.hashCode() + 3;
    }
}
