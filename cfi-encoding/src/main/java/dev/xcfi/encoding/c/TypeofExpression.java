package dev.xcfi.encoding.c;

import dev.xcfi.encoding.CTypePrinter;
import dev.xcfi.encoding.source.RecursionLimit;
import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;
import dev.xcfi.types.ArrayType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.CType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.TagType;
import dev.xcfi.types.Target;

import java.util.List;

/**
 * The type of the expression in {@code typeof(expr)}, as clang gives it: how kernels declare one
 * function with another's type ({@code extern typeof(func) __SCT__tramp;} for static calls) and
 * take callbacks of a declared function's type ({@code typeof(&handler)}). The expression is only
 * typed, never evaluated, and typeof keeps what an expression is: a function designator stays a
 * function type, an array an array, an lvalue keeps its qualifiers; operands used as values decay
 * and lose them, as C's conversions say.
 *
 * <p>Typed: declared names (objects, functions, enumerators), literals, {@code ( )}, subscripts,
 * calls, members ({@code .} and {@code ->}), unary {@code & * + - ~ !}, casts, {@code sizeof} and
 * {@code _Alignof}, and the binary, conditional and comma operators on arithmetic types and
 * pointers. Anything else (statement expressions, generic selections, compound literals, builtins)
 * is an error naming the place, never a guessed type.
 */
final class TypeofExpression {
    /** What the parser knows at the point of the {@code typeof}. */
    interface Scope {
        /** The declared type of a parameter before, or of a file-scope object or function, or null when none is declared. */
        CType ordinary(String name);

        /** Whether every declaration so far was kept (see {@code HeaderParser.keepingTypes}). */
        boolean keptEveryDeclaration();

        /** Whether {@code name} is an array whose length its initializer gives ({@code int a[] = {1, 2};}), which xcfi does not count. */
        boolean isSizedByInitializer(String name);

        /** Whether {@code name} is an enumeration constant. */
        boolean isEnumerator(String name);

        /** The type of an enumeration constant (clang's, as C gives it), or null when xcfi does not know it. */
        CType enumerator(String name);

        /** Whether struct or union {@code record} is defined (its members known). */
        boolean isComplete(TagType record);

        /** The type of member {@code name} of struct or union {@code record}, or null when it has none. */
        CType member(TagType record, String name);

        /** Whether a type name starts at {@code t} (a cast's, sizeof's). */
        boolean startsTypeName(Token t);

        /** A type name given as tokens. */
        CType typeName(List<Token> tokens);

        Target target();
    }

    /**
     * A typed operand: its type as typeof gives it, and whether it is an lvalue or function
     * designator (whose qualifiers and kind typeof keeps). {@code unsized}: where an array whose
     * length xcfi does not know (an initializer's) was named, while the type still spells that length.
     */
    private record Typed(CType type, boolean lvalue, Token unsized) {
        Typed(CType type, boolean lvalue) {
            this(type, lvalue, null);
        }
    }

    private final List<Token> tokens;
    private final Scope scope;
    private final Target target;
    private final SourceLocation end;
    private final RecursionLimit nesting = new RecursionLimit(256);
    private int pos;

    private TypeofExpression(List<Token> tokens, Scope scope, SourceLocation end) {
        this.tokens = tokens;
        this.scope = scope;
        this.target = scope.target();
        this.end = end;
    }

    /** The type of the expression {@code tokens} (the text between typeof's parentheses); {@code end} is where the ')' is. */
    static CType of(List<Token> tokens, Scope scope, SourceLocation end) {
        if (tokens.isEmpty()) throw new SyntaxException(end, "expected expression");
        TypeofExpression e = new TypeofExpression(tokens, scope, end);
        Typed t = e.comma();
        if (e.pos < tokens.size()) throw new SyntaxException(e.peekLocation(), "expected ')'");
        if (t.unsized != null) {
            throw new SyntaxException(t.unsized.location(), "xcfi does not type '" + t.unsized.text() + "' inside typeof: its array length is its initializer's, which xcfi does not count");
        }
        return t.type;
    }

    // --- binary operators, lowest precedence first --------------------------------------------------------

    private Typed comma() {
        Typed t = conditional();
        while (accept(",")) t = rvalue(conditional());
        return t;
    }

