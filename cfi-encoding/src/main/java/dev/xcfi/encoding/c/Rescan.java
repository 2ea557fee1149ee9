package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Tokens as C rescans them (C11 6.10.3.4): each macro's replacement is read before the tokens that
 * followed its invocation, and then those, so an invocation can begin inside one replacement and
 * take its arguments from what comes after it (Linux's
 * {@code __PASTE(_DECLARE_STATIC_KEY_, IS_ENABLED(cfg))(name)}). A macro is disabled while its
 * replacement is still being read, as clang keeps a macro's context until its last token is past.
 */
final class Rescan {
    /** The replacements being read, innermost last; the first is the list the expansion began with. */
    private final List<List<Token>> lists = new ArrayList<>();
    /** The macro each list replaces (null for the first). */
    private final List<String> macros = new ArrayList<>();
    private int[] positions = new int[8];
    private final Set<String> disabled;

    /** @param disabled macros not to expand; shared with the caller, and as it was when this is read to its end */
    Rescan(List<Token> tokens, Set<String> disabled) {
        this.disabled = disabled;
        lists.add(tokens);
        macros.add(null);
    }

    /** The macros not expanded here now: those given and those whose replacement is being read. */
    Set<String> disabled() {
        return disabled;
    }

    /** The next token, or null at the end of them all. */
    Token next() {
        if (!atToken()) return null;
        int top = lists.size() - 1;
        return lists.get(top).get(positions[top]++);
    }

    /** Whether the next token is {@code text}; lists read to their end are left first (their macros enabled again). */
    boolean nextIs(String text) {
        if (!atToken()) return false;
        int top = lists.size() - 1;
        return lists.get(top).get(positions[top]).is(text);
    }

    /** Reads {@code macro}'s replacement next, the macro disabled until it is read. */
    void push(List<Token> replacement, String macro) {
        int top = lists.size();
        if (top == positions.length) positions = Arrays.copyOf(positions, top * 2);
        positions[top] = 0;
        lists.add(replacement);
        macros.add(macro);
        disabled.add(macro);
    }

    /**
     * A function-like macro's arguments, from the {@code (} next to the matching {@code )}, which may
     * lie beyond the replacement {@code name} came from: the tokens between them.
     */
    List<Token> arguments(Token name) {
        List<Token> tokens = new ArrayList<>();
        next();   // the (
        int depth = 1;
        for (Token t; (t = next()) != null; ) {
            if (t.is("(")) depth++;
            else if (t.is(")") && --depth == 0) return tokens;
            tokens.add(t);
        }
        throw new SyntaxException(name.location(), "unterminated function-like macro invocation '" + name.text() + "'");
    }

    /** Leaves the lists read to their end; whether a token is left. */
    private boolean atToken() {
        int top = lists.size() - 1;
        while (positions[top] == lists.get(top).size()) {
            if (top == 0) return false;
            disabled.remove(macros.removeLast());
            lists.removeLast();
            top--;
        }
        return true;
    }
}
