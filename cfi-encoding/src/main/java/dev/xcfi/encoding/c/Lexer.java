package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits C source into preprocessing tokens with their locations. Comments and line
 * continuations disappear here; {@link Token#startsLine()} lets the preprocessor find directives.
 */
final class Lexer {
    private static final String[] PUNCTUATORS = {
            "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
            "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##", "::", "[[", "]]",
    };

    private final String file;
    private final String src;
    private int pos;
    private int line = 1;
    private int col = 1;

    Lexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    static List<Token> tokenize(String file, String src) {
        return new Lexer(file, src).all();
    }

    private List<Token> all() {
        List<Token> out = new ArrayList<>(src.length() / 4 + 16);
        boolean lineStart = true;
        while (true) {
            boolean newline = skipSpace();
            lineStart |= newline;
            if (pos >= src.length()) {
                out.add(new Token(Token.Kind.END, "", file, line, col, true));
                return out;
            }
            int atLine = line, atColumn = col;
            char c = src.charAt(pos);
            Token.Kind kind;
            int start = pos;
            if (Character.isLetter(c) || c == '_' || c == '$') {
                while (pos < src.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '$')) advance();
                kind = Token.Kind.IDENTIFIER;
                // An encoding prefix makes the identifier part of a string or character literal.
                if (pos < src.length() && (peek() == '"' || peek() == '\'') && isEncodingPrefix(src.substring(start, pos))) {
                    kind = quoted(peek(), new SourceLocation(file, atLine, atColumn));
                }
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
                while (pos < src.length() && (Character.isLetterOrDigit(peek()) || peek() == '.' || peek() == '\''
                        || ((peek() == '+' || peek() == '-') && "eEpP".indexOf(src.charAt(pos - 1)) >= 0))) advance();
                kind = Token.Kind.NUMBER;
            } else if (c == '"' || c == '\'') {
                kind = quoted(c, new SourceLocation(file, atLine, atColumn));
            } else {
                String p = punctuator(c);
                for (int i = 0; i < p.length(); i++) advance();
                out.add(new Token(Token.Kind.PUNCTUATOR, p, file, atLine, atColumn, lineStart));
                lineStart = false;
                continue;
            }
            String text = src.substring(start, pos);
            if (text.indexOf('\\') >= 0) text = text.replace("\\\n", "");
            // Identifiers share one String per spelling, so keyword tests are mostly identity checks.
            if (kind == Token.Kind.IDENTIFIER) text = names.computeIfAbsent(text, k -> k);
            out.add(new Token(kind, text, file, atLine, atColumn, lineStart));
            lineStart = false;
        }
    }

    /** The longest punctuator at the current position; its text is a shared constant. */
    private String punctuator(char c) {
        for (String cand : PUNCTUATORS) {
            if (cand.charAt(0) == c && src.startsWith(cand, pos)) return cand;
        }
        String single = SINGLE[c & 0x7F];
        return c < 0x80 && single != null ? single : String.valueOf(c);
    }

    private static final String[] SINGLE = new String[128];

    static {
        for (char ch = 0; ch < 128; ch++) {
            if (!Character.isLetterOrDigit(ch) && !Character.isWhitespace(ch) && ch > ' ') SINGLE[ch] = String.valueOf(ch).intern();
        }
    }

    private final java.util.HashMap<String, String> names = new java.util.HashMap<>();

    private static boolean isEncodingPrefix(String s) {
        return s.equals("L") || s.equals("u") || s.equals("U") || s.equals("u8");
    }

    private Token.Kind quoted(char q, SourceLocation at) {
        advance();
        while (pos < src.length() && peek() != q) {
            if (peek() == '\n') throw new SyntaxException(at, "missing terminating " + q + " character");
            if (peek() == '\\') advance();
            advance();
        }
        if (pos >= src.length()) throw new SyntaxException(at, "missing terminating " + q + " character");
        advance();
        return q == '"' ? Token.Kind.STRING : Token.Kind.CHARACTER;
    }

    /** Skips blanks and comments; returns true if a newline was crossed. */
    private boolean skipSpace() {
        boolean newline = false;
        while (pos < src.length()) {
            char c = peek();
            if (c == '\n') {
                newline = true;
                advance();
            } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                advance();
                advance();
            } else if (Character.isWhitespace(c)) {
                advance();
            } else if (src.startsWith("//", pos)) {
                while (pos < src.length() && peek() != '\n') advance();
            } else if (src.startsWith("/*", pos)) {
                SourceLocation at = here();
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) throw new SyntaxException(at, "unterminated /* comment");
                while (pos < end + 2) {
                    if (peek() == '\n') newline = true;
                    advance();
                }
            } else {
                break;
            }
        }
        return newline;
    }

    private char peek() {
        return src.charAt(pos);
    }

    private void advance() {
        if (src.charAt(pos) == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        pos++;
    }

    private SourceLocation here() {
        return new SourceLocation(file, line, col);
    }
}
