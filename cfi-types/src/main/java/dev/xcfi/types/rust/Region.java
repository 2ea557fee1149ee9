package dev.xcfi.types.rust;

/**
 * A lifetime as rustc's encoder keys it. In a top-level signature every region is erased; inside
 * a nested {@code fn} pointer type the elided and {@code for<'a>} lifetimes are bound by that
 * pointer's binder, and a reference with a bound region is a different dictionary entry from one
 * with an erased region.
 *
 * @param debruijn  binder depth, counted outwards from the innermost binder (-1 = erased)
 * @param index     the bound variable's index in its binder
 */
public record Region(int debruijn, int index) {
    public static final Region ERASED = new Region(-1, 0);

    public static Region bound(int debruijn, int index) {
        return new Region(debruijn, index);
    }

    public boolean isErased() {
        return debruijn < 0;
    }
}
