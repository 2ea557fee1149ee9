package dev.xcfi.types.rust;

/** A {@code fn} pointer type, {@code [unsafe] [extern "ABI"] [for<'a>] fn(A, …) -> R}. */
public record FnPointer(FnSig sig) implements RustType {
    @Override
    public RustType resolved() {
        FnSig r = sig.resolved();
        return r == sig ? this : new FnPointer(r);
    }
}
