package dev.xcfi.types.rust;

/** A generic type parameter inside an ADT's definition (replaced by the argument when used). */
public record Param(int index, String name) implements RustType {
    @Override
    public RustType resolved() {
        return this;
    }
}
