package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.RecursionLimit;
import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;
import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Integer constant expressions, as {@code #if} and array bounds use them: C's operators with C's
 * precedence over {@code long}. Identifiers are resolved by the caller (enum constants; 0 in
 * {@code #if}), and so are the type names of casts ({@code (int) x}), where the caller allows them.
 */
final class ConstantExpression {
    /**
     * What a cast to an integer type does to a value: keeps its low {@code bits} bits, sign-extended
     * or not; {@code _Bool} (bits 1) makes any nonzero value 1.
     */
    record IntegerCast(int bits, boolean signed) {
        static IntegerCast of(Kind kind, Target target) {
            return kind == Kind.BOOL ? new IntegerCast(1, false) : new IntegerCast(target.bits(kind), target.isSigned(kind));
        }

        long apply(long v) {
            if (bits == 1) return v != 0 ? 1 : 0;
            if (bits >= 64) return v;
            int unused = 64 - bits;
            return signed ? v << unused >> unused : v & (-1L >>> unused);
        }
    }

    /** What the parser knows of type names, for casts and {@code sizeof}; {@code #if} knows none. */
    interface Types {
        /** The cast these words (a parenthesized type name) make, or null when they are not an integer type. */
        IntegerCast cast(List<Token> words);

        /** {@code sizeof(typeName)} in bytes, or empty when xcfi cannot compute it (a packed struct's, say). */
        java.util.OptionalLong sizeOf(List<Token> typeName);

        /** {@code _Alignof(typeName)} in bytes, or empty when xcfi cannot compute it. */
        java.util.OptionalLong alignOf(List<Token> typeName);

        /** GNU's {@code __alignof__(typeName)} (the preferred alignment) in bytes, or empty when xcfi cannot compute it. */
        java.util.OptionalLong preferredAlignOf(List<Token> typeName);

        /** Whether a type name starts with {@code t} (else sizeof's operand is an expression). */
        boolean startsTypeName(Token t);
    }

    /**
     * A value clang computes and xcfi does not ({@code sizeof(struct S)}): an error where a value
     * is needed, an unknown length in an array bound (which a parameter's decay may never need).
     */
    static final class NotComputed extends RuntimeException {
        private static final String LAYOUTS = "it does not lay out records with bit-fields, packing or alignment attributes, nor vectors, _BitInt or _Atomic types";
        private final SourceLocation at;
        private final String what;
        private final String why;

        NotComputed(SourceLocation at, String what) {
            this(at, what, LAYOUTS);
        }

        NotComputed(SourceLocation at, String what, String why) {
            super(what, null, false, false);
            this.at = at;
            this.what = what;
            this.why = why;
        }

        /** What xcfi does not do that the value needs. */
        String why() {
            return why;
        }

        /** What could not be computed, as written: {@code sizeof(struct S)}. */
        String what() {
            return what;
        }

        /** The same shortfall met again through {@code name}, an enumerator whose value needed it. */
        NotComputed through(Token name) {
            return new NotComputed(name.location(), name.text(), "its value needs " + what + ", which xcfi cannot compute: " + why);
        }

        SyntaxException error() {
            return new SyntaxException(at, "xcfi cannot compute " + what + " (" + why + ")");
        }
    }

    private final List<Token> tokens;
    private final Function<Token, Long> identifiers;
    private final Types types;
    private int pos;

    private ConstantExpression(List<Token> tokens, Function<Token, Long> identifiers, Types types) {
        this.tokens = tokens;
        this.identifiers = identifiers;
        this.types = types;
    }

    /** Evaluates all of {@code tokens} as {@code #if} does: no casts, no sizeof; {@code where} locates an empty expression. */
    static long evaluate(List<Token> tokens, SourceLocation where, Function<Token, Long> identifiers) {
        return evaluate(tokens, where, identifiers, null);
    }

    /**
     * As {@link #evaluate(List, SourceLocation, Function, Types)}, or empty when a name that is
     * no constant is reached ({@code identifiers} gives null for it): an array bound such as
     * {@code [n]} after a parameter {@code n} is variable, not an error.
     *
     * @throws NotComputed when the value needs a size xcfi cannot compute
     */
    static java.util.OptionalLong evaluateIfConstant(List<Token> tokens, SourceLocation where, Function<Token, Long> identifiers, Types types) {
        try {
            return java.util.OptionalLong.of(run(tokens, where, t -> {
                Long v = identifiers.apply(t);
                if (v == null) throw new NotConstant();
                return v;
            }, types));
        } catch (NotConstant e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** A name without a constant value was reached: unwinds the evaluation (no stack trace is kept). */
    private static final class NotConstant extends RuntimeException {
        NotConstant() {
            super(null, null, false, false);
        }
    }

    /** Evaluates all of {@code tokens}, with casts and {@code sizeof} as {@code types} (when not null) resolves them. */
    static long evaluate(List<Token> tokens, SourceLocation where, Function<Token, Long> identifiers, Types types) {
        try {
            return run(tokens, where, identifiers, types);
        } catch (NotConstant notConstant) {
            throw new SyntaxException(where, "expected an integer constant expression");
        } catch (NotComputed notComputed) {
            throw notComputed.error();
        }
    }

    private static long run(List<Token> tokens, SourceLocation where, Function<Token, Long> identifiers, Types types) {
        if (tokens.isEmpty()) throw new SyntaxException(where, "expected an integer constant expression");
        // Array bounds and vector sizes are nearly always one number.
        if (tokens.size() == 1 && tokens.get(0).kind() == Token.Kind.NUMBER) return parseInteger(tokens.get(0));
        ConstantExpression e = new ConstantExpression(tokens, identifiers, types);
        long v = e.conditional().bits();
        if (e.pos < tokens.size()) throw new SyntaxException(tokens.get(e.pos).location(), "unexpected '" + tokens.get(e.pos).text() + "' in constant expression");
        return v;
    }

    /**
     * Twice clang's default -fbracket-depth, since each parenthesis enters both an operand and an
     * expression; deeper nesting must be an error, not a stack overflow.
     */
    private final RecursionLimit nesting = new RecursionLimit(512);

    private void enter() {
        if (!nesting.enter()) {
            Token at = tokens.get(Math.min(pos, tokens.size() - 1));
            throw new SyntaxException(at.location(), "constant expression nested too deeply");
        }
    }

    /**
     * A value with C's one distinction that matters here: whether it is unsigned. {@code #if}
     * computes in intmax_t/uintmax_t, so comparing with {@code ULONG_MAX} (all ones) must be
     * unsigned (FreeType's {@code #if FT_ULONG_MAX > 0xFFFFFFFFUL} picks the size of long so).
     */
    private record Value(long bits, boolean unsigned) {
        static final Value FALSE = new Value(0, false), TRUE = new Value(1, false);

        static Value of(boolean b) {
            return b ? TRUE : FALSE;
        }
    }

    private Value conditional() {
        enter();
        try {
            return unnestedConditional();
        } finally {
            nesting.exit();
        }
    }

    private Value unnestedConditional() {
        Value c = binary(0);
        if (accept("?")) {
            Value a = conditional();
            expect(":");
            Value b = conditional();
            Value chosen = c.bits() != 0 ? a : b;
            return new Value(chosen.bits(), a.unsigned() || b.unsigned());
        }
        return c;
    }

    private static final String[][] LEVELS = {
            {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", ">", "<=", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"},
    };

    private Value binary(int level) {
        if (level == LEVELS.length) return unary();
        Value left = binary(level + 1);
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            String op = null;
            for (String o : LEVELS[level]) if (t.is(o)) op = o;
            if (op == null) return left;
            pos++;
            Value right = binary(level + 1);
            left = apply(op, left, right, t);
        }
        return left;
    }

    /** C's usual arithmetic conversions, as far as they show: unsigned when either operand is. */
    private static Value apply(String op, Value l, Value r, Token at) {
        long a = l.bits(), b = r.bits();
        boolean u = l.unsigned() || r.unsigned();
        return switch (op) {
            case "||" -> Value.of(a != 0 || b != 0);
            case "&&" -> Value.of(a != 0 && b != 0);
            case "==" -> Value.of(a == b);
            case "!=" -> Value.of(a != b);
            case "<" -> Value.of(u ? Long.compareUnsigned(a, b) < 0 : a < b);
            case ">" -> Value.of(u ? Long.compareUnsigned(a, b) > 0 : a > b);
            case "<=" -> Value.of(u ? Long.compareUnsigned(a, b) <= 0 : a <= b);
            case ">=" -> Value.of(u ? Long.compareUnsigned(a, b) >= 0 : a >= b);
            case "<<" -> new Value(a << b, l.unsigned());   // a shift has its left operand's type
            case ">>" -> new Value(l.unsigned() ? a >>> b : a >> b, l.unsigned());
            case "|" -> new Value(a | b, u);
            case "^" -> new Value(a ^ b, u);
            case "&" -> new Value(a & b, u);
            case "+" -> new Value(a + b, u);
            case "-" -> new Value(a - b, u);
            case "*" -> new Value(a * b, u);
            case "/", "%" -> {
                if (b == 0) throw new SyntaxException(at.location(), "division by zero in constant expression");
                long v = op.equals("/") ? (u ? Long.divideUnsigned(a, b) : a / b) : (u ? Long.remainderUnsigned(a, b) : a % b);
                yield new Value(v, u);
            }
            default -> throw new AssertionError(op);
        };
    }

    private Value unary() {
        enter();
        try {
            if (accept("-")) {
                Value v = unary();
                return new Value(-v.bits(), v.unsigned());
            }
            if (accept("+")) return unary();
            if (accept("!")) return Value.of(unary().bits() == 0);
            if (accept("~")) {
                Value v = unary();
                return new Value(~v.bits(), v.unsigned());
            }
            if (types != null && pos < tokens.size() && tokens.get(pos).is("sizeof")) return new Value(sizeOf(), true);   // size_t
            if (types != null && pos < tokens.size() && tokens.get(pos).is("_Alignof")) {
                return new Value(typeFact(types::alignOf), true);
            }
            if (types != null && pos < tokens.size() && (tokens.get(pos).is("__alignof__") || tokens.get(pos).is("__alignof"))) {
                return new Value(typeFact(types::preferredAlignOf), true);
            }
            // *p and &x are C but never constant: a bound like [*n] (brotli's) makes a variable-length array
            if (types != null && (accept("*") || accept("&"))) {
                unary();
                throw new NotConstant();
            }
            return primary();
        } finally {
            nesting.exit();
        }
    }

    private Value primary() {
        if (pos >= tokens.size()) {
            Token last = tokens.get(tokens.size() - 1);
            throw new SyntaxException(last.location(), "expected an expression after '" + last.text() + "'");
        }
        Token t = tokens.get(pos++);
        if (t.is("(")) {
            IntegerCast cast = cast();
            // below int's width a value promotes to (signed) int; from it up an unsigned type stays unsigned
            if (cast != null) return new Value(cast.apply(unary().bits()), !cast.signed() && cast.bits() >= 32);
            Value v = conditional();
            expect(")");
            return v;
        }
        return switch (t.kind()) {
            case NUMBER -> {
                long v = parseInteger(t);
                yield new Value(v, hasUnsignedSuffix(t) || v < 0);   // no literal is negative: a sign bit means beyond Long.MAX_VALUE
            }
            case CHARACTER -> new Value(parseCharacter(t), false);
            case IDENTIFIER -> {
                if (types != null && pos < tokens.size() && tokens.get(pos).is("(") && t.text().startsWith("__builtin_")) yield builtin(t);
                // a call, subscript or member of a name is C but never constant (n[0], s.len, strlen(s))
                if (types != null && pos < tokens.size() && isPostfix(tokens.get(pos))) throw new NotConstant();
                yield new Value(identifiers.apply(t), false);
            }
            default -> throw new SyntaxException(t.location(), "unexpected '" + t.text() + "' in constant expression");
        };
    }

    /**
     * A builtin's call, at its {@code (}: {@code __builtin_choose_expr(c, a, b)}, which Linux's
     * GENMASK uses in enumerators, is a or b as c says; clang computes others that xcfi does not.
     */
    private Value builtin(Token name) {
        int open = pos, close = Macro.closingParenthesis(tokens, open);
        if (close == tokens.size()) throw new SyntaxException(name.location(), "expected ')' after '" + name.text() + "('");
        pos = close + 1;
        List<List<Token>> arguments = new ArrayList<>();
        int from = open + 1, depth = 0;
        for (int k = from; k < close; k++) {
            Token t = tokens.get(k);
            if (t.is("(") || t.is("[") || t.is("{")) depth++;
            else if (t.is(")") || t.is("]") || t.is("}")) depth--;
            else if (depth == 0 && t.is(",")) {
                arguments.add(tokens.subList(from, k));
                from = k + 1;
            }
        }
        arguments.add(tokens.subList(from, close));
        if (!name.is("__builtin_choose_expr")) throw new NotComputed(name.location(), written(tokens.subList(open - 1, pos), true), "it evaluates no builtin but __builtin_choose_expr");
        if (arguments.size() != 3) throw new SyntaxException(name.location(), "__builtin_choose_expr takes 3 arguments");
        return operand(arguments.get(operand(arguments.get(0), name).bits() != 0 ? 1 : 2), name);
    }

    /** One operand of a builtin, evaluated on its own. */
    private Value operand(List<Token> operand, Token builtin) {
        if (operand.isEmpty()) throw new SyntaxException(builtin.location(), "expected an expression in '" + builtin.text() + "'");
        ConstantExpression e = new ConstantExpression(operand, identifiers, types);
        Value v = e.conditional();
        if (e.pos < operand.size()) throw new SyntaxException(operand.get(e.pos).location(), "unexpected '" + operand.get(e.pos).text() + "' in constant expression");
        return v;
    }

    /** Tokens as a message quotes them: spaced, except around a call's parentheses and commas when {@code call}. */
    private static String written(List<Token> tokens, boolean call) {
        StringBuilder written = new StringBuilder();
        Token previous = null;
        for (Token t : tokens) {
            boolean tight = written.isEmpty() || call && (t.is("(") || t.is(")") || t.is(",") || previous.is("("));
            written.append(tight ? "" : " ").append(t.text());
            previous = t;
        }
        return written.toString();
    }

    private static boolean isPostfix(Token t) {
        return t.is("(") || t.is("[") || t.is(".") || t.is("->") || t.is("++") || t.is("--");
    }

    /** An integer literal is unsigned with a u suffix (or when its value does not fit the largest signed type). */
    private static boolean hasUnsignedSuffix(Token t) {
        String text = t.text();
        for (int i = text.length() - 1; i > 0 && "uUlL".indexOf(text.charAt(i)) >= 0; i--) {
            if (text.charAt(i) == 'u' || text.charAt(i) == 'U') return true;
        }
        return false;
    }

    /**
     * After a '(': the cast its words up to the ')' name (then passed over), or null. The words may
     * begin with a typeof of an expression (Linux's round_up: {@code (__typeof__(x))((y)-1)}).
     */
    private IntegerCast cast() {
        if (types == null) return null;
        int close = pos;
        if (close + 1 < tokens.size() && tokens.get(close).isIdentifier() && HeaderParser.isTypeofKeyword(tokens.get(close).text())
                && tokens.get(close + 1).is("(")) {
            close = Macro.closingParenthesis(tokens, close + 1) + 1;
        }
        while (close < tokens.size() && tokens.get(close).isIdentifier()) close++;
        if (close == pos || close >= tokens.size() || !tokens.get(close).is(")")) return null;
        IntegerCast c = types.cast(tokens.subList(pos, close));
        if (c != null) pos = close + 1;
        return c;
    }

    /** {@code sizeof ( type-name )}; the size of an expression's type is not worked out here. */
    private long sizeOf() {
        return typeFact(types::sizeOf);
    }

    /** {@code sizeof}, {@code _Alignof} or {@code __alignof__} of a parenthesized type name, at the keyword. */
    private long typeFact(java.util.function.Function<List<Token>, java.util.OptionalLong> fact) {
        Token keyword = tokens.get(pos++);
        String word = keyword.text();
        if (!accept("(")) throw new SyntaxException(keyword.location(), "xcfi evaluates " + word + " of a parenthesized type name only");
        int open = pos, depth = 1;
        while (pos < tokens.size() && (depth += tokens.get(pos).is("(") ? 1 : tokens.get(pos).is(")") ? -1 : 0) > 0) pos++;
        if (pos >= tokens.size()) throw new SyntaxException(keyword.location(), "expected ')' after " + word + "'s type name");
        List<Token> typeName = tokens.subList(open, pos++);
        if (typeName.isEmpty()) throw new SyntaxException(keyword.location(), "expected a type name after " + word);
        // clang sizes expressions too (Linux's __is_constexpr: sizeof(*(8 ? … : (int *)8)))
        if (!types.startsTypeName(typeName.get(0))) throw new NotComputed(keyword.location(), word + "(" + written(typeName, false) + ")", "it types no expression given to " + word);
        java.util.OptionalLong value = fact.apply(typeName);
        if (value.isEmpty()) throw new NotComputed(keyword.location(), word + "(" + written(typeName, false) + ")");
        return value.getAsLong();
    }

    static long parseInteger(Token t) {
        String text = t.text();
        if (text.length() <= 18 && text.charAt(0) != '0') {
            long v = 0;
            int i = 0;
            for (; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) v = v * 10 + (text.charAt(i) - '0');
            if (i == text.length()) return v;   // plain decimal digits: the usual case, read without copies
        }
        String s = text.replace("'", "").toLowerCase(java.util.Locale.ROOT);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 'u' || s.charAt(end - 1) == 'l')) end--;
        s = s.substring(0, end);
        try {
            if (s.startsWith("0x")) return Long.parseUnsignedLong(s.substring(2), 16);
            if (s.startsWith("0b")) return Long.parseUnsignedLong(s.substring(2), 2);
            if (s.length() > 1 && s.startsWith("0")) return Long.parseUnsignedLong(s.substring(1), 8);
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new SyntaxException(t.location(), "invalid integer constant '" + t.text() + "'");
        }
    }

    private static long parseCharacter(Token t) {
        String value = LiteralText.decode(t.text());
        return value.isEmpty() ? 0 : value.charAt(0);
    }

    private boolean accept(String p) {
        if (pos < tokens.size() && tokens.get(pos).is(p)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String p) {
        if (!accept(p)) {
            SourceLocation at = pos < tokens.size() ? tokens.get(pos).location() : tokens.get(tokens.size() - 1).location();
            throw new SyntaxException(at, "expected '" + p + "' in constant expression");
        }
    }
}
