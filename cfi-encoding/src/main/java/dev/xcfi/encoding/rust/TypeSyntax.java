package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.source.Token;

import java.util.List;

/** A Rust type as written, before names are resolved (pass 1 of {@link RustParser}). */
sealed interface TypeSyntax {
    Token at();

    /** {@code a::b::C<args>}; each segment may carry generic arguments. */
    record Path(Token at, List<String> segments, List<GenericSyntax> args) implements TypeSyntax {}

    record Ref(Token at, String lifetime, boolean mutable, TypeSyntax pointee) implements TypeSyntax {}

    record Ptr(Token at, boolean mutable, TypeSyntax pointee) implements TypeSyntax {}

    record Array(Token at, TypeSyntax element, List<Token> length) implements TypeSyntax {}

    record Slice(Token at, TypeSyntax element) implements TypeSyntax {}

    record Tuple(Token at, List<TypeSyntax> elements) implements TypeSyntax {}

    record Never(Token at) implements TypeSyntax {}

    record Fn(Token at, String abi, boolean unsafe, List<String> forLifetimes, List<TypeSyntax> params, boolean variadic,
              TypeSyntax ret) implements TypeSyntax {}

    /** {@code dyn Bound + Bound + 'a}. */
    record Dyn(Token at, List<TraitBound> bounds, String lifetime) implements TypeSyntax {}

    /**
     * A trait bound: a path with generic arguments (which may bind associated types), or the
     * {@code Fn(A, B) -> R} sugar ({@code fnParams} non-null).
     */
    record TraitBound(Token at, List<String> segments, List<GenericSyntax> args, List<TypeSyntax> fnParams, TypeSyntax fnReturn) {}

    /** A generic argument as written: a type, a lifetime, or a const expression's tokens. */
    sealed interface GenericSyntax {
        record Type(TypeSyntax type) implements GenericSyntax {}

        /** {@code Assoc = T} inside a trait's arguments. */
        record Binding(Token at, String name, TypeSyntax type) implements GenericSyntax {}

        record Lifetime(Token at, String name) implements GenericSyntax {}

        record Const(Token at, List<Token> tokens) implements GenericSyntax {}
    }
}
