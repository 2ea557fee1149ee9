package dev.xcfi.encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Itanium C++ manglings back as C++, spelled as {@code llvm-cxxfilt} spells them: a C++
 * module's type ids ({@code _ZTSFvRN2ns6WidgetElE}: {@code void (ns::Widget&, long)}) and symbols
 * ({@code _ZL9on_widgetRN2ns6WidgetEl}: {@code on_widget(ns::Widget&, long)}), which the C decoder
 * ({@link TypeIdDecoder}) does not read: references, namespaces and classes, templates, member
 * pointers, operators. For reports only — nothing is encoded from what it reads — so what it does
 * not know (lambdas, packs, {@code decltype}, local names) is refused with an empty result, never
 * an exception.
 *
 * <p>Types print in two halves, as the grammar of C++ declarators needs: a pointer to a function
 * is {@code void (*)(long)} — the function's result on the left of the {@code *}, its parameters
 * on the right ({@link Node#left}, {@link Node#right}).
 */
public final class ItaniumDemangler extends IdReader {
    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("nw", "new"), Map.entry("na", "new[]"), Map.entry("dl", "delete"), Map.entry("da", "delete[]"),
            Map.entry("ps", "+"), Map.entry("ng", "-"), Map.entry("ad", "&"), Map.entry("de", "*"), Map.entry("co", "~"),
            Map.entry("pl", "+"), Map.entry("mi", "-"), Map.entry("ml", "*"), Map.entry("dv", "/"), Map.entry("rm", "%"),
            Map.entry("an", "&"), Map.entry("or", "|"), Map.entry("eo", "^"), Map.entry("aS", "="), Map.entry("pL", "+="),
            Map.entry("mI", "-="), Map.entry("mL", "*="), Map.entry("dV", "/="), Map.entry("rM", "%="), Map.entry("aN", "&="),
            Map.entry("oR", "|="), Map.entry("eO", "^="), Map.entry("ls", "<<"), Map.entry("rs", ">>"), Map.entry("lS", "<<="),
            Map.entry("rS", ">>="), Map.entry("eq", "=="), Map.entry("ne", "!="), Map.entry("lt", "<"), Map.entry("gt", ">"),
            Map.entry("le", "<="), Map.entry("ge", ">="), Map.entry("ss", "<=>"), Map.entry("nt", "!"), Map.entry("aa", "&&"),
            Map.entry("oo", "||"), Map.entry("pp", "++"), Map.entry("mm", "--"), Map.entry("cm", ","), Map.entry("pm", "->*"),
            Map.entry("pt", "->"), Map.entry("cl", "()"), Map.entry("ix", "[]"));
    private static final Map<Character, String> BUILTINS = Map.ofEntries(
            Map.entry('v', "void"), Map.entry('w', "wchar_t"), Map.entry('b', "bool"), Map.entry('c', "char"), Map.entry('a', "signed char"),
            Map.entry('h', "unsigned char"), Map.entry('s', "short"), Map.entry('t', "unsigned short"), Map.entry('i', "int"),
            Map.entry('j', "unsigned int"), Map.entry('l', "long"), Map.entry('m', "unsigned long"), Map.entry('x', "long long"),
            Map.entry('y', "unsigned long long"), Map.entry('n', "__int128"), Map.entry('o', "unsigned __int128"), Map.entry('f', "float"),
            Map.entry('d', "double"), Map.entry('e', "long double"), Map.entry('g', "__float128"), Map.entry('z', "..."));
    private static final Map<Character, String> D_BUILTINS = Map.ofEntries(
            Map.entry('d', "decimal64"), Map.entry('e', "decimal128"), Map.entry('f', "decimal32"), Map.entry('h', "half"),
            Map.entry('i', "char32_t"), Map.entry('s', "char16_t"), Map.entry('u', "char8_t"), Map.entry('a', "auto"),
            Map.entry('c', "decltype(auto)"), Map.entry('n', "std::nullptr_t"));

    private static final Map<Character, String> ABBREVIATIONS = Map.of('a', "std::allocator", 'b', "std::basic_string", 's', "std::string",
            'i', "std::istream", 'o', "std::ostream", 'd', "std::iostream");
    private final List<Node> substitutions = new ArrayList<>();
    /** The template arguments {@code T_}, {@code T0_}… refer to: the last ones an encoding's name had. */
    private List<Node> templateArgs = List.of();

    private ItaniumDemangler(String s, int pos) {
        super(s, pos);
    }

    /** An id without its mode suffixes and cfi-vcall's and cfi-mfcall's ".virtual". */
    private static String mangling(String id) {
        String bare = id.endsWith(".virtual") ? id.substring(0, id.length() - ".virtual".length()) : id;
        return bare.substring(0, bare.length() - CfiMode.ofSuffixes(bare).suffix().length());
    }

    /** A type id ({@code _ZTS…}, mode suffixes allowed) as the C++ type it names; empty when not read. */
    public static Optional<String> typeId(String id) {
        String mangling = mangling(id);
        if (!mangling.startsWith("_ZTS")) return Optional.empty();
        ItaniumDemangler d = new ItaniumDemangler(mangling, 4);
        return d.whole(() -> d.type().print());
    }

    /** A function type's result and parameters, each printed as C++. */
    public record FunctionParts(String result, List<String> parameters) {}

    /** The parts of a function type id ({@code _ZTSF…E}), to say which one differs from another id's; empty when not read. */
    public static Optional<FunctionParts> functionParts(String id) {
        String mangling = mangling(id);
        if (!mangling.startsWith("_ZTSF")) return Optional.empty();
        ItaniumDemangler d = new ItaniumDemangler(mangling, 4);
        try {
            if (d.type() instanceof Function f && d.pos == mangling.length()) {
                List<String> params = new ArrayList<>();
                for (Node p : f.params()) if (!(p instanceof Pack pack && pack.elements().isEmpty())) params.add(p.print());
                return Optional.of(new FunctionParts(f.result().print(), params));
            }
        } catch (RuntimeException e) {
            // not read: no parts to point at
        }
        return Optional.empty();
    }

    /** A symbol ({@code _Z…}) as {@code llvm-cxxfilt} prints it; empty when it is not one or not read. */
    public static Optional<String> symbol(String name) {
        if (!name.startsWith("_Z")) return Optional.empty();
        ItaniumDemangler d = new ItaniumDemangler(name, 2);
        return d.whole(d::encoding);
    }

    private Optional<String> whole(java.util.function.Supplier<String> reading) {
        try {
            String out = reading.get();
            return pos == s.length() ? Optional.of(out) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();   // not a mangling this reader knows: the caller shows the raw text
        }
    }

    // ---- encodings ---------------------------------------------------------------------------

    private String encoding() {
        if (eat("TS")) return "typeinfo name for " + type().print();
        if (eat("TI")) return "typeinfo for " + type().print();
        if (eat("TV")) return "vtable for " + type().print();
        if (eat("TT")) return "VTT for " + type().print();
        if (eat("GV")) return "guard variable for " + name(new Scope(), false).text;
        eat("L");   // internal linkage (a static function): not printed
        Scope scope = new Scope();
        Name name = name(scope, true);
        if (pos == s.length()) return name.text;   // a variable
        if (s.charAt(pos) == '.') throw error("not read here");   // clone suffixes (.cold, .llvm.…): left raw
        Node result = null;
        if (name.template && !name.ctorDtorOrConversion) result = type();
        List<Node> params = parameters();
        StringBuilder out = new StringBuilder();
        if (result != null) {
            result.left(out);
            out.append(' ');
        }
        out.append(name.text).append('(');
        list(params, out);
        out.append(')');
        if (result != null) result.right(out);
        out.append(scope.qualifiers);
        return out.toString();
    }

    private List<Node> parameters() {
        List<Node> params = new ArrayList<>();
        while (pos < s.length() && s.charAt(pos) != 'E' && s.charAt(pos) != '.') {
            Node param = type();
            if (!(param instanceof Leaf leaf && leaf.text.equals("void"))) params.add(param);   // "v" is no parameter
        }
        return params;
    }

    private static void list(List<Node> nodes, StringBuilder out) {
        boolean first = true;
        for (Node n : nodes) {
            if (n instanceof Pack p && p.elements().isEmpty()) continue;
            if (!first) out.append(", ");
            n.print(out);
            first = false;
        }
    }

    // ---- names -------------------------------------------------------------------------------

    /** What a nested name's {@code N [cv] [ref]} said about the function it names ({@code  const}, {@code  &}). */
    private static final class Scope {
        String qualifiers = "";
    }

    /** A name as printed, and whether it ends in template arguments or is a constructor, destructor or conversion. */
    private record Name(String text, boolean template, boolean ctorDtorOrConversion) {}

    /** A name; {@code top}: the encoding's own, whose template arguments are what {@code T_} means in its signature. */
    private Name name(Scope scope, boolean top) {
        if (peek() == 'N') return nested(scope, top);
        if (peek() == 'Z') throw error("not read here");   // local names
        Node prefix;
        if (eat("St")) prefix = new Leaf("std::" + unqualified(null).text);
        else if (peek() == 'S') prefix = substitution();
        else prefix = new Leaf(unqualified(null).text);
        if (at('I')) {
            substitutions.add(prefix);
            List<Node> args = top ? templateArguments() : templateArgumentsKeepingScope();
            return new Name(prefix.print() + arguments(args), true, false);
        }
        return new Name(prefix.print(), false, false);
    }

    private Name nested(Scope scope, boolean top) {
        expect('N');
        StringBuilder quals = new StringBuilder();
        if (eat("r")) quals.append(" restrict");
        if (eat("V")) quals.append(" volatile");
        if (eat("K")) quals.insert(0, " const");
        if (eat("R")) quals.append(" &");
        else if (eat("O")) quals.append(" &&");
        scope.qualifiers = quals.toString();
        String soFar = null;
        boolean template = false, special = false;
        while (!eat("E")) {
            if (peek() == 'I') {
                if (soFar == null) throw error("not read here");
                List<Node> args = top ? templateArguments() : templateArgumentsKeepingScope();
                soFar = soFar + arguments(args);
                template = true;
            } else if (soFar == null && eat("St")) {
                soFar = "std";
                continue;   // "std" itself is not a substitution candidate
            } else if (soFar == null && peek() == 'S') {
                soFar = substitution().print();
                template = false;
                continue;   // already a candidate
            } else {
                eat("L");   // internal linkage, inside the scope: not printed
                Unqualified u = unqualified(soFar == null ? null : lastComponent(soFar));
                soFar = soFar == null ? u.text : soFar + "::" + u.text;
                template = false;
                special = u.special;
            }
            if (!at('E')) substitutions.add(new Leaf(soFar));
        }
        if (soFar == null) throw error("not read here");
        return new Name(soFar, template, special);
    }

    /** The last component of a printed name without its template arguments: what a constructor is named. */
    private static String lastComponent(String name) {
        int depth = 0, start = 0, end = name.length();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '<' || c == '(') {
                if (depth++ == 0 && end == name.length()) end = i;
            } else if (c == '>' || c == ')') {
                depth--;
            } else if (depth == 0 && c == ':' && i + 1 < name.length() && name.charAt(i + 1) == ':') {
                start = i + 2;
                end = name.length();
                i++;
            }
        }
        return name.substring(start, Math.max(start, end));
    }

    /** One component: its text, and whether it is a constructor, destructor or conversion. */
    private record Unqualified(String text, boolean special) {}

    private Unqualified unqualified(String enclosing) {
        char c = peek();
        if (Character.isDigit(c)) {
            String name = identifier();
            while (at('B')) {
                pos++;
                name = name + "[abi:" + identifier() + "]";
            }
            return new Unqualified(name, false);
        }
        if (c == 'C' && pos + 1 < s.length() && "123".indexOf(s.charAt(pos + 1)) >= 0 || c == 'D' && pos + 1 < s.length() && "012".indexOf(s.charAt(pos + 1)) >= 0) {
            if (enclosing == null) throw error("not read here");
            pos += 2;
            return new Unqualified(c == 'C' ? enclosing : "~" + enclosing, true);
        }
        if (eat("cv")) return new Unqualified("operator " + type().print(), true);
        if (pos + 2 <= s.length()) {
            String op = OPERATORS.get(s.substring(pos, pos + 2));
            if (op != null) {
                pos += 2;
                boolean word = Character.isLetter(op.charAt(0));
                return new Unqualified("operator" + (word ? " " : "") + op, false);
            }
        }
        throw error("not read here");
    }

    private List<Node> templateArguments() {
        expect('I');
        List<Node> args = new ArrayList<>();
        while (!eat("E")) {
            if (eat("L")) {
                args.add(literal());
            } else if (eat("J")) {   // an argument pack: its elements, printed in place
                List<Node> pack = new ArrayList<>();
                while (!eat("E")) pack.add(eat("L") ? literal() : type());
                args.add(new Pack(pack));
            } else {
                args.add(type());
            }
        }
        templateArgs = args;
        return args;
    }

    private static String arguments(List<Node> args) {
        StringBuilder out = new StringBuilder("<");
        list(args, out);
        return out.append('>').toString();
    }

    /** {@code L <type> <value> E}: integers and booleans as C++ writes them, others as {@code (type)value}. */
    private Node literal() {
        if (eat("b0E")) return new Leaf("false");
        if (eat("b1E")) return new Leaf("true");
        Node type = type();
        int start = pos;
        while (peek() != 'E') pos++;
        String value = s.substring(start, pos).replace('n', '-');
        pos++;
        String t = type.print();
        return new Leaf(switch (t) {
            case "int" -> value;
            case "unsigned int" -> value + "u";
            case "long" -> value + "l";
            case "unsigned long" -> value + "ul";
            case "long long" -> value + "ll";
            case "unsigned long long" -> value + "ull";
            default -> "(" + t + ")" + value;
        });
    }

    private boolean isAbbreviation() {
        return pos + 1 < s.length() && s.charAt(pos) == 'S' && ABBREVIATIONS.containsKey(s.charAt(pos + 1));
    }

    /** {@code S_}, {@code S<n>_}: an earlier type or name; {@code Sa}, {@code Ss}…: the standard library's abbreviations. */
    private Node substitution() {
        String abbreviation = isAbbreviation() ? ABBREVIATIONS.get(s.charAt(pos + 1)) : null;
        if (abbreviation != null) {
            pos += 2;
            return new Leaf(abbreviation);
        }
        return substitutions.get(substitutionIndex(substitutions.size()));
    }

    // ---- types -------------------------------------------------------------------------------

    private Node type() {
        return nested(this::unlimitedType);
    }

    private Node unlimitedType() {
        char c = peek();
        String builtin = BUILTINS.get(c);
        if (builtin != null) {
            pos++;
            return new Leaf(builtin);
        }
        Node t;
        switch (c) {
            case 'D' -> {
                char d = s.length() > pos + 1 ? s.charAt(pos + 1) : 0;
                String name = D_BUILTINS.get(d);
                if (name != null) {
                    pos += 2;
                    return new Leaf(name);
                }
                if (s.startsWith("DF16_", pos)) {
                    pos += 5;
                    return new Leaf("_Float16");
                }
                if (s.startsWith("DF16b", pos)) {
                    pos += 5;
                    return new Leaf("std::bfloat16_t");
                }
                if (d == 'o' && s.startsWith("F", pos + 2)) {   // noexcept function type
                    pos += 2;
                    Function f = function();
                    t = new Function(f.result(), f.params(), f.qualifiers() + " noexcept");
                } else if (d == 'B' || d == 'U') {   // _BitInt(N): unlike the other builtins, a substitution candidate
                    pos += 2;
                    String bits = String.valueOf(number());
                    expect('_');
                    t = new Leaf((d == 'U' ? "unsigned " : "") + "_BitInt(" + bits + ")");
                } else if (d == 'v') {
                    pos += 2;
                    String n = String.valueOf(number());
                    expect('_');
                    t = new Vector(type(), n);
                } else if (d == 'p') {
                    throw error("not read here");   // pack expansions
                } else {
                    throw error("not read here");
                }
            }
            case 'u' -> {
                pos++;
                String name = identifier();
                if (at('I')) {   // a vendor type's arguments print in parentheses: ref(u64)
                    String args = arguments(templateArgumentsKeepingScope());
                    t = new Leaf(name + "(" + args.substring(1, args.length() - 1) + ")");
                } else {
                    t = new Leaf(name);
                }
            }
            case 'U' -> {
                // a run of vendor qualifiers is one candidate, the qualified type, as a run of cv-qualifiers is
                List<String> qualifiers = new ArrayList<>();
                while (eat("U")) {
                    String qualifier = identifier();
                    qualifiers.add(at('I') ? qualifier + arguments(templateArgumentsKeepingScope()) : qualifier);
                }
                t = type();
                for (int i = qualifiers.size() - 1; i >= 0; i--) t = new VendorQualified(t, qualifiers.get(i));
            }
            case 'r', 'V', 'K' -> {
                StringBuilder quals = new StringBuilder();
                boolean restrict = eat("r"), isVolatile = eat("V"), isConst = eat("K");
                if (isConst) quals.append(" const");
                if (isVolatile) quals.append(" volatile");
                if (restrict) quals.append(" restrict");
                if (peek() == 'F' || s.startsWith("DoF", pos)) {   // a member function's type: const, then &, then noexcept
                    boolean noexcept = eat("Do");
                    Function f = function();
                    t = new Function(f.result, f.params, quals + f.qualifiers + (noexcept ? " noexcept" : ""));
                } else {
                    t = new Qualified(type(), quals.toString());
                }
            }
            case 'P', 'R', 'O' -> {
                pos++;
                t = new Pointer(type(), c == 'P' ? "*" : c == 'R' ? "&" : "&&");
            }
            case 'C', 'G' -> {
                pos++;
                t = new Postfix(type(), c == 'C' ? " complex" : " imaginary");
            }
            case 'F' -> t = function();
            case 'A' -> {
                pos++;
                String dimension = Character.isDigit(peek()) ? String.valueOf(number()) : "";
                expect('_');
                t = new Array(type(), dimension);
            }
            case 'M' -> {
                pos++;
                Node cls = type();
                t = new MemberPointer(cls, type());
            }
            case 'T' -> {
                pos++;
                int index = 0;
                if (peek() != '_') index = (int) number() + 1;
                expect('_');
                if (index >= templateArgs.size()) throw error("not read here");
                t = templateArgs.get(index);
            }
            case 'S' -> {
                if (s.startsWith("St", pos)) {
                    t = new Leaf(name(new Scope(), false).text);
                } else {
                    Node sub = substitution();
                    if (!at('I')) return sub;   // a substitution is not a candidate itself
                    t = new Leaf(sub.print() + arguments(templateArgumentsKeepingScope()));
                }
            }
            case 'N', 'Z' -> t = new Leaf(name(new Scope(), false).text);
            default -> {
                if (!Character.isDigit(c)) throw error("not read here");
                t = new Leaf(name(new Scope(), false).text);
            }
        }
        substitutions.add(t);
        return t;
    }

    /** Template arguments inside a type: they do not change what {@code T_} refers to. */
    private List<Node> templateArgumentsKeepingScope() {
        List<Node> saved = templateArgs;
        List<Node> args = templateArguments();
        templateArgs = saved;
        return args;
    }

    private Function function() {
        expect('F');
        eat("Y");   // extern "C" function types
        Node result = type();
        List<Node> params = new ArrayList<>();
        String refQualifier = "";
        while (!eat("E")) {
            if (eat("RE")) {   // a member function's ref-qualifier, last
                refQualifier = " &";
                break;
            }
            if (eat("OE")) {
                refQualifier = " &&";
                break;
            }
            Node param = type();
            if (!(param instanceof Leaf leaf && leaf.text.equals("void"))) params.add(param);   // "v" is no parameter
        }
        return new Function(result, params, refQualifier);
    }

    // ---- the cursor --------------------------------------------------------------------------

    /** A source name, which is never empty. */
    private String identifier() {
        String name = sourceName();
        if (name.isEmpty()) throw error("empty name");
        return name;
    }

    /** Whether the next character is {@code c} (false at the end). */
    private boolean at(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    private boolean eat(String prefix) {
        if (!s.startsWith(prefix, pos)) return false;
        pos += prefix.length();
        return true;
    }

    // ---- printing ----------------------------------------------------------------------------

    /**
     * A type in declarator halves: {@code left} is what comes before a declarator's name, {@code
     * right} what comes after; an array or a function has a right half, and a pointer to one
     * parenthesizes its {@code *} ({@code int (*) [3]}, {@code void (*)(long)}).
     */
    private sealed interface Node permits Leaf, Pack, Qualified, VendorQualified, Postfix, Pointer, Function, Array, Vector, MemberPointer {
        void left(StringBuilder out);

        default void right(StringBuilder out) {}

        default boolean isArray() {
            return false;
        }

        default boolean isFunction() {
            return false;
        }

        default void print(StringBuilder out) {
            left(out);
            right(out);
        }

        default String print() {
            StringBuilder out = new StringBuilder();
            print(out);
            return out.toString();
        }
    }

    private record Leaf(String text) implements Node {
        public void left(StringBuilder out) {
            out.append(text);
        }
    }

    /** A template argument pack's elements ({@code std::variant<int, double>}). */
    private record Pack(List<Node> elements) implements Node {
        public void left(StringBuilder out) {
            list(elements, out);
        }
    }

    /** {@code int const volatile}: the qualifiers after what they qualify; an array or function keeps its right half. */
    private record Qualified(Node child, String qualifiers) implements Node {
        public void left(StringBuilder out) {
            child.left(out);
            out.append(qualifiers);
        }

        public void right(StringBuilder out) {
            child.right(out);
        }

        public boolean isArray() {
            return child.isArray();
        }

        public boolean isFunction() {
            return child.isFunction();
        }
    }

    /** {@code int _Atomic}, {@code float* noescape}: a vendor qualifier after the whole type. */
    private record VendorQualified(Node child, String qualifier) implements Node {
        public void left(StringBuilder out) {
            child.print(out);
            out.append(' ').append(qualifier);
        }
    }

    /** {@code double complex}. */
    private record Postfix(Node child, String suffix) implements Node {
        public void left(StringBuilder out) {
            child.print(out);
            out.append(suffix);
        }
    }

    /** A pointer or reference ({@code *}, {@code &}, {@code &&}); to an array or function, parenthesized. */
    private record Pointer(Node pointee, String sigil) implements Node {
        public void left(StringBuilder out) {
            pointee.left(out);
            if (pointee.isArray()) out.append(' ');
            if (pointee.isArray() || pointee.isFunction()) out.append('(');
            out.append(sigil);
        }

        public void right(StringBuilder out) {
            if (pointee.isArray() || pointee.isFunction()) out.append(')');
            pointee.right(out);
        }
    }

    private record Function(Node result, List<Node> params, String qualifiers) implements Node {
        public void left(StringBuilder out) {
            result.left(out);
            out.append(' ');
        }

        public void right(StringBuilder out) {
            out.append('(');
            list(params, out);
            out.append(')');
            result.right(out);
            out.append(qualifiers);
        }

        public boolean isFunction() {
            return true;
        }
    }

    private record Array(Node element, String dimension) implements Node {
        public void left(StringBuilder out) {
            element.left(out);
        }

        public void right(StringBuilder out) {
            if (out.isEmpty() || out.charAt(out.length() - 1) != ']') out.append(' ');
            out.append('[').append(dimension).append(']');
            element.right(out);
        }

        public boolean isArray() {
            return true;
        }
    }

    /** {@code float vector[4]}. */
    private record Vector(Node element, String dimension) implements Node {
        public void left(StringBuilder out) {
            element.print(out);
            out.append(" vector[").append(dimension).append(']');
        }
    }

    /** {@code int Foo::*}, {@code void (Foo::*)(int) const}. */
    private record MemberPointer(Node cls, Node member) implements Node {
        public void left(StringBuilder out) {
            member.left(out);
            out.append(member.isArray() || member.isFunction() ? "(" : " ");
            cls.print(out);
            out.append("::*");
        }

        public void right(StringBuilder out) {
            if (member.isArray() || member.isFunction()) out.append(')');
            member.right(out);
        }
    }
}
