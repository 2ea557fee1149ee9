package dev.xcfi.types.rust;

/** A {@code fn} pointer type, {@code [unsafe] [extern "ABI"] [for<'a>] fn(A, …) -> R}. */
public record FnPointer(FnSig sig) implements RustType {
    /**
     * The signature a callback parameter of type {@code t} is called with: a fn pointer's, or that of
     * the fn pointer bindgen's nullable callback, {@code Option<extern "C" fn(…)>}, holds; null otherwise.
     */
    public static FnSig callbackSignature(RustType t) {
        if (t.resolved() instanceof FnPointer f) return f.sig();
        RustType held = RustStd.argumentOf(RustStd.OPTION, t);
        return held != null && held.resolved() instanceof FnPointer f ? f.sig() : null;
    }

    @Override
    public RustType resolved() {
        FnSig r = sig.resolved();
        return r == sig ? this : new FnPointer(r);
    }
}
