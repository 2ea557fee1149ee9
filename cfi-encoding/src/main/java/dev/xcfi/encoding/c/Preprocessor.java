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
 * {@code #if/#ifdef/#ifndef/#elif/#else/#endif} with {@code defined}. A bad directive is reported
 * and skipped; the rest of the file is still read.
 *
 * <p>Tokens stream through: the parser asks for the next one, and only a directive's line or a
 * macro's expansion is ever held, so a large header is never in memory as tokens.
 */
final class Preprocessor {
    private static final int MAX_INCLUDE_DEPTH = 200;
    /** Tokens one macro invocation may expand to. */
    private static final int MAX_EXPANSION = 1 << 20;
    /**
     * Replacement tokens one expansion from the text may read, empty ones included: macros that
     * double into nothing ({@code #define A1 A0 A0}, … {@code A39}) never grow the output, and
     * would run for days.
     */
    private static final long MAX_EXPANSION_WORK = 1L << 24;

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

    /**
     * A file being read: its tokens, the folder its quoted includes search first, the {@code -I}
     * folder it was found in (-1 for none: {@code #include_next} searches the ones after it), its
     * open conditionals.
     */
    private final class Source {
        final Lexer lexer;
        final Path directory;
        final int includeDir;
        final Deque<Conditional> conditionals = new ArrayDeque<>();

        Source(String name, String text, Path directory, int includeDir) {
            if (!typeofMentioned && text.contains("typeof")) typeofMentioned = true;
            this.lexer = new Lexer(name, text, names, this::lexingError);
            this.directory = directory;
            this.includeDir = includeDir;
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

    /**
     * clang's predefined macros per target, read and defined once: every preprocessor starts from
     * them, and a prototype parsed for a thunk must not pay for 400 #defines each time.
     */
    private static final Map<Target, Map<String, Macro>> PREDEFINED = new java.util.concurrent.ConcurrentHashMap<>();

    Preprocessor(Target target, List<Path> includeDirs, Consumer<SyntaxException> errors) {
        this(target, includeDirs, errors, PREDEFINED.computeIfAbsent(target, Preprocessor::predefinedMacros));
    }

    private Preprocessor(Target target, List<Path> includeDirs, Consumer<SyntaxException> errors, Map<String, Macro> predefined) {
        this.target = target;
        this.includeDirs = List.copyOf(includeDirs);
        this.errors = errors;
        macros.putAll(predefined);
    }

    private static Map<String, Macro> predefinedMacros(Target target) {
        Preprocessor p = new Preprocessor(target, List.of(), e -> {
            throw new IllegalStateException("clang's predefined macros for " + target.shortName() + ": " + e.diagnostic());
        }, Map.of());
        p.begin("<built-in>", StandardHeaders.predefined(target), null);
        if (p.next().kind() != Token.Kind.END) throw new IllegalStateException("the predefined macros produced tokens");
        return Map.copyOf(p.macros);
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
        sources.push(new Source(name, text, directory, -1));
    }

    /**
     * Whether a {@code #pragma pack} (or {@code _Pragma("pack …")}) has been seen: records defined
     * after one may be laid out other than naturally, and xcfi does not model packing.
     */
    private boolean packed;

    boolean packPragmaSeen() {
        return packed;
    }

    /** Whether a file read so far mentions typeof (in any spelling): from then on the parser keeps declarations' types for it. */
    private boolean typeofMentioned;

    boolean typeofMentioned() {
        return typeofMentioned;
    }

    /**
     * The next token of the current input after directives and macro expansion. C99's
     * {@code _Pragma("…")}, a {@code #pragma} that macros can write (LLVM's C API opens and closes
     * its headers with them), is dropped as {@code #pragma} lines are.
     */
    Token next() {
        Token t = expandedToken();
        while (t.kind() == Token.Kind.IDENTIFIER && t.is("_Pragma")) {
            Token open = expandedToken();
            Token text = open.is("(") ? expandedToken() : open;
            if (text.kind() == Token.Kind.STRING && text.text().matches("(?s)[uUL8]*\"\\s*pack\\b.*")) packed = true;
            Token close = text.kind() == Token.Kind.STRING ? expandedToken() : text;
            if (!close.is(")")) {
                errors.accept(new SyntaxException(t.location(), "_Pragma takes a parenthesized string literal"));
                return close;   // the token that broke the form goes on to the parser
            }
            t = expandedToken();
        }
        return t;
    }

    private Token expandedToken() {
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
                directiveLine(s, t, false);
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

    /**
     * The directive whose {@code #} is {@code hash}, to the end of its line; its error is reported and
     * the rest of the file read. C leaves directives among a macro's arguments undefined; clang
     * obeys them (Linux's struct_group(…) members hold #ifdef lines), except the includes.
     */
    private void directiveLine(Source s, Token hash, boolean amongArguments) {
        List<Token> line = restOfLine(s, hash);
        try {
            Token d = line.size() > 1 ? line.get(1) : hash;
            if (amongArguments && (d.is("include") || d.is("include_next") || d.is("import"))) {
                throw new SyntaxException(d.location(), "embedding a #" + d.text() + " directive within macro arguments is not supported");
            }
            directive(s, line);
        } catch (SyntaxException e) {
            errors.accept(e);
        }
        s.conditionalsChanged();
    }

    private static List<Token> restOfLine(Source s, Token first) {
        List<Token> line = new ArrayList<>();
        line.add(first);
        while (!s.lexer.peekBreaksLine()) line.add(s.lexer.next());
        return line;
    }

    /**
     * A macro name met in running text: its expansion is queued. A function-like macro is invoked
     * only when a {@code (} follows (on the same line or a later one); its arguments are read from
     * the source up to the matching {@code )}. An expansion that ends in the name of a
     * function-like macro takes that macro's arguments from the text that follows, as in C
     * ({@code #define DECLARE DECLARE_FN} then {@code DECLARE(int, f)}).
     */
    private void expandInto(Token name, Macro m, Source s) {
        List<Token> invocation = m.functionLike() ? invocation(name, s) : List.of(name);
        if (invocation == null) return;
        List<Token> out = new ArrayList<>();
        try {
            expand(invocation, startExpansion(), out);
            while (!out.isEmpty()) {
                Token tail = out.get(out.size() - 1);
                Macro next = tail.isIdentifier() && !isPainted(tail) ? macros.get(tail.text()) : null;
                if (next == null || !next.functionLike() || !s.lexer.peek().is("(")) break;
                List<Token> more = invocation(out.remove(out.size() - 1), s);
                if (more == null) return;
                expand(more, new HashSet<>(), out);
            }
        } catch (SyntaxException e) {
            errors.accept(e);
            // in place of the expansion: the declaration is dropped, not read without the macro's tokens (void f(X) as void f())
            expanded.add(new Token(Token.Kind.UNEXPANDED, name.text(), name.location(), false));
            return;
        }
        expanded.addAll(out);
    }

    /**
     * A function-like macro's invocation read from the source: its name and, when a {@code (}
     * follows, the tokens up to the matching {@code )}; null (reported) when the text ends first.
     */
    private List<Token> invocation(Token name, Source s) {
        List<Token> tokens = new ArrayList<>();
        tokens.add(name);
        if (!s.lexer.peek().is("(")) return tokens;
        int depth = 0;
        while (true) {
            Token a = s.lexer.next();
            if (a.kind() == Token.Kind.END) {
                errors.accept(new SyntaxException(name.location(), "unterminated function-like macro invocation '" + name.text() + "'"));
                return null;
            }
            if (a.startsLine() && a.is("#")) {
                directiveLine(s, a, true);
                continue;
            }
            if (!s.active()) continue;
            tokens.add(a);
            if (a.is("(")) depth++;
            else if (a.is(")") && --depth == 0) return tokens;
        }
    }

    private void directive(Source s, List<Token> line) {
        if (line.size() == 1) return;   // the null directive
        Token name = line.get(1);
        List<Token> rest = line.subList(2, line.size());
        Deque<Conditional> conditionals = s.conditionals;
        boolean active = s.active();
        switch (name.text()) {
            // A condition that cannot be evaluated is reported and counts as false, as in clang: its
            // #else and #endif still match, so one bad line does not unbalance the rest of the file.
            case "if", "ifdef", "ifndef" -> {
                boolean value = false;
                try {
                    value = active && (name.is("if") ? condition(rest, name, s)
                            : isDefined(identifier(rest, name).text()) == name.is("ifdef"));
                } finally {
                    conditionals.push(new Conditional(active, value));
                }
            }
            case "elif", "elifdef", "elifndef" -> {
                Conditional c = innermost(conditionals, name);
                if (c.sawElse) throw new SyntaxException(name.location(), "#" + name.text() + " after #else");
                c.active = false;
                boolean cond = !c.taken && c.enclosingActive && switch (name.text()) {
                    case "elif" -> condition(rest, name, s);
                    case "elifdef" -> isDefined(identifier(rest, name).text());
                    default -> !isDefined(identifier(rest, name).text());
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
                if (active) activeDirective(name, rest, s);
            }
        }
    }

    private void activeDirective(Token name, List<Token> rest, Source s) {
        switch (name.text()) {
            case "define" -> {
                Token id = identifier(rest, name);
                macros.put(id.text(), Macro.define(id, rest));
            }
            case "undef" -> macros.remove(identifier(rest, name).text());
            case "include", "include_next" -> include(name, rest, s);
            case "pragma" -> {
                if (!rest.isEmpty() && rest.get(0).is("once")) onceFiles.add(name.location().file());
                if (!rest.isEmpty() && rest.get(0).is("pack")) packed = true;
            }
            case "error" -> throw new SyntaxException(name.location(), "#error " + join(rest));
            case "warning", "line", "ident", "sccs" -> { }
            default -> throw new SyntaxException(name.location(), "unknown preprocessing directive #" + name.text());
        }
    }

    /** A header's name as an include or {@code __has_include} writes it, and the index just past it in its tokens. */
    private record HeaderName(String name, boolean angled, int end) {}

    private static HeaderName headerName(Token directive, List<Token> tokens, int from) {
        if (from < tokens.size() && tokens.get(from).kind() == Token.Kind.STRING) {
            String text = tokens.get(from).text();
            return new HeaderName(text.substring(1, text.length() - 1), false, from + 1);
        }
        if (from < tokens.size() && tokens.get(from).is("<")) {
            StringBuilder sb = new StringBuilder();
            int k = from + 1;
            while (k < tokens.size() && !tokens.get(k).is(">")) sb.append(tokens.get(k++).text());
            if (k == tokens.size()) throw new SyntaxException(directive.location(), "expected '>' to close the header name");
            return new HeaderName(sb.toString(), true, k + 1);
        }
        throw new SyntaxException(from < tokens.size() ? tokens.get(from).location() : directive.location(), "expected \"FILENAME\" or <FILENAME>");
    }

    /**
     * An include's tokens, macro-expanded when they are not already a header name: C's computed
     * include ({@code #include FT_CONFIG_CONFIG_H}, with the macro defined as
     * {@code <freetype/config/ftconfig.h>}), which FreeType's headers use throughout.
     */
    private List<Token> computed(List<Token> rest) {
        if (rest.isEmpty() || rest.get(0).kind() == Token.Kind.STRING || rest.get(0).is("<")) return rest;
        List<Token> expanded = new ArrayList<>();
        expand(rest, startExpansion(), expanded);
        return expanded;
    }

    /** A header found in a folder: its path and the {@code -I} folder's index (-1 for the includer's own folder). */
    private record Found(Path path, int includeDir) {}

    private void include(Token directive, List<Token> rest, Source from) {
        HeaderName header = headerName(directive, computed(rest), 0);
        if (sources.size() > MAX_INCLUDE_DEPTH) {
            throw new SyntaxException(directive.location(), "#include nested too deeply (" + MAX_INCLUDE_DEPTH + " levels)");
        }
        Found found = find(header, from, directive.is("include_next"));
        if (found != null) {
            if (onceFiles.contains(found.path().toString())) return;
            HeaderParser.Input in;
            try {
                in = HeaderParser.Input.of(found.path());
            } catch (IOException e) {
                throw new SyntaxException(directive.location(), "cannot read '" + header.name() + "': " + e.getMessage());
            }
            sources.push(new Source(in.name(), in.text(), in.directory(), found.includeDir()));
            return;
        }
        String standard = StandardHeaders.text(header.name(), target);
        if (standard == null) {
            throw new SyntaxException(rest.get(0).location(), "'" + header.name() + "' file not found (xcfi knows the compiler's "
                    + "headers itself, <stddef.h> <stdint.h> <stdarg.h> <limits.h> <float.h> …; add -I for others"
                    + systemIncludesHint() + ")");
        }
        sources.push(new Source("<" + header.name() + ">", standard, null, -1));   // guarded in its text
    }

    /** Where this machine keeps the target's C library headers, if it does (Debian's multiarch layout): the -I flags to try. */
    private String systemIncludesHint() {
        Path multiarch = Path.of("/usr/include", target.shortName());
        if (!includeDirs.isEmpty() || !Files.isDirectory(multiarch)) return "";
        return ", such as this machine's C library: -I /usr/include -I " + multiarch;
    }

    /**
     * Where an include finds {@code header}: a quoted name first beside the including file, then
     * the {@code -I} folders in order; {@code #include_next} only in the folders after the one the
     * including file came from (so a wrapper header can include the header it wraps).
     */
    private Found find(HeaderName header, Source from, boolean next) {
        Path directory = from.directory;
        if (!next && !header.angled() && directory != null && Files.isRegularFile(directory.resolve(header.name()))) {
            return new Found(directory.resolve(header.name()), -1);
        }
        int first = next ? from.includeDir + 1 : 0;
        for (int i = first; i < includeDirs.size(); i++) {
            Path p = includeDirs.get(i).resolve(header.name());
            if (Files.isRegularFile(p)) return new Found(p, i);
        }
        return null;
    }

    /**
     * The feature checks clang answers in {@code #if}. {@code __has_attribute} is answered for the
     * GNU attributes clang has ({@link Attribute#supported}), {@code __has_builtin} for clang's
     * builtins on the target ({@link Builtins}); for the others xcfi answers as a compiler without
     * those features.
     */
    private static final Set<String> FEATURE_CHECKS = Set.of("__has_attribute", "__has_c_attribute", "__has_cpp_attribute",
            "__has_declspec_attribute", "__has_builtin", "__has_feature", "__has_extension", "__has_warning", "__has_embed",
            "__building_module");

    private static boolean isFeatureCheck(String name) {
        return FEATURE_CHECKS.contains(name) || name.equals("__has_include") || name.equals("__has_include_next");
    }

    /** {@code defined(name)}: a macro, or one of the feature checks (clang defines them as macros). */
    private boolean isDefined(String name) {
        return macros.containsKey(name) || isFeatureCheck(name);
    }

    private boolean condition(List<Token> tokens, Token directive, Source s) {
        List<Token> resolved = new ArrayList<>();
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.is("defined")) {
                boolean paren = k + 1 < tokens.size() && tokens.get(k + 1).is("(");
                int at = k + (paren ? 2 : 1);
                if (at >= tokens.size() || !tokens.get(at).isIdentifier()) {
                    throw new SyntaxException(t.location(), "macro name missing after 'defined'");
                }
                String v = isDefined(tokens.get(at).text()) ? "1" : "0";
                resolved.add(new Token(Token.Kind.NUMBER, v, t.location(), false));
                k = at + (paren ? 1 : 0);
                if (paren && (k >= tokens.size() || !tokens.get(k).is(")"))) {
                    throw new SyntaxException(t.location(), "expected ')' after 'defined(" + tokens.get(at).text());
                }
            } else {
                k = featureCheck(tokens, k, s, resolved);
            }
        }
        List<Token> expandedCondition = new ArrayList<>();
        expand(resolved, startExpansion(), expandedCondition);
        // a macro may expand to a feature check (glibc: #define __glibc_has_attribute(a) __has_attribute (a))
        List<Token> checked = new ArrayList<>(expandedCondition.size());
        for (int k = 0; k < expandedCondition.size(); k++) k = featureCheck(expandedCondition, k, s, checked);
        return ConstantExpression.evaluate(checked, directive.location(), id -> 0L) != 0;
    }

    /**
     * Adds {@code tokens[k]} to {@code out}, or, when it starts a feature check ({@code __has_include(…)},
     * {@code __has_attribute(…)}, …), the check's value as a number; returns the last index used.
     */
    private int featureCheck(List<Token> tokens, int k, Source s, List<Token> out) {
        Token t = tokens.get(k);
        if (!t.isIdentifier() || !isFeatureCheck(t.text())) {
            out.add(t);
            return k;
        }
        boolean hasInclude = t.is("__has_include") || t.is("__has_include_next");
        if (k + 1 >= tokens.size() || !tokens.get(k + 1).is("(")) throw new SyntaxException(t.location(), "missing '(' after '" + t.text() + "'");
        boolean value = false;
        int close;
        if (hasInclude) {
            HeaderName header = headerName(t, tokens, k + 2);
            value = find(header, s, t.is("__has_include_next")) != null || header.angled() && StandardHeaders.text(header.name(), target) != null;
            close = header.end();
        } else {
            close = Macro.closingParenthesis(tokens, k + 1);
            if (close == k + 3 && tokens.get(k + 2).isIdentifier()) {
                if (t.is("__has_attribute")) value = Attribute.supported(tokens.get(k + 2).text(), target);
                else if (t.is("__has_builtin")) value = Builtins.has(target, tokens.get(k + 2).text());
            }
        }
        if (close >= tokens.size() || !tokens.get(close).is(")")) throw new SyntaxException(t.location(), "missing ')' after '" + t.text() + "'");
        out.add(new Token(Token.Kind.NUMBER, value ? "1" : "0", t.location(), false));
        return close;
    }

    /**
     * Expands every macro in {@code tokens}, function-like ones where a {@code (} follows, each
     * replacement rescanned with the tokens after it ({@link Rescan}). A macro's name met while that
     * macro is disabled is painted: it is never expanded again, there or later ({@code #define
     * foo foo}, which Linux writes for every arch_ override).
     */
    private void expand(List<Token> tokens, Set<String> disabled, List<Token> into) {
        Rescan in = new Rescan(tokens, disabled);
        for (Token t; (t = in.next()) != null; ) {
            Macro m = t.isIdentifier() ? macros.get(t.text()) : null;
            if (m != null && (disabled.contains(t.text()) || isPainted(t))) {
                paint(t);
                m = null;
            }
            if (m == null || m.functionLike() && !in.nextIs("(")) {
                into.add(t);
                continue;
            }
            List<Token> replacement;
            if (m.functionLike()) {
                List<List<Token>> arguments = m.arguments(t, in.arguments(t));
                replacement = m.replacement(t, arguments, argument -> {
                    List<Token> out = new ArrayList<>();
                    expand(argument, disabled, out);
                    return out;
                });
            } else {
                replacement = m.replacement(t, List.of(), argument -> argument);
            }
            // X(X(X(…))) with #define X(a) a a doubles at each level: a bound, not an OutOfMemoryError
            if (replacement.size() + into.size() > MAX_EXPANSION) {
                throw new SyntaxException(t.location(), "macro expansion of '" + t.text() + "' exceeds " + MAX_EXPANSION + " tokens");
            }
            expansionWork += replacement.size() + 1;
            if (expansionWork > MAX_EXPANSION_WORK) {
                throw new SyntaxException(t.location(), "macro expansion reads more than " + MAX_EXPANSION_WORK + " replacement tokens (macros that expand into others too many times)");
            }
            in.push(replacement, t.text());
        }
    }

    /** Tokens painted in the expansion being made: identity, for the same name may be painted in one place only. */
    private final Set<Token> painted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private void paint(Token t) {
        painted.add(t);
    }

    private boolean isPainted(Token t) {
        return !painted.isEmpty() && painted.contains(t);
    }

    /** Replacement tokens read since the expansion from the text began ({@link #MAX_EXPANSION_WORK}). */
    private long expansionWork;

    /** Starts an expansion from the text: no token of it was painted, no work done. */
    private Set<String> startExpansion() {
        if (!painted.isEmpty()) painted.clear();
        expansionWork = 0;
        return new HashSet<>();
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
