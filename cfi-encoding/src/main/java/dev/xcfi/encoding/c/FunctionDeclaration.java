package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.types.FunctionType;

/** A function declared (or defined) in a header, in input order. */
public record FunctionDeclaration(String name, FunctionType type, SourceLocation location) {}
