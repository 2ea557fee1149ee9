package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.types.rust.FnSig;

/**
 * A signature rustc gives an id to, in input order: a {@code type X = fn…;} alias (the id tested at
 * calls through it), a function in an {@code extern} block, a free {@code fn} item, or a struct
 * or union field of fn-pointer type ({@code Ops.read}: {@code fn…} or {@code Option<fn…>}, as
 * bindgen writes C's function-pointer members; the id tested at calls through the field).
 */
public record RustDeclaration(String name, Kind kind, FnSig signature, SourceLocation location) {
    public enum Kind { FN_POINTER_TYPE, EXTERN_FN, FN, MEMBER }
}
