package dev.xcfi.encoding.c;

/** A preprocessing token. */
public record Token(Kind kind, String text, SourceLocation location, boolean startsLine) {
    public enum Kind { IDENTIFIER, NUMBER, STRING, CHARACTER, PUNCTUATOR, END }

    public boolean is(String s) {
        return text.equals(s) && kind != Kind.STRING && kind != Kind.CHARACTER;
    }

    public boolean isIdentifier() {
        return kind == Kind.IDENTIFIER;
    }

    Token at(SourceLocation where) {
        return new Token(kind, text, where, startsLine);
    }
}