    private Typed conditional() {
        Typed c = binary(0);
        if (!peekIs("?")) return c;
        Token q = tokens.get(pos++);
        Typed a = comma();
        expect(":");
        Typed b = conditional();
        CType x = value(a.type), y = value(b.type);
        if (isArithmetic(x) && isArithmetic(y)) return rvalue(arithmetic(x, y, q));
        if (x.canonical().equals(y.canonical())) return rvalue(x);
        throw unsupported(q, "a conditional whose branches have different non-arithmetic types");
    }

    /** C's binary operators by precedence, loosest first. */
    private static final String[][] LEVELS = {
            {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", ">", "<=", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};

    private Typed binary(int level) {
        if (level == LEVELS.length) return cast();
        Typed left = binary(level + 1);
        while (true) {
            Token op = pos < tokens.size() ? tokens.get(pos) : null;
            if (op == null || !isOneOf(op, LEVELS[level])) return left;
            pos++;
            Typed right = binary(level + 1);
            left = rvalue(binaryType(op, value(left.type), value(right.type)));
        }
    }

    private CType binaryType(Token op, CType a, CType b) {
        switch (op.text()) {
            case "||", "&&", "==", "!=", "<", ">", "<=", ">=" -> {
                return BuiltinType.INT;
            }
            case "<<", ">>" -> {
                return promoted(integer(a, op), op);
            }
            case "+", "-" -> {
                boolean pa = a.canonical() instanceof PointerType, pb = b.canonical() instanceof PointerType;
                if (pa && pb && op.is("-")) return standard("ptrdiff_t", op);
                if (pa && isInteger(b)) return a;
                if (pb && isInteger(a) && op.is("+")) return b;
            }
            default -> { }
        }
        if (isArithmetic(a) && isArithmetic(b)) {
            if (op.is("%") || op.is("&") || op.is("|") || op.is("^")) {
                integer(a, op);
                integer(b, op);
            }
            return arithmetic(a, b, op);
        }
        throw unsupported(op, "'" + op.text() + "' on these operands");
    }

    // --- unary operators and casts --------------------------------------------------------------------------

    private Typed cast() {
        if (peekIs("(") && pos + 1 < tokens.size() && scope.startsTypeName(tokens.get(pos + 1))) {
            Token open = tokens.get(pos);
            int close = closing(pos);
            CType type = scope.typeName(tokens.subList(pos + 1, close));
            pos = close + 1;
            if (peekIs("{")) throw unsupported(open, "a compound literal");
            nested(this::cast);   // the operand is only checked
            return rvalue(type);
        }
        return unary();
    }

    private Typed unary() {
        Token t = pos < tokens.size() ? tokens.get(pos) : null;
        if (t == null) throw new SyntaxException(end, "expected expression");
        switch (t.text()) {
            case "&" -> {
                if (t.kind() != Token.Kind.PUNCTUATOR) break;
                pos++;
                Typed operand = nested(this::cast);
                if (!operand.lvalue) throw new SyntaxException(t.location(), "cannot take the address of an rvalue of type " + quoted(operand.type));
                return new Typed(PointerType.to(operand.type), false, operand.unsized);   // &a still spells a's length
            }
            case "*" -> {
                if (t.kind() != Token.Kind.PUNCTUATOR) break;
                pos++;
                Typed typed = nested(this::cast);
                CType operand = value(typed.type);
                // *&a is a again; *a (decayed) is an element, whose length is known
                boolean decayed = typed.type.canonical().unqualified() instanceof ArrayType;
                if (operand.canonical() instanceof PointerType pointer) return new Typed(pointer.pointee(), true, decayed ? null : typed.unsized);
                throw new SyntaxException(t.location(), "indirection requires pointer operand (" + quoted(operand) + " invalid)");
            }
            case "+", "-", "~" -> {
                if (t.kind() != Token.Kind.PUNCTUATOR) break;
                pos++;
                CType v = value(nested(this::cast).type);
                if (t.is("~")) integer(v, t);
                if (!isArithmetic(v)) throw new SyntaxException(t.location(), "invalid argument type to unary expression");
                return rvalue(promoted(v, t));
            }
            case "!" -> {
                pos++;
                nested(this::cast);
                return rvalue(BuiltinType.INT);
            }
            case "++", "--" -> {
                pos++;
                return rvalue(value(nested(this::unary).type));
            }
            case "sizeof", "_Alignof", "__alignof__", "__alignof" -> {
                pos++;
                if (peekIs("(") && pos + 1 < tokens.size() && scope.startsTypeName(tokens.get(pos + 1))) pos = closing(pos) + 1;
                else nested(this::unary);
                return rvalue(standard("size_t", t));
            }
            default -> { }
        }
        return postfix(primary());
    }

    // --- postfix and primary expressions ----------------------------------------------------------------------

    private Typed postfix(Typed t) {
        while (pos < tokens.size()) {
            Token op = tokens.get(pos);
            if (op.is("[")) {
                pos++;
                Typed index = nested(this::comma);
                expect("]");
                CType a = value(t.type).canonical(), b = value(index.type).canonical();
                if (a instanceof PointerType p && isInteger(b)) t = new Typed(p.pointee(), true);
                else if (b instanceof PointerType p && isInteger(a)) t = new Typed(p.pointee(), true);
                else throw new SyntaxException(op.location(), "subscripted value is not an array, pointer, or vector");
            } else if (op.is("(")) {
                pos = closing(pos) + 1;   // the arguments are not typed: a call's type is its callee's return type
                CType callee = value(t.type);
                if (callee.canonical() instanceof PointerType p && p.pointee().canonical() instanceof FunctionType f) t = rvalue(f.returnType());
                else throw new SyntaxException(op.location(), "called object type " + quoted(callee) + " is not a function or function pointer");
            } else if (op.is(".") || op.is("->")) {
                pos++;
                Token name = next("a member name");
                if (!name.isIdentifier()) throw new SyntaxException(name.location(), "expected a member name");
                CType record = t.type;
                if (op.is("->")) {
                    if (!(value(record).canonical() instanceof PointerType p)) throw new SyntaxException(name.location(), "member reference type " + quoted(value(record)) + " is not a pointer");
                    record = p.pointee();
                }
                if (!(record.unqualified() instanceof TagType tag) || tag.kind() == TagType.Kind.ENUM) {
                    throw new SyntaxException(op.location(), "member reference base type " + quoted(value(record)) + " is not a structure or union");
                }
                if (!scope.isComplete(tag)) throw new SyntaxException(op.location(), "incomplete definition of type " + quoted(record.unqualified()));
                CType member = scope.member(tag, name.text());
                if (member == null) throw new SyntaxException(name.location(), "no member named '" + name.text() + "' in " + quoted(record.unqualified()));
                // a member of a qualified record is as qualified (const struct s x; typeof(x.n) is const)
                CType qualified = record.qualifiers().equals(dev.xcfi.types.Qualifiers.NONE) ? member : QualifiedType.of(member, record.qualifiers());
                t = new Typed(qualified, op.is("->") || t.lvalue);
            } else if (op.is("++") || op.is("--")) {
                pos++;
                t = rvalue(value(t.type));
            } else {
                return t;
            }
        }
        return t;
    }

    private Typed primary() {
        Token t = next("an expression");
        switch (t.kind()) {
            case IDENTIFIER -> {
                CType declared = scope.ordinary(t.text());
                if (declared != null) return new Typed(declared, true, scope.isSizedByInitializer(t.text()) ? t : null);
                if (scope.isEnumerator(t.text())) {
                    CType e = scope.enumerator(t.text());
                    if (e == null) throw unsupported(t, "the type of enumerator '" + t.text() + "' (its value does not fit in int)");
                    return rvalue(e);
                }
                if (t.text().startsWith("__builtin")) throw unsupported(t, "'" + t.text() + "'");
                throw new SyntaxException(t.location(), "use of undeclared identifier '" + t.text() + "'" + (scope.keptEveryDeclaration() ? ""
                        : " (or declared before the first file that mentions typeof: xcfi keeps declarations' types for typeof from there on)"));
            }
            case NUMBER -> {
                return rvalue(numberType(t));
            }
            case CHARACTER -> {
                if (t.text().charAt(0) != '\'') throw unsupported(t, "a prefixed character literal");
                return rvalue(BuiltinType.INT);
            }
            case STRING -> {
                long length = stringLength(t);
                while (peekKind(Token.Kind.STRING)) length += stringLength(tokens.get(pos++)) - 1;   // "ab" "cd" is one literal
                return new Typed(new ArrayType(BuiltinType.CHAR, new ArrayType.Size.Fixed(length)), true);
            }
            case PUNCTUATOR -> {
                if (t.is("(")) {
                    if (peekIs("{")) throw new SyntaxException(t.location(), "statement expression not allowed at file scope");
                    Typed inner = nested(this::comma);
                    expect(")");
                    return inner;
                }
            }
            default -> { }
        }
        throw new SyntaxException(t.location(), "expected expression");
    }

    /** A string literal's array length: its bytes and the terminating NUL. */
    private static long stringLength(Token t) {
        if (t.text().charAt(0) != '"') throw unsupported(t, "a prefixed string literal");
        String value = LiteralText.decode(t.text());
        for (int i = 0; i < value.length(); i++) if (value.charAt(i) >= 0x80) throw unsupported(t, "a string literal with characters beyond ASCII");
        return value.length() + 1L;
    }

    /**
     * An integer or floating literal's type: C's lists (a decimal literal goes int, long, long long;
     * an octal or hex one may be unsigned too), narrowed by its suffix.
     */
    private CType numberType(Token t) {
        String s = t.text().toLowerCase(java.util.Locale.ROOT).replace("'", "");
        boolean hex = s.startsWith("0x");
        if (!hex && (s.contains(".") || s.contains("e")) || hex && s.contains("p")) {
            String digits = hex ? "0x[0-9a-f]*\\.?[0-9a-f]*p[-+]?[0-9]+" : "([0-9]*\\.?[0-9]*)(e[-+]?[0-9]+)?";
            if (s.matches(digits + "f")) return BuiltinType.of(Kind.FLOAT);
            if (s.matches(digits + "l")) return BuiltinType.of(Kind.LONG_DOUBLE);
            if (s.matches(digits)) return BuiltinType.of(Kind.DOUBLE);
            throw unsupported(t, "the literal '" + t.text() + "'");
        }
        int suffix = s.length();
        while (suffix > 0 && (s.charAt(suffix - 1) == 'u' || s.charAt(suffix - 1) == 'l')) suffix--;
        String sfx = s.substring(suffix);
        if (!s.substring(0, suffix).matches("0x[0-9a-f]+|0b[01]+|[0-9]+") || !sfx.matches("u?(l|ll)?|(l|ll)u")) {
            throw unsupported(t, "the literal '" + t.text() + "'");
        }
        long value = ConstantExpression.parseInteger(t);
        boolean decimal = !(hex || s.startsWith("0b") || s.length() > 1 && s.charAt(0) == '0' && suffix > 1);
        boolean unsigned = sfx.contains("u");
        int longs = sfx.replace("u", "").length();
        Kind[] candidates = {Kind.INT, Kind.LONG, Kind.LONG_LONG};
        for (int k = longs; k < candidates.length; k++) {
            Kind signed = candidates[k], unsignedKind = unsignedOf(signed);
            if (!unsigned && fits(value, target.bits(signed) - 1)) return BuiltinType.of(signed);
            if ((unsigned || !decimal) && fits(value, target.bits(unsignedKind))) return BuiltinType.of(unsignedKind);
        }
        throw unsupported(t, "the literal '" + t.text() + "' (too large for long long)");
    }

    private static boolean fits(long value, int bits) {
        return bits >= 64 || value >>> bits == 0;
    }

    // --- C's conversions ---------------------------------------------------------------------------------

    /** An operand used as a value: arrays and functions decay to pointers, qualifiers go (lvalue conversion). */
    private static CType value(CType t) {
        CType c = t.canonical();
        if (c.unqualified() instanceof ArrayType a) return PointerType.to(a.element());
        if (c instanceof FunctionType) return PointerType.to(t);
        return c instanceof QualifiedType ? c.unqualified() : t;
    }

    private static Typed rvalue(CType t) {
        return new Typed(t.canonical() instanceof QualifiedType ? t.unqualified() : t, false);
    }

    private static Typed rvalue(Typed t) {
        return rvalue(value(t.type));
    }

    private static boolean isArithmetic(CType t) {
        return t.canonical() instanceof BuiltinType b && (b.kind().isInteger() || b.kind().isFloating());
    }

    private static boolean isInteger(CType t) {
        return t.canonical() instanceof BuiltinType b && b.kind().isInteger()
                || t.canonical() instanceof TagType tag && tag.kind() == TagType.Kind.ENUM;
    }

    private static CType integer(CType t, Token at) {
        if (!isInteger(t)) throw new SyntaxException(at.location(), "invalid operands to '" + at.text() + "' (an integer is needed)");
        return t;
    }

    /** The integer promotions: what is narrower than int becomes int (every target's int holds all their values). */
    private CType promoted(CType t, Token at) {
        CType c = t.canonical();
        if (c instanceof TagType) throw unsupported(at, "arithmetic on an enum-typed operand");
        Kind k = ((BuiltinType) c).kind();
        return switch (k) {
            case BOOL, CHAR, SIGNED_CHAR, UNSIGNED_CHAR, SHORT, UNSIGNED_SHORT -> BuiltinType.INT;
            default -> c;
        };
    }

    /** The usual arithmetic conversions. */
    private CType arithmetic(CType a, CType b, Token at) {
        Kind x = ((BuiltinType) (a.canonical() instanceof TagType ? promoted(a, at) : a.canonical())).kind();
        Kind y = ((BuiltinType) (b.canonical() instanceof TagType ? promoted(b, at) : b.canonical())).kind();
        if (x.isFloating() || y.isFloating()) {
            for (Kind f : new Kind[] {Kind.LONG_DOUBLE, Kind.DOUBLE, Kind.FLOAT}) if (x == f || y == f) return BuiltinType.of(f);
            throw unsupported(at, "arithmetic on " + x.spelling() + " and " + y.spelling());
        }
        x = ((BuiltinType) promoted(BuiltinType.of(x), at)).kind();
        y = ((BuiltinType) promoted(BuiltinType.of(y), at)).kind();
        if (x == y) return BuiltinType.of(x);
        boolean sx = target.isSigned(x), sy = target.isSigned(y);
        int rx = rank(x), ry = rank(y);
        if (sx == sy) return BuiltinType.of(rx >= ry ? x : y);
        Kind unsigned = sx ? y : x, signed = sx ? x : y;
        if (rank(unsigned) >= rank(signed)) return BuiltinType.of(unsigned);
        if (target.bits(signed) > target.bits(unsigned)) return BuiltinType.of(signed);
        return BuiltinType.of(unsignedOf(signed));
    }

    private static int rank(Kind k) {
        return switch (k) {
            case INT, UNSIGNED_INT -> 1;
            case LONG, UNSIGNED_LONG -> 2;
            case LONG_LONG, UNSIGNED_LONG_LONG -> 3;
            default -> 4;   // __int128
        };
    }

    private static Kind unsignedOf(Kind signed) {
        return switch (signed) {
            case INT -> Kind.UNSIGNED_INT;
            case LONG -> Kind.UNSIGNED_LONG;
            case LONG_LONG -> Kind.UNSIGNED_LONG_LONG;
            case INT128 -> Kind.UNSIGNED_INT128;
            default -> signed;
        };
    }

    /** size_t or ptrdiff_t as the target defines it. */
    private CType standard(String typedef, Token at) {
        Kind k = target.standardTypedefs().get(typedef);
        if (k == null) throw unsupported(at, typedef + " on " + target.triple());
        return BuiltinType.of(k);
    }

    // --- tokens ------------------------------------------------------------------------------------------

    private <T> T nested(java.util.function.Supplier<T> inner) {
        if (!nesting.enter()) throw new SyntaxException(peekLocation(), "expression nested more than " + nesting.max() + " levels");
        try {
            return inner.get();
        } finally {
            nesting.exit();
        }
    }

    /** The position of the bracket that closes the one at {@code open}. */
    private int closing(int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("[") || t.is("{")) depth++;
            else if ((t.is(")") || t.is("]") || t.is("}")) && --depth == 0) return i;
        }
        throw new SyntaxException(tokens.get(open).location(), "expected ')'");
    }

