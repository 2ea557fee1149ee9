package dev.xcfi.types.rust;

/** {@code &'r T} / {@code &'r mut T}. */
public record Reference(RustType pointee, boolean mutable, Region region) implements RustType {
    @Override
    public RustType resolved() {
        return new Reference(pointee.resolved(), mutable, region);
    }
}
