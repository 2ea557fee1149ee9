package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.Token;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The parser's view of the token stream: tokens by absolute position, pulled from the
 * preprocessor as the parser looks ahead, and dropped once a declaration is done with them
 * ({@link #release}), so the parser may go back to the start of the declaration it is in (to
 * recover from an error there) but memory holds only that declaration's tokens.
 */
final class TokenWindow {
    private final Supplier<Token> source;
    private Token[] tokens = new Token[256];
    private int count;
    /** The absolute position of {@code tokens[0]}. */
    private int base;
    private Token end;

    TokenWindow(Supplier<Token> source) {
        this.source = source;
    }

    /** The token at {@code position}; the END token for any position at or past the end. */
    Token get(int position) {
        int i = position - base;
        return i < count && i >= 0 ? tokens[i] : pull(position);
    }

    private Token pull(int position) {
        int i = position - base;
        if (i < 0) throw new IllegalStateException("token " + position + " was released");
        while (i >= count) {
            if (end != null) return end;
            Token t = source.get();
            if (t.kind() == Token.Kind.END) {
                end = t;
                return t;
            }
            if (count == tokens.length) tokens = Arrays.copyOf(tokens, count * 2);
            tokens[count++] = t;
        }
        return tokens[i];
    }

    /** Forgets the tokens before {@code position}. */
    void release(int position) {
        int n = Math.min(position - base, count);
        if (n <= 0) return;
        System.arraycopy(tokens, n, tokens, 0, count - n);
        Arrays.fill(tokens, count - n, count, null);
        count -= n;
        base += n;
    }
}
