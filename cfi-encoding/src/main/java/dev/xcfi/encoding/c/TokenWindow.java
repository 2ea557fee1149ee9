package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The parser's view of the token stream: tokens by absolute position, pulled from the
 * preprocessor as the parser looks ahead, and dropped once a declaration is done with them
 * ({@link #release}), so the parser may go back to the start of the declaration it is in (to
 * recover from an error there) but memory holds only that declaration's tokens.
 */
final class TokenWindow {
    private final Supplier<Token> source;
    private final List<Token> tokens = new ArrayList<>();
    /** The absolute position of {@code tokens.get(0)}. */
    private int base;
    private Token end;

    TokenWindow(Supplier<Token> source) {
        this.source = source;
    }

    /** The token at {@code position}; the END token for any position at or past the end. */
    Token get(int position) {
        int i = position - base;
        while (i >= tokens.size()) {
            if (end != null) return end;
            Token t = source.get();
            if (t.kind() == Token.Kind.END) {
                end = t;
                return t;
            }
            tokens.add(t);
        }
        if (i < 0) throw new IllegalStateException("token " + position + " was released");
        return tokens.get(i);
    }

    /** Forgets the tokens before {@code position}. */
    void release(int position) {
        int n = Math.min(position - base, tokens.size());
        if (n <= 0) return;
        if (n == tokens.size()) tokens.clear();
        else tokens.subList(0, n).clear();
        base += n;
    }
}
