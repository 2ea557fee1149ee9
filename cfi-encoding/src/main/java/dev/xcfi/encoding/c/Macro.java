package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One {@code #define}: an object-like macro's replacement list, or a function-like macro's
 * parameters and the replacement its arguments are substituted into, with {@code #} (stringizing),
 * {@code ##} (pasting), {@code __VA_ARGS__} and {@code __VA_OPT__} as C defines them, and GNU's
 * {@code , ## __VA_ARGS__}. Headers use
 * these for calling conventions, export attributes and K&amp;R-compatible prototypes
 * ({@code int f OF((int));} in zlib).
 *
 * @param parameters a function-like macro's parameter names ({@code __VA_ARGS__} last when it is
 *                   variadic), null for an object-like macro
 */
record Macro(List<Token> body, List<String> parameters, boolean variadic) {
    private static final String VA_ARGS = "__VA_ARGS__";

    Macro {
        body = List.copyOf(body);
        parameters = parameters == null ? null : List.copyOf(parameters);
    }

    boolean functionLike() {
        return parameters != null;
    }

    /**
     * The macro a {@code #define} line makes: {@code rest} is everything after the directive's
     * name, from the macro's name on. It is function-like when a {@code (} follows the name with
     * no space between them.
     */
    static Macro define(Token name, List<Token> rest) {
        boolean functionLike = rest.size() > 1 && rest.get(1).is("(") && rest.get(1).line() == name.line()
                && rest.get(1).column() == name.column() + name.text().length();
        if (!functionLike) return new Macro(rest.subList(1, rest.size()), null, false);
        List<String> parameters = new ArrayList<>();
        boolean variadic = false;
        int k = 2;
        if (k < rest.size() && rest.get(k).is(")")) {
            k++;
        } else {
            while (true) {
                Token p = k < rest.size() ? rest.get(k) : null;
                if (p == null) throw new SyntaxException(name.location(), "missing ')' in macro parameter list");
                if (p.is("...")) {
                    parameters.add(VA_ARGS);
                    variadic = true;
                    k++;
                } else if (p.isIdentifier()) {
                    if (parameters.contains(p.text())) throw new SyntaxException(p.location(), "duplicate macro parameter name '" + p.text() + "'");
                    parameters.add(p.text());
                    k++;
                    if (k < rest.size() && rest.get(k).is("...")) {   // GNU: args...
                        variadic = true;
                        k++;
                    }
                } else {
                    throw new SyntaxException(p.location(), "invalid token in macro parameter list");
                }
                Token after = k < rest.size() ? rest.get(k) : null;
                if (after == null) throw new SyntaxException(name.location(), "missing ')' in macro parameter list");
                k++;
                if (after.is(")")) break;
                if (variadic || !after.is(",")) throw new SyntaxException(after.location(), "expected comma in macro parameter list");
            }
        }
        List<Token> body = rest.subList(k, rest.size());
        for (int i = 0; i < body.size(); i++) {
            if (body.get(i).is("#") && (i + 1 == body.size() || !parameters.contains(body.get(i + 1).text()))) {
                throw new SyntaxException(body.get(i).location(), "'#' is not followed by a macro parameter");
            }
        }
        if (!body.isEmpty() && (body.get(0).is("##") || body.get(body.size() - 1).is("##"))) {
            throw new SyntaxException(body.get(body.get(0).is("##") ? 0 : body.size() - 1).location(), "'##' cannot appear at either end of a macro expansion");
        }
        return new Macro(body, parameters, variadic);
    }

    /**
     * The replacement of one invocation at {@code use}, ready to be rescanned: each parameter
     * replaced by its argument macro-expanded ({@code expand}), except next to {@code #} (the
     * argument's spelling as a string literal) or {@code ##} (the argument as written, pasted).
     */
    List<Token> replacement(Token use, List<List<Token>> arguments, UnaryOperator<List<Token>> expand) {
        List<Token> body = variadic ? withVaOpt(arguments.get(arguments.size() - 1).isEmpty()) : this.body;
        List<Token> out = new ArrayList<>();
        List<List<Token>> expanded = null;
        for (int i = 0; i < body.size(); i++) {
            Token t = body.get(i);
            boolean pasteAfter = i + 1 < body.size() && body.get(i + 1).is("##");
            boolean pasteBefore = i > 0 && body.get(i - 1).is("##");
            if (functionLike() && t.is("#")) {
                out.add(stringized(arguments.get(parameters.indexOf(body.get(++i).text())), use));
            } else if (t.is("##") && variadic && body.get(i - 1).is(",") && body.get(i + 1).text().equals(parameters.getLast())) {
                // GNU's ", ## __VA_ARGS__" (Linux's asm macros, printk wrappers): no paste; with no
                // variadic arguments the comma goes too
                if (arguments.getLast().isEmpty()) {
                    out.removeLast();
                    i++;
                }
            } else if (t.is("##")) {
                // pasted below, once the right operand is out
                out.add(t);
            } else {
                int p = functionLike() && t.isIdentifier() ? parameters.indexOf(t.text()) : -1;
                if (p < 0) {
                    out.add(t.at(use));
                } else if (pasteAfter || pasteBefore) {
                    List<Token> raw = arguments.get(p);
                    // an empty argument next to ## is a placemarker: pasting it leaves the other operand
                    if (raw.isEmpty()) out.add(new Token(Token.Kind.PUNCTUATOR, "", use.location(), false));
                    else out.addAll(raw);
                } else {
                    if (expanded == null) expanded = new ArrayList<>(java.util.Collections.nCopies(arguments.size(), null));
                    if (expanded.get(p) == null) expanded.set(p, expand.apply(arguments.get(p)));   // once, however often it is used
                    out.addAll(expanded.get(p));
                }
            }
        }
        return pasted(out, use);
    }

    /**
     * The body with each {@code __VA_OPT__(…)} replaced by what is inside it, or by nothing when the
     * variadic argument is empty (C23).
     */
    private List<Token> withVaOpt(boolean noVariadicArguments) {
        List<Token> out = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            Token t = body.get(i);
            if (!t.is("__VA_OPT__") || i + 1 == body.size() || !body.get(i + 1).is("(")) {
                out.add(t);
                continue;
            }
            int close = closingParenthesis(body, i + 1);
            if (!noVariadicArguments) out.addAll(body.subList(i + 2, close));
            i = close;
        }
        return out;
    }

    /** The index of the {@code )} that closes the {@code (} at {@code open}, or the list's size if none does. */
    static int closingParenthesis(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).is("(")) depth++;
            else if (tokens.get(i).is(")") && --depth == 0) return i;
        }
        return tokens.size();
    }

    /** Splits an invocation's argument tokens at top-level commas, the variadic rest kept together; checks the count. */
    List<List<Token>> arguments(Token use, List<Token> tokens) {
        List<List<Token>> args = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (Token t : tokens) {
            if (t.is("(")) depth++;
            else if (t.is(")")) depth--;
            if (depth == 0 && t.is(",") && !(variadic && args.size() == parameters.size() - 1)) {
                args.add(current);
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        args.add(current);
        if (parameters.isEmpty() && args.size() == 1 && current.isEmpty()) return List.of();
        if (variadic && args.size() == parameters.size() - 1) args.add(List.of());   // F(a) for F(x, ...)
        if (args.size() != parameters.size()) {
            throw new SyntaxException(use.location(), (args.size() > parameters.size() ? "too many" : "too few")
                    + " arguments provided to function-like macro invocation '" + use.text() + "'");
        }
        return args;
    }

    /** {@code #x}: the argument's spelling, a space where the source had one, as a string literal. */
    private static Token stringized(List<Token> argument, Token use) {
        StringBuilder s = new StringBuilder("\"");
        Token previous = null;
        for (Token t : argument) {
            if (previous != null && (t.line() != previous.line() || t.column() > previous.column() + previous.text().length())) s.append(' ');
            boolean literal = t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.CHARACTER;
            for (char c : t.text().toCharArray()) {
                if (literal && (c == '"' || c == '\\')) s.append('\\');
                s.append(c);
            }
            previous = t;
        }
        return new Token(Token.Kind.STRING, s.append('"').toString(), use.location(), false);
    }

    /** Performs the {@code ##} operators left in {@code tokens}: each joins its neighbours into one token. */
    private static List<Token> pasted(List<Token> tokens, Token use) {
        boolean any = false;
        for (Token t : tokens) any |= t.is("##") || t.text().isEmpty();
        if (!any) return tokens;
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("##") && !out.isEmpty() && i + 1 < tokens.size()) {
                out.add(join(out.remove(out.size() - 1), tokens.get(++i), use));
            } else {
                out.add(t);
            }
        }
        out.removeIf(t -> t.text().isEmpty());   // placemarkers that met no ##
        return out;
    }

    private static Token join(Token left, Token right, Token use) {
        if (left.text().isEmpty()) return right;
        if (right.text().isEmpty()) return left;
        String text = left.text() + right.text();
        List<SyntaxException> problems = new ArrayList<>();
        Lexer lexer = new Lexer(use.file(), text, new Lexer.Names(), problems::add);
        Token first = lexer.next();
        if (!problems.isEmpty() || first.kind() == Token.Kind.END || lexer.next().kind() != Token.Kind.END) {
            throw new SyntaxException(use.location(), "pasting formed '" + text + "', an invalid preprocessing token");
        }
        return new Token(first.kind(), first.text(), use.location(), false);
    }
}
