package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;

import java.util.ArrayList;
import java.util.List;

/**
 * Rust tokens, as far as declarations need them: identifiers (also {@code r#raw}), lifetimes,
 * numbers, string and char literals (raw and byte forms), and punctuation. {@code >} is always
 * its own token so nested generics ({@code Option<Vec<u8>>}) close one level at a time.
 */
final class RustLexer {
    private static final String[] MULTI = {"::", "->", "=>", "...", "..=", ".."};

    private final String file;
    private final String src;
    private int pos;
    private int line = 1;
    private int col = 1;

    private RustLexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    static List<Token> tokenize(String file, String src) {
        return new RustLexer(file, src).all();
    }

    private List<Token> all() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                out.add(new Token(Token.Kind.END, "", file, line, col, true));
                return out;
            }
            int l = line, c = col, start = pos;
            char ch = src.charAt(pos);
            Token.Kind kind;
            if (ch == 'r' && src.startsWith("r#", pos) && pos + 2 < src.length() && isIdentStart(src.charAt(pos + 2))) {
                advance(2);
                start = pos;
                while (pos < src.length() && isIdentPart(src.charAt(pos))) advance(1);
                kind = Token.Kind.IDENTIFIER;
            } else if ((ch == 'r' || ch == 'b') && rawOrByteString()) {
                kind = Token.Kind.STRING;
            } else if (isIdentStart(ch)) {
                while (pos < src.length() && isIdentPart(src.charAt(pos))) advance(1);
                kind = Token.Kind.IDENTIFIER;
            } else if (Character.isDigit(ch)) {
                while (pos < src.length() && (isIdentPart(src.charAt(pos))
                        || (src.charAt(pos) == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))))) advance(1);
                kind = Token.Kind.NUMBER;
            } else if (ch == '"') {
                quoted('"', l, c);
                kind = Token.Kind.STRING;
            } else if (ch == '\'') {
                // 'a' and '\n' are chars; 'a (no closing quote right after one char) is a lifetime.
                boolean isChar = pos + 2 < src.length() && (src.charAt(pos + 1) == '\\' || src.charAt(pos + 2) == '\'');
                if (isChar) {
                    quoted('\'', l, c);
                    kind = Token.Kind.CHARACTER;
                } else {
                    advance(1);
                    while (pos < src.length() && isIdentPart(src.charAt(pos))) advance(1);
                    kind = Token.Kind.LIFETIME;
                }
            } else {
                String p = null;
                for (String m : MULTI) if (src.startsWith(m, pos)) {
                    p = m;
                    break;
                }
                advance(p == null ? 1 : p.length());
                kind = Token.Kind.PUNCTUATOR;
            }
            out.add(new Token(kind, src.substring(start, pos), file, l, c, false));
        }
    }

    private boolean rawOrByteString() {
        int p = pos;
        if (src.charAt(p) == 'b') p++;
        boolean raw = p < src.length() && src.charAt(p) == 'r';
        if (raw) p++;
        int hashes = 0;
        while (raw && p < src.length() && src.charAt(p) == '#') {
            hashes++;
            p++;
        }
        if (p >= src.length() || (src.charAt(p) != '"' && !(src.charAt(pos) == 'b' && !raw && src.charAt(p) == '\''))) return false;
        int l = line, c = col;
        advance(p - pos);
        if (!raw) {
            quoted(src.charAt(pos), l, c);
            return true;
        }
        String close = "\"" + "#".repeat(hashes);
        int end = src.indexOf(close, pos + 1);
        if (end < 0) throw new SyntaxException(new SourceLocation(file, l, c), "unterminated raw string");
        advance(end + close.length() - pos);
        return true;
    }

    private void quoted(char q, int l, int c) {
        advance(1);
        while (pos < src.length() && src.charAt(pos) != q) advance(src.charAt(pos) == '\\' ? 2 : 1);
        if (pos >= src.length()) throw new SyntaxException(new SourceLocation(file, l, c), "unterminated " + (q == '"' ? "string" : "character") + " literal");
        advance(1);
    }

    private void skipSpace() {
        while (pos < src.length()) {
            char ch = src.charAt(pos);
            if (Character.isWhitespace(ch)) {
                advance(1);
            } else if (src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') advance(1);
            } else if (src.startsWith("/*", pos)) {   // block comments nest in Rust
                int l = line, c = col, depth = 0;
                do {
                    if (src.startsWith("/*", pos)) {
                        depth++;
                        advance(2);
                    } else if (src.startsWith("*/", pos)) {
                        depth--;
                        advance(2);
                    } else {
                        advance(1);
                    }
                    if (pos >= src.length() && depth > 0) throw new SyntaxException(new SourceLocation(file, l, c), "unterminated block comment");
                } while (depth > 0);
            } else {
                return;
            }
        }
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private void advance(int n) {
        for (int i = 0; i < n && pos < src.length(); i++) {
            if (src.charAt(pos) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
            pos++;
        }
    }
}
