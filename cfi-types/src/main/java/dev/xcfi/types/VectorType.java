package dev.xcfi.types;

import java.util.Objects;

/** A GNU vector ({@code __attribute__((vector_size(N)))}): {@code count} elements. */
public record VectorType(CType element, int count) implements CType {
    public VectorType {
        Objects.requireNonNull(element);
        if (count <= 0) throw new IllegalArgumentException("vector element count " + count);
    }

    @Override
    public CType canonical() {
        CType c = element.canonical();
        return c == element ? this : new VectorType(c, count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorType v && count == v.count && element.equals(v.element);
    }

    @Override
    public int hashCode() {
        return 31 * element.hashCode() + count;
    }
}
