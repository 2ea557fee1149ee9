package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.source.SyntaxException;

import java.util.List;

/** What a Rust source yields: its declarations in input order and the errors met on the way. */
public record ParsedRust(List<RustDeclaration> declarations, List<SyntaxException> errors) {
    public ParsedRust {
        declarations = List.copyOf(declarations);
        errors = List.copyOf(errors);
    }
}
