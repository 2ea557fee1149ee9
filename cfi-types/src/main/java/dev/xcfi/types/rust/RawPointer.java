package dev.xcfi.types.rust;

/** {@code *const T} / {@code *mut T}. */
public record RawPointer(RustType pointee, boolean mutable) implements RustType {
    @Override
    public RustType resolved() {
        return new RawPointer(pointee.resolved(), mutable);
    }
}
