package dev.xcfi.encoding.c;

import java.util.List;

/** What a header yields: its function declarations in input order, and the errors met on the way. */
public record ParsedHeader(List<FunctionDeclaration> functions, List<CSyntaxException> errors) {
    public ParsedHeader {
        functions = List.copyOf(functions);
        errors = List.copyOf(errors);
    }
}
