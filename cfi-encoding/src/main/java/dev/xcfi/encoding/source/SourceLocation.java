package dev.xcfi.encoding.source;

/** A position in source text, 1-based, printed {@code file:line:col} as compilers do. */
public record SourceLocation(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