    private static boolean isOneOf(Token t, String[] ops) {
        if (t.kind() != Token.Kind.PUNCTUATOR) return false;
        for (String op : ops) if (t.is(op)) return true;
        return false;
    }

    private boolean peekIs(String s) {
        return pos < tokens.size() && tokens.get(pos).is(s) && tokens.get(pos).kind() == Token.Kind.PUNCTUATOR;
    }

    private boolean peekKind(Token.Kind kind) {
        return pos < tokens.size() && tokens.get(pos).kind() == kind;
    }

    private SourceLocation peekLocation() {
        return pos < tokens.size() ? tokens.get(pos).location() : end;
    }

    private Token next(String what) {
        if (pos >= tokens.size()) throw new SyntaxException(end, "expected " + what);
        return tokens.get(pos++);
    }

    private boolean accept(String s) {
        if (!peekIs(s)) return false;
        pos++;
        return true;
    }

    private void expect(String s) {
        if (!accept(s)) throw new SyntaxException(peekLocation(), "expected '" + s + "'");
    }

    /** A type as clang's messages quote it. */
    private static String quoted(CType t) {
        return "'" + CTypePrinter.print(t) + "'";
    }

    private static SyntaxException unsupported(Token at, String what) {
        return new SyntaxException(at.location(), "xcfi does not type " + what + " inside typeof");
    }
}
