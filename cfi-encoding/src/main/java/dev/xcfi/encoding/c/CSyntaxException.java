package dev.xcfi.encoding.c;

/** A syntax error at a source location; the parser recovers at the next declaration. */
public final class CSyntaxException extends RuntimeException {
    private final SourceLocation location;

    public CSyntaxException(SourceLocation location, String message) {
        super(message);
        this.location = location;
    }

    public SourceLocation location() {
        return location;
    }

    /** {@code file:line:col: error: message}, the form compilers and editors understand. */
    public String diagnostic() {
        return location + ": error: " + getMessage();
    }
}
