package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.source.SyntaxException;

import java.util.List;

/**
 * What a Rust source yields: its declarations in input order, the fn-pointer fields of its structs
 * and unions ({@link RustDeclaration.Kind#MEMBER}; not declarations of their own, so
 * {@code encode} does not list them), and the errors met on the way.
 */
public record ParsedRust(List<RustDeclaration> declarations, List<RustDeclaration> members, List<SyntaxException> errors) {
    public ParsedRust {
        declarations = List.copyOf(declarations);
        members = List.copyOf(members);
        errors = List.copyOf(errors);
    }
}
