package dev.xcfi.types.rust;

import java.util.List;

/**
 * A function signature: what a {@code fn} pointer type, an {@code extern} declaration or a
 * {@code fn} item has. {@code boundRegions} is how many late-bound lifetimes its binder has
 * ({@code for<'a>} and elided ones in a nested fn pointer type).
 */
public record FnSig(List<RustType> inputs, RustType output, boolean cVariadic, Abi abi, boolean unsafe, int boundRegions) {
    public FnSig {
        inputs = List.copyOf(inputs);
    }

    public static FnSig of(Abi abi, RustType output, RustType... inputs) {
        return new FnSig(List.of(inputs), output, false, abi, false, 0);
    }

    public FnSig resolved() {
        boolean same = output.resolved() == output;
        for (RustType t : inputs) same &= t.resolved() == t;
        return same ? this : new FnSig(inputs.stream().map(RustType::resolved).toList(), output.resolved(), cVariadic, abi, unsafe, boundRegions);
    }
}
