package dev.xcfi.types.rust;

/** {@code *const T} / {@code *mut T}. */
public record RawPointer(RustType pointee, boolean mutable) implements RustType {
    @Override
    public RustType resolved() {
        RustType r = pointee.resolved();
        return r == pointee ? this : new RawPointer(r, mutable);
    }
}
