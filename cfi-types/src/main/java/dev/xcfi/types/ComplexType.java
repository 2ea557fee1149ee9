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
}
