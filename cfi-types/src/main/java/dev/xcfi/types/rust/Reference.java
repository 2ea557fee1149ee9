package dev.xcfi.types.rust;

/** {@code &'r T} / {@code &'r mut T}. */
public record Reference(RustType pointee, boolean mutable, Region region) implements RustType {
    @Override
    public RustType resolved() {
        RustType r = pointee.resolved();
        return r == pointee ? this : new Reference(r, mutable, region);
    }
}
