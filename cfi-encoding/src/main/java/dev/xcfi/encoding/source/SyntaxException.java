package dev.xcfi.encoding.source;

/** A syntax error at a source location; the parser recovers at the next declaration. */
public final class SyntaxException extends RuntimeException {
    private final SourceLocation location;

    public SyntaxException(SourceLocation location, String message) {
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
