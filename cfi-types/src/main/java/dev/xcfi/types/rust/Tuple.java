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
        return elements.isEmpty() ? this : new Tuple(elements.stream().map(RustType::resolved).toList());
    }
}
