package dev.xcfi.types.rust;

/** {@code [T]} (only behind a pointer or reference). */
public record Slice(RustType element) implements RustType {
    @Override
    public RustType resolved() {
        RustType r = element.resolved();
        return r == element ? this : new Slice(r);
    }
}
