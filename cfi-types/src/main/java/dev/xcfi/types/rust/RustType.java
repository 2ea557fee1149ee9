package dev.xcfi.types.rust;

/**
 * A Rust type as rustc's CFI encoder sees it. Immutable values with structural equality, which
 * is the identity rustc's substitution dictionary uses (regions included).
 *
 * <p>{@link Alias} keeps what was written ({@code c_long}, {@code c_void}, a {@code type} alias)
 * while {@link #resolved()} gives what rustc encodes: that is how xcfi can say "this was
 * {@code c_long}, rustc saw {@code i64}".
 */
public sealed interface RustType
        permits Scalar, Tuple, ArrayType, Slice, RawPointer, Reference, FnPointer, Adt, Foreign, Alias, Param, DynTrait, NonZero {

    /** The type with every alias looked through (what rustc encodes). */
    RustType resolved();

    /** The unit type {@code ()}. */
    Tuple UNIT = new Tuple(java.util.List.of());
}
