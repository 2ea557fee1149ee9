package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;
import dev.xcfi.types.Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The small preprocessor headers need: {@code #include "x.h"} (beside the including file, then the
 * {@code -I} folders), {@code #include <…>} for the standard headers xcfi knows per target,
 * {@code #define}/{@code #undef} of object-like and function-like macros ({@link Macro}), and
 * {@code #if/#ifdef/#ifndef/#elif/#else/#endif} with {@code defined}. A bad directive is reported and skipped; the rest of the file is still read.
 *
 * <p>Tokens stream through: the parser asks for the next one, and only a directive's line or a
 * macro's expansion is ever held, so a large header is never in memory as tokens.
 */
final class Preprocessor {
    private static final int MAX_INCLUDE_DEPTH = 200;
    /** Tokens one macro invocation may expand to. */
    private static final int MAX_EXPANSION = 1 << 20;

    /** One level of conditional inclusion. */
    private static final class Conditional {
        final boolean enclosingActive;
        boolean taken;
        boolean active;
        boolean sawElse;

        Conditional(boolean enclosingActive, boolean condition) {
            this.enclosingActive = enclosingActive;
            this.active = enclosingActive && condition;
            this.taken = condition;
        }
    }

    /** A file being read: its tokens, the folder its quoted includes search first, its open conditionals. */
    private final class Source {
        final Lexer lexer;
        final Path directory;
        final Deque<Conditional> conditionals = new ArrayDeque<>();

        Source(String name, String text, Path directory) {
            this.lexer = new Lexer(name, text, names, this::lexingError);
            this.directory = directory;
        }

        /** Asked of every token: kept up to date by {@link #conditionalsChanged()} rather than looked up. */
        private boolean active = true;

        boolean active() {
            return active;
        }

        void conditionalsChanged() {
            active = conditionals.isEmpty() || conditionals.peek().active;
        }

        /** Text skipped by a false conditional is not diagnosed, as in clang. */
        private void lexingError(SyntaxException e) {
            if (active()) errors.accept(e);
        }
    }

    private final Target target;
    private final List<Path> includeDirs;
    private final Consumer<SyntaxException> errors;
    private final Lexer.Names names = new Lexer.Names();
    private final Map<String, Macro> macros = new HashMap<>();
    private final Set<String> onceFiles = new HashSet<>();
    private final Deque<Source> sources = new ArrayDeque<>();
    /** Tokens of a macro expansion not handed out yet. */
    private final ArrayDeque<Token> expanded = new ArrayDeque<>();
    private String input;
    private Token last;

    Preprocessor(Target target, List<Path> includeDirs, Consumer<SyntaxException> errors) {
        this.target = target;
        this.includeDirs = List.copyOf(includeDirs);
        this.errors = errors;
        begin("<built-in>", StandardHeaders.predefined(target), null);
        if (next().kind() != Token.Kind.END) throw new IllegalStateException("the predefined macros produced tokens");
    }

    /**
     * Starts one input; {@link #next()} then yields its tokens, ended by an END token just past the
     * last one (inputs accumulate macros and include guards, like one translation unit).
     */
    void begin(String name, String text, Path directory) {
        sources.clear();
        expanded.clear();
        input = name;
        last = null;
        names.expect(text.length());
        sources.push(new Source(name, text, directory));
    }

    /** The next token of the current input after directives and macro expansion. */
    Token next() {
        while (true) {
            if (!expanded.isEmpty()) return emit(expanded.poll());
            Source s = sources.peek();
            if (s == null) {
                return last == null ? new Token(Token.Kind.END, "", input, 1, 1, true)
                        : new Token(Token.Kind.END, "", last.file(), last.line(), last.column() + last.text().length(), true);
            }
            Token t = s.lexer.next();
            if (t.kind() == Token.Kind.END) {
                if (!s.conditionals.isEmpty()) errors.accept(new SyntaxException(t.location(), "unterminated conditional directive (missing #endif)"));
                sources.pop();
            } else if (t.startsLine() && t.is("#")) {
                List<Token> line = restOfLine(s, t);
                try {
                    directive(s, line);
                } catch (SyntaxException e) {
                    errors.accept(e);
                }
                s.conditionalsChanged();
            } else if (s.active()) {
                Macro m = t.isIdentifier() ? macros.get(t.text()) : null;
                if (m == null) return emit(t);
                expandInto(t, m, s);
            }
        }
    }

    private Token emit(Token t) {
        last = t;
        return t;
    }

    private static List<Token> restOfLine(Source s, Token first) {
        List<Token> line = new ArrayList<>();
        line.add(first);
        while (s.lexer.peek().kind() != Token.Kind.END && !s.lexer.peek().startsLine()) line.add(s.lexer.next());
        return line;
    }

    /**
     * A macro name met in running text: its expansion is queued. A function-like macro is invoked
     * only when a {@code (} follows (on the same line or a later one); its arguments are read from
     * the source up to the matching {@code )}.
     */
    private void expandInto(Token name, Macro m, Source s) {
        List<Token> invocation = new ArrayList<>();
        invocation.add(name);
        if (m.functionLike()) {
            Token open = s.lexer.peek();
            if (!open.is("(") || open.startsLine() && open.is("#")) {
                expanded.add(name);
                return;
            }
            int depth = 0;
            while (true) {
                Token a = s.lexer.next();
                if (a.kind() == Token.Kind.END) {
                    errors.accept(new SyntaxException(name.location(), "unterminated function-like macro invocation '" + name.text() + "'"));
                    return;
                }
                invocation.add(a);
                if (a.is("(")) depth++;
                else if (a.is(")") && --depth == 0) break;
            }
        }
        List<Token> out = new ArrayList<>();
        try {
            expand(invocation, new HashSet<>(), out);
        } catch (SyntaxException e) {
            errors.accept(e);
            return;
        }
        expanded.addAll(out);
    }

    private void directive(Source s, List<Token> line) {
        if (line.size() == 1) return;   // the null directive
        Token name = line.get(1);
        List<Token> rest = line.subList(2, line.size());
        Deque<Conditional> conditionals = s.conditionals;
        boolean active = s.active();
        switch (name.text()) {
            case "if" -> conditionals.push(new Conditional(active, active && condition(rest, name)));
            case "ifdef", "ifndef" -> {
                Token id = identifier(rest, name);
                conditionals.push(new Conditional(active, macros.containsKey(id.text()) == name.is("ifdef")));
            }
            case "elif", "elifdef", "elifndef" -> {
                Conditional c = innermost(conditionals, name);
                if (c.sawElse) throw new SyntaxException(name.location(), "#" + name.text() + " after #else");
                boolean cond = !c.taken && c.enclosingActive && switch (name.text()) {
                    case "elif" -> condition(rest, name);
                    case "elifdef" -> macros.containsKey(identifier(rest, name).text());
                    default -> !macros.containsKey(identifier(rest, name).text());
                };
                c.active = cond;
                c.taken |= cond;
            }
            case "else" -> {
                Conditional c = innermost(conditionals, name);
                if (c.sawElse) throw new SyntaxException(name.location(), "#else after #else");
                c.sawElse = true;
                c.active = c.enclosingActive && !c.taken;
                c.taken = true;
            }
            case "endif" -> {
                innermost(conditionals, name);
                conditionals.pop();
            }
            default -> {
                if (active) activeDirective(name, rest, s.directory);
            }
        }
    }

    private void activeDirective(Token name, List<Token> rest, Path directory) {
        switch (name.text()) {
            case "define" -> {
                Token id = identifier(rest, name);
                macros.put(id.text(), Macro.define(id, rest));
            }
            case "undef" -> macros.remove(identifier(rest, name).text());
            case "include", "include_next" -> include(name, rest, directory);
            case "pragma" -> {
                if (!rest.isEmpty() && rest.get(0).is("once")) onceFiles.add(name.location().file());
            }
            case "error" -> throw new SyntaxException(name.location(), "#error " + join(rest));
            case "warning", "line", "ident", "sccs" -> { }
            default -> throw new SyntaxException(name.location(), "unknown preprocessing directive #" + name.text());
        }
    }

    private void include(Token directive, List<Token> rest, Path directory) {
        if (rest.isEmpty()) throw new SyntaxException(directive.location(), "expected \"FILENAME\" or <FILENAME>");
        String header;
        boolean angled;
        if (rest.get(0).kind() == Token.Kind.STRING) {
            header = rest.get(0).text().substring(1, rest.get(0).text().length() - 1);
            angled = false;
        } else if (rest.get(0).is("<")) {
            StringBuilder sb = new StringBuilder();
            int k = 1;
            while (k < rest.size() && !rest.get(k).is(">")) sb.append(rest.get(k++).text());
            if (k == rest.size()) throw new SyntaxException(directive.location(), "expected '>' to close the header name");
            header = sb.toString();
            angled = true;
        } else {
            throw new SyntaxException(rest.get(0).location(), "expected \"FILENAME\" or <FILENAME>");
        }
        if (sources.size() > MAX_INCLUDE_DEPTH) {
            throw new SyntaxException(directive.location(), "#include nested too deeply (" + MAX_INCLUDE_DEPTH + " levels)");
        }
        Path found = find(header, angled, directory);
        if (found != null) {
            if (onceFiles.contains(found.toString())) return;
            HeaderParser.Input in;
            try {
                in = HeaderParser.Input.of(found);
            } catch (IOException e) {
                throw new SyntaxException(directive.location(), "cannot read '" + header + "': " + e.getMessage());
            }
            sources.push(new Source(in.name(), in.text(), in.directory()));
            return;
        }
        String standard = StandardHeaders.text(header, target);
        if (standard == null) {
            throw new SyntaxException(rest.get(0).location(), "'" + header + "' file not found (xcfi knows <stddef.h>, "
                    + "<stdint.h>, <stdbool.h>, <uchar.h>, <wchar.h>, <stdarg.h> and <limits.h> itself; add -I for others)");
        }
        if (onceFiles.add("<" + header + ">")) sources.push(new Source("<" + header + ">", standard, null));
    }

    private Path find(String header, boolean angled, Path directory) {
        if (!angled && directory != null && Files.isRegularFile(directory.resolve(header))) return directory.resolve(header);
        for (Path dir : includeDirs) {
            if (Files.isRegularFile(dir.resolve(header))) return dir.resolve(header);
        }
        return null;
    }

    private boolean condition(List<Token> tokens, Token directive) {
        List<Token> resolved = new ArrayList<>();
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.is("defined")) {
                boolean paren = k + 1 < tokens.size() && tokens.get(k + 1).is("(");
                int at = k + (paren ? 2 : 1);
                if (at >= tokens.size() || !tokens.get(at).isIdentifier()) {
                    throw new SyntaxException(t.location(), "macro name missing after 'defined'");
                }
                String v = macros.containsKey(tokens.get(at).text()) ? "1" : "0";
                resolved.add(new Token(Token.Kind.NUMBER, v, t.location(), false));
                k = at + (paren ? 1 : 0);
                if (paren && (k >= tokens.size() || !tokens.get(k).is(")"))) {
                    throw new SyntaxException(t.location(), "expected ')' after 'defined(" + tokens.get(at).text());
                }
            } else {
                resolved.add(t);
            }
        }
        List<Token> expandedCondition = new ArrayList<>();
        expand(resolved, new HashSet<>(), expandedCondition);
        return ConstantExpression.evaluate(expandedCondition, directive.location(), id -> 0L) != 0;
    }

    /**
     * Expands every macro in {@code tokens}, function-like ones where a {@code (} follows inside
     * the list; the result is rescanned, and a macro is not re-expanded inside its own expansion.
     */
    private void expand(List<Token> tokens, Set<String> expanding, List<Token> into) {
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            Macro m = t.isIdentifier() && !expanding.contains(t.text()) ? macros.get(t.text()) : null;
            if (m == null || m.functionLike() && (k + 1 == tokens.size() || !tokens.get(k + 1).is("("))) {
                into.add(t);
                continue;
            }
            List<Token> replacement;
            if (m.functionLike()) {
                int close = k + 1, depth = 0;
                for (; close < tokens.size(); close++) {
                    if (tokens.get(close).is("(")) depth++;
                    else if (tokens.get(close).is(")") && --depth == 0) break;
                }
                if (close == tokens.size()) throw new SyntaxException(t.location(), "unterminated function-like macro invocation '" + t.text() + "'");
                List<List<Token>> arguments = m.arguments(t, tokens.subList(k + 2, close));
                replacement = m.replacement(t, arguments, argument -> {
                    List<Token> out = new ArrayList<>();
                    expand(argument, expanding, out);
                    return out;
                });
                k = close;
            } else {
                replacement = m.replacement(t, List.of(), argument -> argument);
            }
            // X(X(X(…))) with #define X(a) a a doubles at each level: a bound, not an OutOfMemoryError
            if (replacement.size() + into.size() > MAX_EXPANSION) {
                throw new SyntaxException(t.location(), "macro expansion of '" + t.text() + "' exceeds " + MAX_EXPANSION + " tokens");
            }
            expanding.add(t.text());
            expand(replacement, expanding, into);
            expanding.remove(t.text());
        }
    }

    private static Conditional innermost(Deque<Conditional> conditionals, Token directive) {
        if (conditionals.isEmpty()) throw new SyntaxException(directive.location(), "#" + directive.text() + " without #if");
        return conditionals.peek();
    }

    private static Token identifier(List<Token> rest, Token directive) {
        if (rest.isEmpty() || !rest.get(0).isIdentifier()) {
            throw new SyntaxException(directive.location(), "macro name missing after #" + directive.text());
        }
        return rest.get(0);
    }

    private static String join(List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) sb.append(sb.isEmpty() ? "" : " ").append(t.text());
        return sb.toString();
    }
}
