package dev.xcfi.types.rust;

import java.util.List;

/** {@code (A, B, …)}; the empty tuple is unit, {@code ()}. */
public record Tuple(List<RustType> elements) implements RustType {
    public Tuple {
        elements = List.copyOf(elements);
    }

    public boolean isUnit() {
        return elements.isEmpty();
    }

    @Override
    public RustType resolved() {
        for (RustType e : elements) {
            if (e.resolved() != e) return new Tuple(elements.stream().map(RustType::resolved).toList());
        }
        return this;
    }
}
