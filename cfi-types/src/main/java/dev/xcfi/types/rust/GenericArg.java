package dev.xcfi.types.rust;

/** A generic argument of an ADT: a type, a lifetime or a const. */
public sealed interface GenericArg {
    record Type(RustType type) implements GenericArg {}

    record Lifetime(Region region) implements GenericArg {}

    /** A const argument; {@code value} is its Rust literal ({@code 4}, {@code -1}, {@code true}). */
    record Const(RustType type, String value) implements GenericArg {}
}
