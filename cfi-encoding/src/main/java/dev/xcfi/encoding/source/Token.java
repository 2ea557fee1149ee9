package dev.xcfi.encoding.source;

/**
 * A preprocessing token. The location is kept as plain fields (not a {@link SourceLocation} object):
 * a large header has millions of tokens, and one object per token instead of two halves the
 * garbage-collection work of parsing.
 */
public record Token(Kind kind, String text, String file, int line, int column, boolean startsLine) {
    /**
     * {@code UNEXPANDED}: where a macro invocation stood that the preprocessor reported and could not
     * expand; the declaration holding it is broken, and its error already said.
     */
    public enum Kind { IDENTIFIER, LIFETIME, NUMBER, STRING, CHARACTER, PUNCTUATOR, UNEXPANDED, END }

    public Token(Kind kind, String text, SourceLocation at, boolean startsLine) {
        this(kind, text, at.file(), at.line(), at.column(), startsLine);
    }

    public SourceLocation location() {
        return new SourceLocation(file, line, column);
    }

    public boolean is(String s) {
        // Most tests fail (is this '(' ? is it "__attribute__" ?): lengths, then the hashes Strings
        // keep, settle those without looking at the characters.
        return (text == s || text.length() == s.length() && text.hashCode() == s.hashCode() && text.equals(s))
                && kind != Kind.STRING && kind != Kind.CHARACTER;
    }

    public boolean isIdentifier() {
        return kind == Kind.IDENTIFIER;
    }

    public Token at(Token where) {
        return new Token(kind, text, where.file, where.line, where.column, startsLine);
    }
}
