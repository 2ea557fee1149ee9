package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SyntaxException;
import java.util.List;

/** What a header yields: its function declarations in input order, and the errors met on the way. */
public record ParsedHeader(List<FunctionDeclaration> functions, List<SyntaxException> errors) {
    public ParsedHeader {
        functions = List.copyOf(functions);
        errors = List.copyOf(errors);
    }
}
