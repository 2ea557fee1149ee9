package dev.xcfi.types.rust;

/** {@code [T; N]}. */
public record ArrayType(RustType element, long length) implements RustType {
    @Override
    public RustType resolved() {
        return new ArrayType(element.resolved(), length);
    }
}
