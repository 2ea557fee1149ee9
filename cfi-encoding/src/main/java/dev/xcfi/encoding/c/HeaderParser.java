package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.RecursionLimit;
import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;
import dev.xcfi.types.ArrayType;
import dev.xcfi.types.AtomicType;
import dev.xcfi.types.BitIntType;
import dev.xcfi.types.BlockPointerType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.CType;
import dev.xcfi.types.CallingConvention;
import dev.xcfi.types.ComplexType;
import dev.xcfi.types.DataModel;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.TagType;
import dev.xcfi.types.Target;
import dev.xcfi.types.TypeLayout;
import dev.xcfi.types.TypedefType;
import dev.xcfi.types.VectorType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reads C headers into function types: struct/union/enum definitions and forward declarations,
 * typedefs, prototypes (also K&amp;R and definitions, whose bodies are skipped), function-pointer
 * typedefs, and the attributes that change CFI ids. Errors are collected with their location and
 * parsing resumes at the next declaration, so one bad declaration never hides the others.
 */
public final class HeaderParser {

    /** One input: its name for messages, its text, and the folder {@code #include "…"} searches first. */
    public record Input(String name, String text, Path directory) {
        /**
         * The file as UTF-8 text. Bytes that are not UTF-8 (Latin-1 in a comment, say) become
         * U+FFFD instead of failing the file: clang reads them in comments and strings, and in an
         * identifier they are an error at their line and column here as there.
         */
        public static Input of(Path file) throws IOException {
            try (java.io.InputStream in = Files.newInputStream(file)) {
                return new Input(file.toString(), text(in), file.toAbsolutePath().getParent());
            }
        }

        /** The longest source text read: far beyond any header (SQLite's amalgamation is 9 MB), well within a String. */
        private static final int MAX_TEXT = 1 << 30;

        /**
         * A stream's text, as {@link #of} reads a file's. Source text has no NUL byte: one among the
         * first 4 KB is a binary file (an object; a device such as /dev/zero, which never ends and
         * was read until the heap ran out), refused once those are read.
         */
        public static String text(java.io.InputStream in) throws IOException {
            byte[] head = in.readNBytes(4096);
            for (byte b : head) if (b == 0) throw new IOException("a binary file, not source text");
            byte[] rest = in.readNBytes(MAX_TEXT - head.length);
            if (rest.length == MAX_TEXT - head.length && in.read() >= 0) throw new IOException("more than 1 GB, not source text");
            byte[] all = java.util.Arrays.copyOf(head, head.length + rest.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            return new String(all, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** What a word is to the declaration-specifier grammar. */
    private enum Word { TYPE, QUALIFIER, STORAGE, CALLING_CONVENTION, ATTRIBUTE, TYPEDEF, OTHER_SPECIFIER, NONE }

    /**
     * One switch instead of set lookups: the parser asks this of nearly every token. C23's new
     * keywords (alignas, alignof, bool, constexpr, nullptr, static_assert, thread_local,
     * typeof_unqual) are names in gnu17, clang's default: headers reach them through the macros of
     * stdalign.h, assert.h and threads.h.
     */
    private static Word word(String w) {
        return switch (w) {
            case "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "__signed", "__signed__",
                 "_Bool", "_Complex", "__complex__", "_BitInt", "__int128", "_Float16", "__bf16", "__fp16",
                 "__float128", "__ibm128", "struct", "union", "enum", "typeof", "__typeof__", "__typeof",
                 "__typeof_unqual__", "__typeof_unqual", "__builtin_va_list" -> Word.TYPE;
            case "const", "volatile", "restrict", "__restrict", "__restrict__", "__const", "__const__", "__volatile", "__volatile__",
                 "_Atomic", "_Nonnull", "_Nullable", "_Null_unspecified", "_Nullable_result" -> Word.QUALIFIER;
            case "extern", "static", "inline", "__inline", "__inline__", "register", "auto", "_Thread_local", "__thread",
                 "__extension__" -> Word.STORAGE;
            case "__stdcall", "_stdcall", "__fastcall", "_fastcall", "__cdecl", "_cdecl", "__vectorcall", "__regcall" -> Word.CALLING_CONVENTION;
            case "__attribute__", "__attribute" -> Word.ATTRIBUTE;
            case "typedef" -> Word.TYPEDEF;
            case "_Noreturn", "_Alignas" -> Word.OTHER_SPECIFIER;
            default -> Word.NONE;
        };
    }

    /** typeof's spellings in gnu17 (C23's typeof_unqual is a name there). */
    static boolean isTypeofKeyword(String w) {
        return switch (w) {
            case "typeof", "__typeof__", "__typeof", "__typeof_unqual__", "__typeof_unqual" -> true;
            default -> false;
        };
    }

    /** Whether the parser gives this spelling a meaning of its own (including calling-convention keywords). */
    static boolean isKeywordSpelling(String w) {
        return word(w) != Word.NONE || switch (w) {
            case "__declspec", "asm", "__asm__", "__asm", "_Static_assert" -> true;
            default -> false;
        };
    }

    private static boolean is(Token t, Word w) {
        return t.isIdentifier() && word(t.text()) == w;
    }

    private final Target target;
    private final List<SyntaxException> errors = new ArrayList<>();
    private final Map<String, CType> typedefs = new HashMap<>();
    private final Map<String, TagType> tags = new HashMap<>();
    private static final long MAX_ADDRESS_SPACE = 8388581;   // clang 22's
    private final Map<String, Long> enumConstants = new HashMap<>();
    /**
     * Enumerators whose values clang computes and xcfi does not (Linux's GENMASK sizes a struct of
     * bit-fields): an error only where an id or another needed value depends on one, as an array
     * bound's unknown length is.
     */
    private final Map<String, ConstantExpression.NotComputed> uncomputedEnumerators = new HashMap<>();
    /**
     * Each enumerator's type for typeof, as clang's default gnu17 gives it: the fixed type of
     * {@code enum E : T}, else int; absent beyond int (clang then picks long or unsigned long by
     * rules xcfi does not follow).
     */
    private final Map<String, CType> enumeratorTypes = new HashMap<>();
    /**
     * The file-scope objects and functions declared so far, for {@code typeof(name)}; the arrays an
     * initializer sizes by a rule xcfi does not follow ({@code int a[] = {[9] = 1}}) are also in
     * {@link #sizedByInitializers}.
     */
    private final Map<String, CType> ordinary = new HashMap<>();
    private final java.util.Set<String> sizedByInitializers = new java.util.HashSet<>();
    /**
     * The parameters named so far in the prototypes being read, innermost last, for
     * {@code void f(int n, typeof(n) m)}: a stack of arrays, since every prototype pushes its
     * parameters and typeof is rare (nothing is allocated per prototype).
     */
    private String[] parameterNames = new String[16];
    private CType[] parameterTypes = new CType[16];
    private int parameterCount;
    /** The size of each enum defined so far (an enum only declared has none yet). */
    private final Map<TagType, Long> enumSizes = new HashMap<>();
    /** First members of unions, kept in case a later {@code typedef … __attribute__((transparent_union))} names them. */
    private final Map<TagType, CType> pendingFirstMembers = new HashMap<>();
    /**
     * The members of each struct and union defined so far, in order, for layouts: null for one C's
     * natural rule does not lay out (a bit-field; packed or aligned, by attribute, {@code _Alignas}
     * or {@code #pragma pack}).
     */
    private final Map<TagType, List<CType>> recordMembers = new java.util.LinkedHashMap<>();
    /**
     * Tags declared but not (yet) defined: an array of one is an error in clang ("array has
     * incomplete element type"), so it has no id. (Tags the parser did not declare itself, such as
     * the target's {@code __va_list_tag}, are complete.)
     */
    private final java.util.Set<String> incompleteTags = new java.util.HashSet<>();
    /** Each record's named members (for {@link #named}'s {@code struct ops.read}), in order, and the record body being read's. */
    private final Map<TagType, Map<String, Member>> memberTypes = new java.util.LinkedHashMap<>();
    private Map<String, Member> memberNames = new java.util.LinkedHashMap<>();
    /** Where each typedef is declared, in order. */
    private final Map<String, SourceLocation> typedefLocations = new java.util.LinkedHashMap<>();

    private record Member(CType type, SourceLocation location) {}

    /** Records known by a typedef's name ({@code typedef struct {…} T;}): named {@code T}, not {@code struct T}. */
    private final java.util.Set<TagType> typedefNamed = new java.util.HashSet<>();
    private List<CType> members;
    private final Consumer<FunctionDeclaration> declared;
    private TokenWindow tokens;
    private int pos;
    /** The token at {@link #pos}: the parser looks at it several times per step, so it is kept at hand. */
    private Token token;
    private int anonymousTags;
    private int prototypeDepth;
    private List<String> identifierList;
    private SourceLocation identifierListAt;
    /** The name being declared: tags first declared in its parameter list are local to it. */
    private String declaredName = "";

    private HeaderParser(Target target, Consumer<FunctionDeclaration> declared) {
        this.target = target;
        this.declared = declared;
        this.layout = new TypeLayout(target, recordMembers::get,
                tag -> enumSizes.containsKey(tag) ? OptionalLong.of(enumSizes.get(tag)) : OptionalLong.empty());
        typedefs.put("__builtin_va_list", new TypedefType("__builtin_va_list", target.builtinVaList()));
        if (target.int128()) {   // (the type exists everywhere: mode(TI) makes it; the names only where the keyword does)
            typedefs.put("__int128_t", BuiltinType.of(Kind.INT128));
            typedefs.put("__uint128_t", BuiltinType.of(Kind.UNSIGNED_INT128));
        }
    }

    /** Parses {@code inputs} as one translation unit, in order. */
    public static ParsedHeader parse(Target target, List<Path> includeDirs, List<Input> inputs) {
        List<FunctionDeclaration> functions = new ArrayList<>();
        List<SyntaxException> errors = parse(target, includeDirs, inputs, functions::add);
        return new ParsedHeader(functions, errors);
    }

    /**
     * Parses {@code inputs} as one translation unit, handing each function declaration to
     * {@code declared} as soon as it is read (in input order); returns the errors. For large
     * headers: neither the text's tokens nor its declarations need to be held all at once.
     */
    public static List<SyntaxException> parse(Target target, List<Path> includeDirs, List<Input> inputs,
                                              Consumer<FunctionDeclaration> declared) {
        return read(target, includeDirs, inputs, declared).errors;
    }

    /** A parser that has read {@code inputs} as one translation unit, each function declaration handed to {@code declared}. */
    private static HeaderParser read(Target target, List<Path> includeDirs, List<Input> inputs, Consumer<FunctionDeclaration> declared) {
        HeaderParser parser = new HeaderParser(target, declared);
        Preprocessor pp = new Preprocessor(target, includeDirs, parser.errors::add);
        parser.packing = pp::packPragmaSeen;
        parser.keepingTypes = pp::typeofMentioned;
        for (Input in : inputs) {
            pp.begin(in.name(), in.text(), in.directory());
            parser.translationUnit(new TokenWindow(pp::next));
        }
        return parser;
    }

    public static ParsedHeader parse(Target target, String name, String text) {
        return parse(target, List.of(), List.of(new Input(name, text, null)));
    }

    /**
     * One C prototype or type name, e.g. {@code "void (long)"} or {@code "int cmp(const void *, const void *)"};
     * earlier declarations ({@code struct}s, typedefs) may precede it, separated by semicolons.
     *
     * @throws SyntaxException on the first error
     */
    public static FunctionType parsePrototype(Target target, String text) {
        return prototype(target, text).type();
    }

    /**
     * A prototype and the records its text defines, for callers that lay values out in memory:
     * {@code "struct point { int x; int y; }; long (struct point)"}. A record with a bit-field or
     * a packed or aligned layout maps to null members (its layout is the compiler's business);
     * {@code layout} places the others' members, and knows each enum's size.
     */
    public record Prototype(FunctionType type, Map<TagType, List<CType>> records, TypeLayout layout) {
        public Prototype {
            records = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(records));
        }
    }

    /**
     * The function type {@code name} stands for in {@code inputs} (a header and what it includes,
     * read as one translation unit): a typedef of a function or function-pointer type, a declared
     * function's own type, or a function-pointer member of a struct or union
     * ({@code struct ops.read}, {@code ops_t.read}); with the records the header defines, as {@link #prototype}
     * gives them. Errors in other declarations do not matter, as in any header.
     *
     * @throws IllegalArgumentException when the header has no such name (its first error, if any, is named)
     */
    public static Prototype named(Target target, List<Path> includeDirs, List<Input> inputs, String name) {
        Map<String, FunctionType> functions = new HashMap<>();
        HeaderParser parser = read(target, includeDirs, inputs, f -> functions.putIfAbsent(f.name(), f.type()));
        int dot = name.lastIndexOf('.');
        if (dot > 0) return parser.member(name.substring(0, dot).strip(), name.substring(dot + 1).strip(), name);
        CType typedef = parser.typedefs.get(name);
        if (typedef != null) {
            FunctionType f = functionOf(typedef);
            if (f != null) return new Prototype(f, parser.recordMembers, parser.layout);
            throw new IllegalArgumentException("'" + name + "' is a typedef of '" + typedef + "', not of a function or function-pointer type");
        }
        FunctionType declared = functions.get(name);
        if (declared != null) return new Prototype(declared, parser.recordMembers, parser.layout);
        throw new IllegalArgumentException("no function, function type or function-pointer typedef named '" + name + "' in "
                + inputs.stream().map(Input::name).filter(n -> !n.equals("<command line>")).collect(java.util.stream.Collectors.joining(", "))
                + (parser.errors.isEmpty() ? "" : " (first error: " + parser.errors.get(0).diagnostic() + ")"));
    }

    /** A function type a header names: a function's, a function or function-pointer typedef's, or a function-pointer member's ({@code struct ops.read}). */
    public record NamedFunctionType(Kind kind, String name, FunctionType type, SourceLocation location) {
        public enum Kind { FUNCTION, TYPEDEF, MEMBER }
    }

    /**
     * Every function type {@code inputs} name: their functions in input order, then their typedefs
     * of function and function-pointer types, then the function-pointer members of their structs
     * and unions (a typedef'd anonymous record's by its typedef name), and the syntax errors.
     */
    public static List<NamedFunctionType> functionTypes(Target target, List<Path> includeDirs, List<Input> inputs, List<SyntaxException> errors) {
        List<NamedFunctionType> out = new ArrayList<>();
        HeaderParser parser = read(target, includeDirs, inputs,
                f -> out.add(new NamedFunctionType(NamedFunctionType.Kind.FUNCTION, f.name(), f.type(), f.location())));
        errors.addAll(parser.errors);
        parser.typedefLocations.forEach((name, at) -> {
            FunctionType f = functionOf(parser.typedefs.get(name));
            if (f != null && !StandardHeaders.isOwn(at.file())) out.add(new NamedFunctionType(NamedFunctionType.Kind.TYPEDEF, name, f, at));
        });
        parser.memberTypes.forEach((tag, members) -> {
            if (!tag.hasLinkage()) return;   // anonymous: met again under its typedef name
            String record = parser.typedefNamed.contains(tag) ? tag.name() : (tag.kind() == TagType.Kind.UNION ? "union " : "struct ") + tag.name();
            members.forEach((member, m) -> {
                FunctionType f = functionOf(m.type());
                if (f != null && !StandardHeaders.isOwn(m.location().file())) {
                    out.add(new NamedFunctionType(NamedFunctionType.Kind.MEMBER, record + "." + member, f, m.location()));
                }
            });
        });
        return out;
    }

    /** The function type {@code type} is or points to, or null. */
    private static FunctionType functionOf(CType type) {
        if (type == null) return null;
        CType c = type.canonical();
        if (c instanceof FunctionType f) return f;
        if (c.unqualified() instanceof PointerType ptr && ptr.pointee().canonical() instanceof FunctionType pf) return pf;
        return null;
    }

    /** The function type of member {@code member} (a function pointer) of the record {@code record} names: {@code struct tag}, {@code union tag} or a typedef. */
    private Prototype member(String record, String member, String name) {
        CType type;
        if (record.startsWith("struct ") || record.startsWith("union ")) type = tags.get(record.substring(record.indexOf(' ') + 1).strip());
        else type = typedefs.containsKey(record) ? typedefs.get(record).canonical() : null;
        if (!(type instanceof TagType tag) || !memberTypes.containsKey(tag)) {
            throw new IllegalArgumentException("'" + record + "' is not a struct or union defined in the header (in '" + name + "')");
        }
        Member found = memberTypes.get(tag).get(member);
        if (found == null) throw new IllegalArgumentException(record + " has no member '" + member + "'");
        FunctionType f = functionOf(found.type());   // a member is never a function itself: a function pointer
        if (f != null) return new Prototype(f, recordMembers, layout);
        throw new IllegalArgumentException("member '" + name + "' is '" + found.type() + "', not a function pointer");
    }

    public static Prototype prototype(Target target, String text) {
        String trimmed = text.strip();
        if (trimmed.endsWith(";")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        int split = trimmed.lastIndexOf(';');
        HeaderParser parser = new HeaderParser(target, f -> { });
        Preprocessor pp = new Preprocessor(target, List.of(), parser.errors::add);
        parser.packing = pp::packPragmaSeen;
        parser.keepingTypes = pp::typeofMentioned;
        if (split >= 0) {
            pp.begin("<prototype>", trimmed.substring(0, split + 1), null);
            parser.translationUnit(new TokenWindow(pp::next));
        }
        if (!parser.errors.isEmpty()) throw parser.errors.get(0);
        pp.begin("<prototype>", trimmed.substring(split + 1), null);
        parser.tokens = new TokenWindow(pp::next);
        parser.seek(0);
        Token first = parser.peek();
        CType type;
        try {
            type = parser.typeName();
        } catch (SyntaxException e) {
            throw parser.errors.isEmpty() ? e : parser.errors.get(0);   // the preprocessor's error came first
        }
        Token after = parser.peek();
        if (!parser.errors.isEmpty()) throw parser.errors.get(0);
        if (after.kind() != Token.Kind.END) throw error(after.location(), "unexpected '" + after.text() + "' after the prototype");
        CType c = type.canonical();
        if (c.unqualified() instanceof PointerType p && p.pointee().canonical() instanceof FunctionType pf) return new Prototype(pf, parser.recordMembers, parser.layout);
        if (c instanceof FunctionType f) return new Prototype(f, parser.recordMembers, parser.layout);
        throw error(first.location(), "not a function type: '" + text.strip() + "'");
    }

    // --- translation unit ---------------------------------------------------------------------------

    private void translationUnit(TokenWindow toks) {
        this.tokens = toks;
        seek(0);
        while (peek().kind() != Token.Kind.END) {
            int start = pos;
            try {
                externalDeclaration();
            } catch (SyntaxException e) {
                errors.add(e);   // before recovering reads on (and the preprocessor reports what it meets there)
                if (recover(start)) errors.remove(e);   // a macro that did not expand broke it: the preprocessor said so
            }
            tokens.release(pos);
        }
    }

    /**
     * Skips the broken declaration as a unit, from its first token: to its ';' or past its balanced
     * braces (and a ';' right after them), so the next declaration is read whatever token failed.
     * True when it held a macro invocation the preprocessor could not expand (and reported).
     */
    private boolean recover(int start) {
        seek(start);
        // Braces opened inside parentheses are a GNU statement expression's ({ …; }), not a body's:
        // their ';' and '}' end nothing. A ';' outside braces ends the declaration even with a '('
        // left open, so one unbalanced declaration cannot swallow the rest of the file.
        // A function's body ends the declaration at its '}'; a record's, an enum's or an
        // initializer's does not: what follows it (typedef struct {…} T __attribute__((…));) is
        // still the broken declaration's, up to its ';'.
        int bodies = 0, statements = 0, parentheses = 0;
        boolean unexpanded = false, functionBody = false;
        Token previous = null;
        while (peek().kind() != Token.Kind.END) {
            Token t = next();
            unexpanded |= t.kind() == Token.Kind.UNEXPANDED;
            if (t.is("(")) parentheses++;
            else if (t.is(")")) parentheses = Math.max(0, parentheses - 1);
            else if (t.is("{")) {
                if (parentheses > 0 || statements > 0) statements++;
                else if (bodies++ == 0) functionBody = previous != null && previous.is(")");
            } else if (t.is("}")) {
                if (statements > 0) statements--;
                else if (--bodies <= 0 && functionBody) {
                    accept(";");
                    return unexpanded;
                }
                bodies = Math.max(0, bodies);
            } else if (t.is(";") && bodies <= 0 && statements == 0) return unexpanded;
            previous = t;
        }
        return unexpanded;
    }

    private void externalDeclaration() {
        if (accept(";") || skippedStaticAssert()) return;
        Specifiers spec = specifiers();
        if (accept(";")) return;
        boolean first = true;
        while (true) {
            Declarator d = declarator(false);
            if (d.name == null) throw error(d.location(), "expected identifier or '('");
            List<Attribute> attrs = joined(spec.attributes, d.attributes, attributesAndAsm());
            CType base = spec.base;
            if (spec.isTypedef && first && spec.anonymousTag != null && d.build.apply(base) == base) {
                // The first typedef name of an anonymous record names it for linkage (typedef struct {…} T;).
                TagType named = renameAnonymous(spec.anonymousTag, d.name);
                base = named;
                spec.base = named;
            }
            base = applyTypeAttributes(base, attrs);
            CType type = applyFunctionAttributes(d.build.apply(base), attrs);
            first = false;
            if (spec.isTypedef) {
                if (type.unqualified() instanceof TagType tag && tag.kind() == TagType.Kind.UNION && hasAttribute(attrs, "transparent_union")) {
                    type = makeTransparent(tag);
                }
                TypedefType typedef = new TypedefType(d.name, type);
                if (depth(typedef) > MAX_TYPEDEF_DEPTH) {
                    throw error(d.location(), "type nested more than " + MAX_TYPEDEF_DEPTH + " levels deep through typedefs");
                }
                typedefs.put(d.name, typedef);
                typedefLocations.put(d.name, d.location());
            } else if ((type instanceof FunctionType built ? built : type.canonical()) instanceof FunctionType fn) {
                declareOrdinary(d.name, type);
                if (peek().is("{") || (identifierList != null && !peek().is(";") && !peek().is(","))) {
                    fn = knrDefinition(fn);
                    declared.accept(new FunctionDeclaration(d.name, fn, d.location()));
                    skipBody();
                    return;
                }
                if (identifierList != null) {
                    identifierList = null;
                    throw error(identifierListAt, "a parameter list without types is only allowed in a function definition");
                }
                SourceLocation at = d.location();
                if (!StandardHeaders.isOwn(at.file())) declared.accept(new FunctionDeclaration(d.name, fn, at));
            } else {
                declareOrdinary(d.name, type);
                if (accept("=")) {
                    List<Token> initializer = balancedUntil(",", ";");
                    if (type.canonical().unqualified() instanceof ArrayType a && a.size() instanceof ArrayType.Size.Incomplete) {
                        long length = initializedLength(initializer);
                        if (length >= 0) ordinary.put(d.name, new ArrayType(a.element(), new ArrayType.Size.Fixed(length)));
                        else sizedByInitializers.add(d.name);
                    }
                }
            }
            if (accept(",")) continue;
            expect(";");
            return;
        }
    }

    /**
     * Whether declarations' types are kept for typeof: only once a file that mentions typeof has
     * been read. A 100,000-prototype header kept every function's type until its end, and
     * collecting the garbage around them made it 23% slower to encode; kernels, whose headers use
     * typeof, mention it in the first file they include (compiler_types.h), and so does glibc's
     * sys/cdefs.h. {@link #declarationsUnkept}: some declaration was passed over.
     */
    private java.util.function.BooleanSupplier keepingTypes = () -> true;
    private boolean declarationsUnkept;

    /** A file-scope object or function: the first declaration's type (a later one may only complete it). */
    private void declareOrdinary(String name, CType type) {
        if (!keepingTypes.getAsBoolean()) {
            declarationsUnkept = true;
            return;
        }
        CType earlier = ordinary.get(name);
        if (earlier == null || earlier.canonical().unqualified() instanceof ArrayType a && a.size() instanceof ArrayType.Size.Incomplete) {
            ordinary.put(name, type);
            sizedByInitializers.remove(name);
        }
    }

    /**
     * The length an initializer gives an array declared without one: a brace list's elements when
     * none is designated ({@code {1, 2, 3}}), a plain string's characters and NUL; -1 otherwise.
     */
    private static long initializedLength(List<Token> initializer) {
        if (initializer.size() == 1 && initializer.get(0).kind() == Token.Kind.STRING && initializer.get(0).text().startsWith("\"")) {
            String value = LiteralText.decode(initializer.get(0).text());
            return value.chars().allMatch(c -> c < 0x80) ? value.length() + 1L : -1;
        }
        if (initializer.size() < 2 || !initializer.get(0).is("{") || !initializer.get(initializer.size() - 1).is("}")) return -1;
        long elements = 0;
        int depth = 0;
        boolean empty = true;
        for (Token t : initializer.subList(1, initializer.size() - 1)) {
            if (depth == 0 && empty && (t.is("[") || t.is("."))) return -1;   // a designator places elements where it says
            if (t.is("(") || t.is("{") || t.is("[")) depth++;
            else if (t.is(")") || t.is("}") || t.is("]")) depth--;
            if (depth == 0 && t.is(",")) {
                if (empty) return -1;
                elements++;
                empty = true;
            } else {
                empty = false;
            }
        }
        return empty ? elements : elements + 1;   // (a trailing comma adds none)
    }

    /** What typeof's expressions see: the names declared so far, members and type names. */
    private final TypeofExpression.Scope typeofScope = new TypeofExpression.Scope() {
        @Override
        public CType ordinary(String name) {
            CType parameter = parameter(name);
            return parameter != null ? parameter : ordinary.get(name);
        }

        @Override
        public boolean isSizedByInitializer(String name) {
            return parameter(name) == null && sizedByInitializers.contains(name);
        }

        @Override
        public boolean keptEveryDeclaration() {
            return !declarationsUnkept;
        }

        @Override
        public boolean isEnumerator(String name) {
            return enumConstants.containsKey(name) || uncomputedEnumerators.containsKey(name);
        }

        @Override
        public CType enumerator(String name) {
            return enumeratorTypes.get(name);
        }

        @Override
        public boolean isComplete(TagType record) {
            return memberTypes.containsKey(record);
        }

        @Override
        public CType member(TagType record, String name) {
            Map<String, Member> names = memberTypes.get(record);
            Member m = names == null ? null : names.get(name);
            return m == null ? null : m.type();
        }

        @Override
        public boolean startsTypeName(Token t) {
            return isTypeStart(t);
        }

        @Override
        public CType typeName(List<Token> tokens) {
            return typeNameOf(tokens);
        }

        @Override
        public Target target() {
            return target;
        }
    };

    /** A K&amp;R definition {@code int f(a, b) int a; char *b; {…}} gets a prototyped id (clang 22). */
    private FunctionType knrDefinition(FunctionType fn) {
        List<String> names = identifierList;
        identifierList = null;
        if (names == null || fn.prototyped()) return fn;
        Map<String, CType> declared = new HashMap<>();
        while (!peek().is("{") && peek().kind() != Token.Kind.END) {
            Specifiers s = specifiers();
            do {
                Declarator d = declarator(false);
                declared.put(d.name, d.build.apply(s.base));
            } while (accept(","));
            expect(";");
        }
        List<FunctionType.Parameter> params = new ArrayList<>(16);
        for (String n : names) params.add(FunctionType.Parameter.of(declared.getOrDefault(n, BuiltinType.INT)));
        return new FunctionType(fn.returnType(), params, false, true, fn.callingConvention(), fn.noReturn(), fn.salt());
    }

    // --- declaration specifiers --------------------------------------------------------------------

    private static final class Specifiers {
        boolean isTypedef;
        CType base;
        /** The first storage class no parameter may have (all but register): where its error points. */
        Token storage;
        TagType anonymousTag;
        List<Attribute> attributes = List.of();
        /** {@code _Alignas}, {@code alignas} or {@code __declspec(align)}: a layout xcfi does not model. */
        boolean aligned;
    }

    /** clang's BITINT_MAXWIDTH. */
    private static final long MAX_BITINT_WIDTH = 8_388_608;

    /**
     * Where declaration specifiers stand, for what a name that is not a type means there (and what
     * else may stand where they do): a declaration's, a parameter's, a record member's, or a type name's ({@code _Atomic(…)},
     * {@code typeof(…)}, a cast), which has no declarator to take the name.
     */
    private enum SpecifierContext { DECLARATION, PARAMETER, MEMBER, TYPE_NAME }

    private static final String IMPLICIT_INT = "type specifier missing, defaults to 'int'; ISO C99 and later do not support implicit int [-Wimplicit-int]";

    private Specifiers specifiers() {
        return specifiers(SpecifierContext.DECLARATION);
    }

    private Specifiers specifiers(SpecifierContext context) {
        Specifiers s = new Specifiers();
        Token start = peek();
        Token restrictAt = null, atomicAt = null, nullabilityAt = null;
        long bitIntWidth = 0;
        int signed = 0, unsigned = 0, shorts = 0, longs = 0, ints = 0, chars = 0, complex = 0;
        Kind kind = null;
        CType explicit = null;
        Qualifiers quals = Qualifiers.NONE;
        boolean atomic = false, noReturn = false, any = false;
        Token bitIntAt = null;
        words:
        while (true) {
            Token t = peek();
            if (t.kind() != Token.Kind.IDENTIFIER) {
                if (!t.is("[[")) break;
                s.attributes = joined(s.attributes, standardAttributes(), List.of());
                continue;
            }
            String w = t.text();
            // One switch on what the word is: the parser meets a specifier at every parameter.
            switch (word(w)) {
                case TYPEDEF -> {
                    next();
                    s.isTypedef = true;
                }
                case STORAGE -> {
                    next();
                    if (s.storage == null && !w.equals("register") && !w.equals("__extension__")) s.storage = t;
                }
                case OTHER_SPECIFIER -> {
                    next();
                    if (w.equals("_Noreturn")) {
                        noReturn = true;
                    } else {
                        skipParens();   // _Alignas(…)
                        s.aligned = true;
                    }
                }
                case ATTRIBUTE -> s.attributes = joined(s.attributes, gnuAttributes(), List.of());
                case CALLING_CONVENTION -> {
                    next();
                    s.attributes = plus(s.attributes, new Attribute(w, List.of(), t.location()));
                }
                case QUALIFIER -> {
                    next();
                    if (w.equals("_Atomic") && peek().is("(")) {
                        next();
                        CType value = typeName();
                        atomicError(value, t, true);
                        explicit = setExplicit(explicit, new AtomicType(value), t);
                        expect(")");
                        any = true;
                    } else if (w.equals("_Atomic")) {
                        atomic = true;
                        atomicAt = t;
                    } else {
                        Qualifiers q = qualifier(w);
                        if (q == Qualifiers.RESTRICT && restrictAt == null) restrictAt = t;
                        if (q == Qualifiers.NONE) nullabilityAt = nullability(nullabilityAt, t);
                        quals = quals.with(q);
                    }
                }
                case TYPE -> {
                    if (isBuiltinWord(w)) {
                        next();
                        any = true;
                        switch (w) {
                            case "signed", "__signed", "__signed__" -> signed++;
                            case "unsigned" -> unsigned++;
                            case "short" -> shorts++;
                            case "long" -> longs++;
                            case "int" -> ints++;
                            case "char" -> chars++;
                            case "_Complex", "__complex__" -> complex++;
                            default -> kind = setKind(kind, switch (w) {
                                case "void" -> Kind.VOID;
                                case "_Bool" -> Kind.BOOL;
                                case "float" -> Kind.FLOAT;
                                case "double" -> Kind.DOUBLE;
                                case "__int128" -> {
                                    if (!target.int128()) throw error(t.location(), "__int128 is not supported on this target");
                                    yield Kind.INT128;
                                }
                                case "_Float16" -> Kind.FLOAT16;
                                case "__bf16" -> Kind.BFLOAT16;
                                case "__fp16" -> Kind.HALF;
                                case "__float128" -> Kind.FLOAT128;
                                case "__ibm128" -> Kind.IBM128;
                                default -> throw new AssertionError(w);
                            }, t);
                        }
                    } else if (w.equals("struct") || w.equals("union") || w.equals("enum")) {
                        next();
                        TagType tag = tagSpecifier(w, s);
                        explicit = setExplicit(explicit, tag, t);
                        any = true;
                    } else if (isTypeofKeyword(w)) {
                        next();
                        expect("(");
                        CType ty = isTypeStart(peek()) ? typeName() : TypeofExpression.of(balancedUntil(")"), typeofScope, peek().location());
                        expect(")");
                        explicit = setExplicit(explicit, w.contains("unqual") ? ty.unqualified() : ty, t);
                        any = true;
                    } else if (w.equals("_BitInt")) {
                        next();
                        expect("(");
                        bitIntWidth = constantUntil(")");
                        expect(")");
                        bitIntAt = t;
                        // signedness may still follow ("_BitInt(7) unsigned"): the width is checked, and
                        // the type made, once the specifiers end
                        explicit = setExplicit(explicit, new BitIntType(false, 1), t);
                        any = true;
                    } else if (typedefs.containsKey(w) && explicit == null && kind == null && !any) {
                        // the predefined typedef __builtin_va_list, and a typedef named bool
                        next();
                        explicit = typedefs.get(w);
                        any = true;
                    } else {
                        break words;
                    }
                }
                case NONE -> {
                    if (w.equals("__declspec")) {
                        next();
                        skipParens();
                        s.aligned = true;
                        continue;
                    }
                    // a typedef name, unless a type is already there (then it is the declarator's name)
                    if (explicit != null || kind != null || any) break words;
                    CType named = typedefs.get(w);
                    if (named == null) break words;
                    next();
                    explicit = named;
                    any = true;
                }
            }
        }
        if (bitIntAt != null) {
            boolean isSigned = unsigned == 0;
            String which = isSigned ? "signed" : "unsigned";
            // clang points at the declaration's first specifier
            if (bitIntWidth < (isSigned ? 2 : 1)) throw error(start.location(), which + " _BitInt must have a bit size of at least " + (isSigned ? 2 : 1));
            if (bitIntWidth > MAX_BITINT_WIDTH) throw error(start.location(), which + " _BitInt of bit sizes greater than " + MAX_BITINT_WIDTH + " not supported");
            explicit = new BitIntType(isSigned, (int) bitIntWidth);
        }
        if (explicit == null && kind == null && signed + unsigned + shorts + longs + ints + chars == 0) {
            if (complex == 0) throw noTypeSpecifier(start, context);
            kind = Kind.DOUBLE;   // plain _Complex: clang assumes _Complex double (a warning)
        }
        CType base = explicit != null ? checkNoBuiltinWords(explicit, kind, signed, unsigned == 0 || explicit instanceof BitIntType ? 0 : unsigned, shorts, longs, ints, chars, start)
                : builtin(kind, signed, unsigned, shorts, longs, ints, chars, start);
        if (complex > 0) base = new ComplexType(base);
        if (atomic) {
            atomicError(base, atomicAt, false);
            base = new AtomicType(base);
        }
        if (restrictAt != null) restrictError(base, restrictAt);
        CType pointer = nullabilityAt == null ? null : base.canonical().unqualified();
        if (nullabilityAt != null && !(pointer instanceof PointerType || pointer instanceof BlockPointerType)) {
            // clang moves one written before a pointer declarator to the pointer, but refuses it by default
            throw error(nullabilityAt.location(), "nullability specifier '" + nullabilityAt.text() + "' cannot be applied to non-pointer type "
                    + quoted(base.unqualified()) + (peek().is("*") ? "; did you mean to apply the specifier to the pointer? [-Wnullability-declspec]" : ""));
        }
        s.base = QualifiedType.of(base, quals);
        if (noReturn) s.attributes = plus(s.attributes, new Attribute("noreturn", List.of(), start.location()));
        return s;
    }

    /**
     * clang's refusals of {@code _Atomic(T)} ({@code parenthesized}) and {@code _Atomic T}: an array,
     * a function, an incomplete type; a qualified one in parentheses. (Its messages end in a space.)
     */
    private void atomicError(CType value, Token at, boolean parenthesized) {
        CType c = value.canonical();
        String printed = "'" + dev.xcfi.encoding.CTypePrinter.print(value) + "' ";
        if (c instanceof ArrayType) throw error(at.location(), "_Atomic cannot be applied to array type " + printed);
        if (c instanceof FunctionType) throw error(at.location(), "_Atomic cannot be applied to function type " + printed);
        if (c instanceof BuiltinType b && b.kind() == Kind.VOID || c instanceof TagType tag && incompleteTags.contains(tagKey(tag))) {
            throw error(at.location(), "_Atomic cannot be applied to incomplete type " + printed);
        }
        if (parenthesized && c instanceof QualifiedType) throw error(at.location(), "_Atomic cannot be applied to qualified type " + printed);
    }

    /** restrict qualifies a pointer to an object (through arrays, whose elements it qualifies), nothing else. */
    private static void restrictError(CType type, Token at) {
        CType c = type.canonical().unqualified();
        while (c instanceof ArrayType a) c = a.element().canonical().unqualified();
        if (c instanceof PointerType p && p.pointee().canonical() instanceof FunctionType) {
            throw error(at.location(), "pointer to function type '" + dev.xcfi.encoding.CTypePrinter.print(p.pointee()) + "' may not be 'restrict' qualified");
        }
        if (!(c instanceof PointerType)) {
            throw error(at.location(), "restrict requires a pointer or reference ('" + dev.xcfi.encoding.CTypePrinter.print(type) + "' is invalid)");
        }
    }

    private boolean isBuiltinWord(String w) {
        return switch (w) {
            case "signed", "__signed", "__signed__", "unsigned", "short", "long", "int", "char", "_Complex", "__complex__",
                 "void", "_Bool", "float", "double", "__int128", "_Float16", "__bf16", "__fp16", "__float128", "__ibm128" -> true;
            default -> false;
        };
    }

    /**
     * clang's nullability specifiers (_Nonnull, _Nullable, …: sugar no id spells, the qualifiers
     * {@link #qualifier} adds nothing for) met at one place: the first, or clang's error when
     * {@code t} contradicts it.
     */
    private static Token nullability(Token first, Token t) {
        if (first != null && !first.text().equals(t.text())) {
            throw error(t.location(), "nullability specifier '" + t.text() + "' conflicts with existing specifier '" + first.text() + "'");
        }
        return first == null ? t : first;
    }

    private static Qualifiers qualifier(String w) {
        return switch (w) {
            case "const", "__const", "__const__" -> Qualifiers.CONST;
            case "volatile", "__volatile", "__volatile__" -> Qualifiers.VOLATILE;
            // clang's nullability qualifiers (Apple's and Android's headers are full of them) are
            // type sugar that no mangling spells
            case "_Nonnull", "_Nullable", "_Null_unspecified", "_Nullable_result" -> Qualifiers.NONE;
            default -> Qualifiers.RESTRICT;
        };
    }

    private CType setExplicit(CType current, CType next, Token at) {
        if (current != null) throw error(at.location(), "cannot combine with previous type specifier");
        return next;
    }

    private Kind setKind(Kind current, Kind next, Token at) {
        if (current != null) throw error(at.location(), "cannot combine '" + at.text() + "' with previous '" + current.spelling() + "' declaration specifier");
        return next;
    }

    private CType checkNoBuiltinWords(CType explicit, Kind kind, int signed, int unsigned, int shorts, int longs, int ints, int chars, Token at) {
        if (kind != null || signed + unsigned + shorts + longs + ints + chars > 0) {
            throw error(at.location(), "cannot combine a type name with builtin type specifiers");
        }
        return explicit;
    }

    /** Resolves a combination of builtin type words to one builtin, as C allows them. */
    private CType builtin(Kind kind, int signed, int unsigned, int shorts, int longs, int ints, int chars, Token at) {
        if (signed > 0 && unsigned > 0) throw error(at.location(), "cannot combine 'signed' and 'unsigned'");
        boolean sign = signed > 0 || unsigned > 0;
        if (kind != null) {
            if (kind == Kind.INT128) {
                if (shorts + longs + chars + ints > 0) throw error(at.location(), "invalid __int128 type");
                return BuiltinType.of(unsigned > 0 ? Kind.UNSIGNED_INT128 : Kind.INT128);
            }
            if (kind == Kind.DOUBLE && longs == 1 && !sign && shorts + ints + chars == 0) return BuiltinType.of(Kind.LONG_DOUBLE);
            if (sign || shorts + longs + ints + chars > 0) throw error(at.location(), "invalid combination of type specifiers with '" + kind.spelling() + "'");
            return BuiltinType.of(kind);
        }
        if (chars > 0) {
            if (chars > 1 || shorts + longs + ints > 0) throw error(at.location(), "invalid combination of type specifiers with 'char'");
            return BuiltinType.of(unsigned > 0 ? Kind.UNSIGNED_CHAR : signed > 0 ? Kind.SIGNED_CHAR : Kind.CHAR);
        }
        if (shorts > 0) {
            if (shorts > 1 || longs > 0) throw error(at.location(), "invalid combination of 'short' and 'long'");
            return BuiltinType.of(unsigned > 0 ? Kind.UNSIGNED_SHORT : Kind.SHORT);
        }
        if (longs > 2) throw error(at.location(), "'long long long' is invalid");
        if (longs == 2) return BuiltinType.of(unsigned > 0 ? Kind.UNSIGNED_LONG_LONG : Kind.LONG_LONG);
        if (longs == 1) return BuiltinType.of(unsigned > 0 ? Kind.UNSIGNED_LONG : Kind.LONG);
        return BuiltinType.of(unsigned > 0 ? Kind.UNSIGNED_INT : Kind.INT);
    }

    /**
     * Specifiers with no type in them, as clang-22 reads them: a name followed by what cannot follow
     * a declarator's name ({@code size_t n}, {@code FILE *f}) is a type it does not know; otherwise the
     * name is the declarator's and the type an implicit int, an error by default since C99 (pointed
     * at the declarator's name: {@code const *p}). A type name has no declarator, and a record
     * member needs a specifier or qualifier before its name.
     */
    private SyntaxException noTypeSpecifier(Token start, SpecifierContext context) {
        Token t = peek();
        if (t.isIdentifier() && !isKeywordSpelling(t.text())) {
            if (context == SpecifierContext.TYPE_NAME || !mayFollowDeclaratorName(peekAt(1))) return error(t.location(), "unknown type name '" + t.text() + "'");
            if (context == SpecifierContext.MEMBER && t == start) return error(t.location(), "type name requires a specifier or qualifier");
            return error(t.location(), IMPLICIT_INT);
        }
        if (t == start && !t.is("*") && !t.is("(")) {
            return error(t.location(), context == SpecifierContext.PARAMETER ? "expected parameter declarator" : "expected a type, found '" + t.text() + "'");
        }
        Token name = t;   // the declarator's name, past its pointers, parentheses and qualifiers (else where it starts)
        for (int k = 0; ; k++) {
            Token d = peekAt(k);
            if (d.is("*") || d.is("(") || is(d, Word.QUALIFIER)) continue;
            if (d.isIdentifier() && !isKeywordSpelling(d.text())) name = d;
            break;
        }
        return error(name.location(), IMPLICIT_INT);
    }

    /** clang's test of whether a name ends a type or starts a declarator (Parser::isValidAfterIdentifierInDeclarator). */
    private static boolean mayFollowDeclaratorName(Token t) {
        return t.is("[") || t.is("(") || t.is(")") || t.is(";") || t.is(",") || t.is("=") || t.is(":") || t.is("{")
                || t.is("asm") || t.is("__asm__") || t.is("__asm");
    }

    // --- struct, union, enum ----------------------------------------------------------------------------

    private TagType tagSpecifier(String keyword, Specifiers s) {
        TagType.Kind kind = TagType.Kind.valueOf(keyword.toUpperCase(java.util.Locale.ROOT));
        List<Attribute> attrs = attributesAndAsm();
        Token nameTok = peek().isIdentifier() && !isAttributeStart(peek()) ? next() : null;
        CType fixed = kind == TagType.Kind.ENUM && accept(":") ? specifiers().base : null;   // enum E : T — the id is still 1E
        if (!peek().is("{")) {
            if (nameTok == null) throw error(peek().location(), "expected identifier or '{' after '" + keyword + "'");
            TagType known = tags.get(nameTok.text());
            if (known != null) return known;
            TagType fresh = prototypeDepth > 0 ? TagType.local(kind, nameTok.text(), declaredName) : TagType.declared(kind, nameTok.text());
            if (fixed == null) {   // (an enum with a fixed type is complete: enum E : int;)
                incompleteTags.add(tagKey(fresh));
            }
            if (prototypeDepth == 0) tags.put(nameTok.text(), fresh);
            return fresh;
        }
        TagType tag;
        if (nameTok == null) {
            tag = TagType.anonymous(kind, anonymousTags++);
            s.anonymousTag = tag;
        } else {
            tag = prototypeDepth > 0 ? TagType.local(kind, nameTok.text(), declaredName) : TagType.declared(kind, nameTok.text());
            if (prototypeDepth == 0) tags.put(nameTok.text(), tag);
        }
        expect("{");
        incompleteTags.remove(tagKey(tag));
        List<CType> outer = members;
        Map<String, Member> outerNames = memberNames;
        boolean outerUnnatural = unnaturalLayout;
        members = new ArrayList<>();
        memberNames = new java.util.LinkedHashMap<>();
        unnaturalLayout = false;
        CType firstMember = kind == TagType.Kind.ENUM ? enumBody(tag, fixed) : recordBody();
        List<CType> own = members;
        if (kind != TagType.Kind.ENUM) memberTypes.put(tag, memberNames);
        memberNames = outerNames;
        boolean unnatural = unnaturalLayout;
        members = outer;
        unnaturalLayout = outerUnnatural;
        attrs = joined(attrs, attributesAndAsm(), List.of());
        // packed, aligned or under #pragma pack: laid out otherwise than C's natural rule, which is all xcfi models
        if (unnatural || changesLayout(attrs) || packing.getAsBoolean()) own = null;
        if (hasAttribute(attrs, "packed")) enumSizes.remove(tag);   // the smallest type that holds its values: not modelled
        if (kind == TagType.Kind.UNION && hasAttribute(attrs, "transparent_union") && firstMember != null) {
            tag = tag.asTransparentUnion(firstMember);
            if (nameTok != null && prototypeDepth == 0) tags.put(nameTok.text(), tag);
            if (s.anonymousTag != null) s.anonymousTag = tag;
        } else if (kind == TagType.Kind.UNION && firstMember != null) {
            pendingFirstMembers.put(tag, firstMember);
        }
        if (kind != TagType.Kind.ENUM) {
            recordMembers.put(tag, own);
            layout.of(tag);   // laid out now, while the records it holds are: no long chains of them later
        }
        return tag;
    }

    /**
     * A tag's identity for {@link #incompleteTags}, whatever a transparent_union attribute added to
     * it: its name (struct, union and enum share C's one tag namespace), and the function a local
     * tag belongs to. No string is built for a file-scope tag: every array of a tag asks.
     */
    private static String tagKey(TagType t) {
        return t.enclosingFunction() == null ? t.name() : t.enclosingFunction() + " " + t.name();
    }

    /**
     * Why clang refuses an array of {@code element} ({@code at}: its '['), or null: an incomplete
     * element type (void, an array of unknown length, a tag declared but not defined), or a size in
     * bytes that does not fit in size_t's bits (at most 61: clang's limit, so that a size in bits
     * fits in 64).
     */
    private String arrayError(CType element, ArrayType.Size size) {
        CType c = element.canonical().unqualified();
        boolean incomplete = c instanceof BuiltinType b && b.kind() == Kind.VOID
                || c instanceof ArrayType a && a.size() == ArrayType.Size.INCOMPLETE
                || c instanceof TagType tag && incompleteTags.contains(tagKey(tag));
        if (incomplete) return "array has incomplete element type '" + dev.xcfi.encoding.CTypePrinter.print(element) + "'";
        if (!(size instanceof ArrayType.Size.Fixed(long n))) return null;
        // (a scalar or pointer is at most a few dozen bytes: a million of them fit in any size_t, unlaid out)
        if (n >= 0 && n < 1 << 20 && !(c instanceof ArrayType || c instanceof TagType || c instanceof VectorType)) return null;
        OptionalLong bytes = layout.sizeOf(element);
        if (bytes.isEmpty()) return null;
        int bits = Math.min(61, target.dataModel().pointerBits());
        long each = bytes.getAsLong();
        // the usual array fits at a glance; a huge one is multiplied out exactly
        if (n >= 0 && n < 1L << 31 && each < 1L << 29 && n * each < 1L << bits) return null;
        java.math.BigInteger total = new java.math.BigInteger(Long.toUnsignedString(n)).multiply(java.math.BigInteger.valueOf(each));
        if (total.bitLength() <= bits) return null;
        return "array is too large (" + String.format(java.util.Locale.ROOT, "%,d", new java.math.BigInteger(Long.toUnsignedString(n))).replace(',', '\'') + " elements)";
    }

    private CType makeTransparent(TagType tag) {
        CType first = pendingFirstMembers.get(tag);
        if (first == null) return tag;
        TagType t = tag.asTransparentUnion(first);
        if (tag.hasLinkage()) tags.put(tag.name(), t);
        return t;
    }

    private TagType renameAnonymous(TagType anonymous, String typedefName) {
        TagType named = TagType.named(anonymous.kind(), typedefName);
        Map<String, Member> names = memberTypes.get(anonymous);
        if (names != null) memberTypes.put(named, names);
        if (recordMembers.containsKey(anonymous)) recordMembers.put(named, recordMembers.get(anonymous));   // sizeof(T) lays it out
        typedefNamed.add(named);
        if (anonymous.transparentMember() != null) named = named.asTransparentUnion(anonymous.transparentMember());
        CType first = pendingFirstMembers.get(anonymous);
        if (first != null) pendingFirstMembers.put(named, first);
        return named;
    }

    /** Set while a record body is read when a member is a bit-field or has an alignment or packing of its own. */
    private boolean unnaturalLayout;
    /** Whether the preprocessor has met a {@code #pragma pack} so far. */
    private java.util.function.BooleanSupplier packing = () -> false;

    private static boolean changesLayout(List<Attribute> attrs) {
        for (Attribute a : attrs) {
            String n = Attribute.plainName(a.name());
            if (n.equals("packed") || n.equals("aligned") || n.equals("ms_struct")) return true;
        }
        return false;
    }

    /** Records defined inside records: clang's -fbracket-depth bounds them too, and here they must not overflow the stack. */
    private final RecursionLimit recordNesting = new RecursionLimit(256);

    /** Member declarations up to the closing brace; returns the first member's declared type. */
    private CType recordBody() {
        if (!recordNesting.enter()) throw error(peek().location(), "struct or union nested more than " + recordNesting.max() + " levels deep");
        try {
            return unnestedRecordBody();
        } finally {
            recordNesting.exit();
        }
    }

    private CType unnestedRecordBody() {
        CType first = null;
        while (!accept("}")) {
            if (peek().kind() == Token.Kind.END) throw error(peek().location(), "expected '}'");
            if (accept(";") || skippedStaticAssert()) continue;
            Specifiers s = specifiers(SpecifierContext.MEMBER);
            if (accept(";")) {   // an anonymous struct/union member
                if (first == null) first = s.base;
                members.add(s.base);
                // its members are the enclosing record's (C11): struct { union { int a; }; } x; has x.a
                if (s.base.unqualified() instanceof TagType inner && memberTypes.containsKey(inner)) memberNames.putAll(memberTypes.get(inner));
                continue;
            }
            do {
                Declarator d = peek().is(":") ? new Declarator(null, peek(), UnaryOperator.identity(), List.of()) : declarator(false);
                if (accept(":")) {
                    bitFieldWidth();
                    unnaturalLayout = true;   // a bit-field: laid out by rules xcfi does not model
                }
                List<Attribute> attrs = joined(s.attributes, d.attributes, attributesAndAsm());
                if (s.aligned || changesLayout(attrs)) unnaturalLayout = true;
                CType type = applyFunctionAttributes(d.build.apply(applyTypeAttributes(s.base, attrs)), attrs);
                if (first == null) first = type;
                members.add(type);
                if (d.name != null) memberNames.put(d.name, new Member(type, d.location()));
            } while (accept(","));
            expect(";");
        }
        return first;
    }

    /**
     * The enumerators, and the enum's size for sizeof: its fixed type's, else clang's choice for
     * C: 4 bytes while the values fit in int or unsigned int, 8 beyond.
     */
    private CType enumBody(TagType tag, CType fixed) {
        long value = 0, min = 0, max = 0;
        ConstantExpression.NotComputed uncomputed = null, anyUncomputed = null;   // the value, and whether any was, beyond xcfi
        while (!accept("}")) {
            Token name = next();
            if (!name.isIdentifier()) throw error(name.location(), "expected identifier in enumerator list");
            attributesAndAsm();
            if (accept("=")) {
                try {
                    value = constantOrUncomputed(",", "}");
                    uncomputed = null;
                } catch (ConstantExpression.NotComputed e) {
                    uncomputed = anyUncomputed = e;
                }
            }
            if (uncomputed != null) {
                uncomputedEnumerators.put(name.text(), uncomputed);
                enumConstants.remove(name.text());
                enumeratorTypes.remove(name.text());
            } else {
                min = Math.min(min, value);
                max = Math.max(max, value);
                enumConstants.put(name.text(), value);
                uncomputedEnumerators.remove(name.text());
                if (fixed != null) enumeratorTypes.put(name.text(), fixed);
                else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) enumeratorTypes.put(name.text(), BuiltinType.INT);
                else enumeratorTypes.remove(name.text());
                value++;
            }
            if (!accept(",")) {
                expect("}");
                break;
            }
        }
        OptionalLong size = fixed != null ? layout.sizeOf(fixed)
                : anyUncomputed != null ? OptionalLong.empty()   // its values choose it
                : OptionalLong.of(min >= Integer.MIN_VALUE && max <= 0xffffffffL && (min >= 0 || max <= Integer.MAX_VALUE) ? 4 : 8);
        size.ifPresent(n -> enumSizes.put(tag, n));
        return null;
    }

    /**
     * How deep a typedef's type may nest, through the typedefs it names: each {@code typedef t1 *t2;}
     * adds a level a declarator never shows, and every later use of the type (looking through
     * typedefs, encoding) walks all of them.
     */
    private static final int MAX_TYPEDEF_DEPTH = 512;
    /** Each typedef's depth, found once: a chain of typedefs is walked one link per new typedef. */
    private final Map<TypedefType, Integer> typedefDepths = new java.util.IdentityHashMap<>();

    private int depth(CType t) {
        if (t instanceof TypedefType td) {
            Integer known = typedefDepths.get(td);
            if (known == null) typedefDepths.put(td, known = 1 + depth(td.aliased()));
            return known;
        }
        if (t instanceof PointerType p) return 1 + depth(p.pointee());
        if (t instanceof QualifiedType q) return 1 + depth(q.base());
        if (t instanceof ArrayType a) return 1 + depth(a.element());
        if (t instanceof BlockPointerType b) return 1 + depth(b.pointee());
        if (t instanceof AtomicType a) return 1 + depth(a.value());
        if (t instanceof ComplexType c) return 1 + depth(c.element());
        if (t instanceof VectorType v) return 1 + depth(v.element());
        if (t instanceof FunctionType f) {
            int deepest = depth(f.returnType());
            for (FunctionType.Parameter p : f.parameters()) deepest = Math.max(deepest, depth(p.type()));
            return 1 + deepest;
        }
        return 1;   // a builtin, a tag, a _BitInt
    }

    // --- declarators ------------------------------------------------------------------------------------

    /** A parsed declarator: the declared name (null when abstract) and how it derives from the base type. */
    private record Declarator(String name, Token at, UnaryOperator<CType> build, List<Attribute> attributes) {
        SourceLocation location() {
            return at.location();
        }
    }

    /** clang's default -fbracket-depth: deeper nesting is an error there too, and here it must not overflow the stack. */
    private final RecursionLimit declaratorNesting = new RecursionLimit(256);

    // Each pointer is a level too: int ********…p nests as deeply as parentheses do.
    private Declarator declarator(boolean abstractAllowed) {
        int depth = declaratorNesting.depth();
        enterDeclaratorLevel();
        try {
            return unnestedDeclarator(abstractAllowed);
        } finally {
            declaratorNesting.restore(depth);
        }
    }

    private void enterDeclaratorLevel() {
        if (!declaratorNesting.enter()) throw error(peek().location(), "declarator nested more than " + declaratorNesting.max() + " levels deep");
    }

    private Declarator unnestedDeclarator(boolean abstractAllowed) {
        Token at = peek();
        // Most declarators are a name or nothing: the lists below are made only for what is there.
        List<Attribute> attrs = List.of();
        // Function-type attributes written at this level's pointers belong to the function type just
        // outside them (clang: void (__attribute__((ms_abi)) *p)(int) makes the pointee ms_abi).
        List<Attribute> levelAttrs = List.of();
        List<Qualifiers> pointers = List.of();
        // where a restrict-qualified pointer's '*' is, by pointer level (null until one is: this is a hot path)
        Map<Integer, Token> restrictStars = null;
        // which of the pointers are block pointers (^): bit i for pointers.get(i); a long, not a list of records, on this hot path
        long blocks = 0;
        Token caret = null;
        while (true) {
            boolean block = peek().is("^");
            if (block) {
                if (target.os() != Target.Os.DARWIN) throw error(peek().location(), "blocks support disabled - compile with -fblocks or pick a deployment target that supports them");   // clang's words (-fblocks is on by default only for Darwin)
                if (pointers.size() >= Long.SIZE) throw error(peek().location(), "more than " + Long.SIZE + " pointer levels before a block pointer");
                blocks |= 1L << pointers.size();
            }
            Token star = peek();
            if (block ? accept("^") : accept("*")) {
                enterDeclaratorLevel();
                if (block) caret = peek();   // clang reports a block pointer's errors at the token after the caret
                Qualifiers q = Qualifiers.NONE;
                Token nullabilityAt = null;
                while (true) {
                    Token t = peek();
                    if (is(t, Word.QUALIFIER) && !t.is("_Atomic")) {
                        next();
                        Qualifiers added = qualifier(t.text());
                        if (added == Qualifiers.NONE) nullabilityAt = nullability(nullabilityAt, t);
                        q = q.with(added);
                    } else if (isAttributeStart(t)) {
                        for (Attribute a : attributeList()) {
                            if (a.name().equals("address_space")) q = q.with(addressSpace(a, q));
                            else if (isFunctionTypeAttribute(a)) levelAttrs = plus(levelAttrs, a);
                            else attrs = plus(attrs, a);
                        }
                    } else if (is(t, Word.CALLING_CONVENTION)) {
                        next();
                        levelAttrs = plus(levelAttrs, new Attribute(t.text(), List.of(), t.location()));
                    } else {
                        break;
                    }
                }
                pointers = plus(pointers, q);
                if (q.isRestrict()) {
                    if (restrictStars == null) restrictStars = new HashMap<>();
                    restrictStars.put(pointers.size() - 1, star);
                }
            } else if (isAttributeStart(peek())) {
                for (Attribute a : attributeList()) {
                    if (isFunctionTypeAttribute(a)) levelAttrs = plus(levelAttrs, a);
                    else attrs = plus(attrs, a);
                }
            } else if (is(peek(), Word.CALLING_CONVENTION)) {
                Token t = next();
                levelAttrs = plus(levelAttrs, new Attribute(t.text(), List.of(), t.location()));
            } else {
                break;
            }
        }
        String name = null;
        UnaryOperator<CType> inner = UnaryOperator.identity();
        // In declarator position a typedef name is being redeclared (typedef unsigned long size_t; twice).
        if (peek().isIdentifier() && !isKeyword(peek())) {
            Token n = next();
            name = n.text();
            at = n;
        } else if (peek().is("(") && startsNestedDeclarator()) {
            next();
            Declarator d = declarator(abstractAllowed);
            expect(")");
            inner = d.build;
            name = d.name;
            at = d.at;
            attrs = joined(attrs, d.attributes, List.of());
        } else if (!abstractAllowed) {
            throw error(peek().location(), "expected identifier or '('");   // clang's words
        }
        if (name != null && prototypeDepth == 0) declaredName = name;
        List<UnaryOperator<CType>> suffixes = List.of();
        while (true) {
            if (peek().is("[")) suffixes = plus(suffixes, arraySuffix(name));
            else if (peek().is("(")) suffixes = plus(suffixes, functionSuffix(name != null && identifierList == null));
            else break;
        }
        if (levelAttrs.isEmpty() && pointers.isEmpty() && suffixes.isEmpty()) return new Declarator(name, at, inner, attrs);
        return new Declarator(name, at, new Derived(levelAttrs, pointers, restrictStars, blocks, caret, suffixes, inner), attrs);
    }

    /*
     * A declarator's derivations are named classes, not lambdas: ./xcfi runs with C1 only, where
     * creating a capturing lambda costs about six times an object's allocation (C1CostsBenchmark),
     * and a large header makes one per pointer, array and function declarator.
     */

    /** One declarator level: function attributes written at its pointers, the pointers, then its suffixes, then what it encloses. */
    private final class Derived implements UnaryOperator<CType> {
        private final List<Attribute> levelAttributes;
        private final List<Qualifiers> pointers;
        /** The '*' of each restrict-qualified pointer, by level (null when there is none): where a restrict error points. */
        private final Map<Integer, Token> restrictStars;
        /** Bit i: {@code pointers.get(i)} is a block pointer ({@code ^}); {@code caret}: the token after one, where errors point. */
        private final long blocks;
        private final Token caret;
        private final List<UnaryOperator<CType>> suffixes;
        private final UnaryOperator<CType> inner;

        Derived(List<Attribute> levelAttributes, List<Qualifiers> pointers, Map<Integer, Token> restrictStars, long blocks, Token caret,
                List<UnaryOperator<CType>> suffixes, UnaryOperator<CType> inner) {
            this.levelAttributes = levelAttributes;
            this.pointers = pointers;
            this.restrictStars = restrictStars;
            this.blocks = blocks;
            this.caret = caret;
            this.suffixes = suffixes;
            this.inner = inner;
        }

        @Override
        public CType apply(CType base) {
            CType t = applyFunctionAttributes(base, levelAttributes);
            for (int i = 0; i < pointers.size(); i++) {
                t = pointerTo(t, (blocks >>> i & 1) != 0);
                if (restrictStars != null && pointers.get(i).isRestrict() && t instanceof PointerType p && p.pointee().canonical() instanceof FunctionType) {
                    throw error(restrictStars.get(i).location(), "pointer to function type '" + dev.xcfi.encoding.CTypePrinter.print(p.pointee())
                            + "' may not be 'restrict' qualified");
                }
                t = QualifiedType.of(t, pointers.get(i));
            }
            for (int i = suffixes.size() - 1; i >= 0; i--) t = suffixes.get(i).apply(t);
            return inner.apply(t);
        }

        private CType pointerTo(CType t, boolean block) {
            if (!block) return new PointerType(t);
            if (!(t.canonical() instanceof FunctionType f)) throw error(caret.location(), "block pointer to non-function type is invalid");
            return new BlockPointerType(f);
        }
    }

    /** {@code [N]}, {@code [*]}, {@code []}: an array of the element type. */
    private final class ArrayOf implements UnaryOperator<CType> {
        private final ArrayType.Size size;
        /** '[' and the bound's first token (or ']' when there is none): where errors point. */
        private final Token open, bound;
        /** The declarator's name, or null: clang's errors name it. */
        private final String declared;

        ArrayOf(ArrayType.Size size, Token open, Token bound, String declared) {
            this.size = size;
            this.open = open;
            this.bound = bound;
            this.declared = declared;
        }

        @Override
        public CType apply(CType element) {
            if (element.canonical() instanceof FunctionType) {
                String written = dev.xcfi.encoding.CTypePrinter.print(element), meant = dev.xcfi.encoding.CTypePrinter.print(element.canonical());
                throw error(open.location(), "'" + (declared == null ? "type name" : declared) + "' declared as array of functions of type '" + written + "'"
                        + (written.equals(meant) ? "" : " (aka '" + meant + "')"));
            }
            String refused = arrayError(element, size);
            // clang points at the bracket for the element, at the bound for the size
            if (refused != null) throw error((refused.startsWith("array is too large") ? bound : open).location(), refused);
            return new ArrayType(element, size);
        }
    }

    /**
     * {@code (…)}: a function returning the type. Function types are built from canonical parts
     * (parameters are adjusted, which canonicalizes them; the return type is canonicalized here),
     * so a declaration need not walk them again.
     */
    private record FunctionReturning(List<FunctionType.Parameter> parameters, boolean variadic, boolean prototyped, Token open)
            implements UnaryOperator<CType> {
        @Override
        public CType apply(CType ret) {
            FunctionType f = new FunctionType(ret.canonical(), parameters, variadic, prototyped, CallingConvention.C, false, "");
            CType r = f.returnType() instanceof QualifiedType q ? q.base() : f.returnType();
            // (the message is made only when it is needed: this runs for every function type)
            if (r instanceof FunctionType) throw error(open.location(), "function cannot return function type '" + dev.xcfi.encoding.CTypePrinter.print(r) + "'");
            if (r instanceof ArrayType) throw error(open.location(), "function cannot return array type '" + dev.xcfi.encoding.CTypePrinter.print(r) + "'");
            return f;
        }
    }

    /** {@code list} and then {@code x}, as a new list: declarators rarely have any of these, so they start as {@code List.of()}. */
    private static <T> List<T> plus(List<T> list, T x) {
        List<T> out = new ArrayList<>(list.size() + 2);
        if (!list.isEmpty()) out.addAll(list);
        out.add(x);
        return out;
    }

    /** Calling conventions, {@code cfi_salt} and {@code noreturn} belong to a function type, not to the declaration. */
    private static boolean isFunctionTypeAttribute(Attribute a) {
        return a.name().equals("cfi_salt") || a.name().equals("noreturn") || CallingConventions.isCallingConvention(a.name());
    }

    private boolean startsNestedDeclarator() {
        Token t = peekAt(1);
        if (t.is("*") || t.is("(") || t.is("[") || t.is("^") || isAttributeStart(t)) return true;
        if (is(t, Word.CALLING_CONVENTION)) return true;
        return t.isIdentifier() && !isTypeStart(t);
    }

    /** {@code declared}: the declarator's name, which clang's errors about the bound name (null when abstract). */
    private UnaryOperator<CType> arraySuffix(String declared) {
        Token open = peek();
        expect("[");
        List<Token> size = new ArrayList<>();
        int depth = 0, braces = 0;
        Token close = null;
        while (close == null) {
            Token read = next();
            // a bound holds a ';' only in a record it defines (sizeof(struct { long x; })) and never
            // closes more than it opened: report there, not at the end of the file
            if (read.is("{")) braces++;
            else if (read.is("}")) braces--;
            if (read.kind() == Token.Kind.END || read.is(";") && braces <= 0) throw error(read.location(), "expected ']'");
            // the lexer reads ']]' as one token (C23's attribute closer); in a bound it is two: [a[0]]
            Token bracket = new Token(Token.Kind.PUNCTUATOR, "]", read.location(), false);
            for (Token t : read.is("]]") ? List.of(bracket, bracket) : List.of(read)) {
                if (close != null || t.is(")") && depth == 0) throw error(t.location(), "expected ']'");
                if (depth == 0 && t.is("]")) {
                    close = t;
                } else {
                    if (t.is("[") || t.is("(")) depth++;
                    if (t.is("]") || t.is(")")) depth--;
                    if (!t.is("static") && !(is(t, Word.QUALIFIER) && size.isEmpty())) size.add(t);
                }
            }
        }
        ArrayType.Size s;
        if (size.isEmpty()) {
            s = ArrayType.Size.INCOMPLETE;
        } else if (size.size() == 1 && size.get(0).is("*")) {
            s = ArrayType.Size.variable();
        } else {
            s = bound(size, close.location(), declared);
        }
        return new ArrayOf(s, open, size.isEmpty() ? close : size.getFirst(), declared);
    }

    private UnaryOperator<CType> functionSuffix(boolean mayBeIdentifierList) {
        Token open = expect("(");
        if (accept(")")) return new FunctionReturning(List.of(), false, false, open);
        if (peek().is("void") && peekAt(1).is(")")) {
            next();
            next();
            return new FunctionReturning(List.of(), false, true, open);
        }
        if (peek().isIdentifier() && !isTypeStart(peek()) && (peekAt(1).is(",") || peekAt(1).is(")"))) {
            SourceLocation first = peek().location();
            List<String> names = new ArrayList<>();
            do {
                Token n = next();
                if (!n.isIdentifier()) throw error(n.location(), "expected identifier in K&R parameter list");
                names.add(n.text());
            } while (accept(","));
            expect(")");
            if (mayBeIdentifierList) {
                identifierList = names;
                identifierListAt = first;
            }
            return new FunctionReturning(List.of(), false, false, open);
        }
        List<FunctionType.Parameter> params = new ArrayList<>(16);
        boolean variadic = false;
        prototypeDepth++;
        int outerParameters = parameterCount;
        try {
            do {
                if (peek().is("...")) {
                    // C23 allows it, clang's default (gnu17) does not
                    if (params.isEmpty()) throw error(peek().location(), "ISO C requires a named parameter before '...'");
                    next();
                    variadic = true;
                    break;
                }
                Specifiers s = specifiers(SpecifierContext.PARAMETER);
                if (s.storage != null) throw error(s.storage.location(), parameterStorageError(s.storage.text()));
                Declarator d = declarator(true);
                List<Attribute> attrs = joined(s.attributes, d.attributes, attributesAndAsm());
                CType type = applyFunctionAttributes(d.build.apply(applyTypeAttributes(s.base, attrs)), attrs);
                if (type.canonical().unqualified() instanceof BuiltinType b && b.kind() == Kind.VOID) {
                    boolean only = params.isEmpty() && peek().is(")");
                    if (d.name() != null) throw error(d.location(), "argument may not have 'void' type");
                    if (only && type.canonical() instanceof QualifiedType) throw error(open.location(), "'void' as parameter must not have type qualifiers");
                    if (!only) throw error(d.location(), "'void' must be the first and only parameter if specified");
                    continue;   // (V), V a typedef of void: no parameters, as (void)
                }
                CType adjusted = FunctionType.adjust(type);
                params.add(new FunctionType.Parameter(adjusted, hasAttribute(attrs, "noescape")));
                if (d.name() != null) pushParameter(d.name(), adjusted);
            } while (accept(","));
        } finally {
            prototypeDepth--;
            parameterCount = outerParameters;
        }
        expect(")");
        return new FunctionReturning(params, variadic, true, open);
    }

    private void pushParameter(String name, CType type) {
        if (parameterCount == parameterNames.length) {
            parameterNames = java.util.Arrays.copyOf(parameterNames, 2 * parameterCount);
            parameterTypes = java.util.Arrays.copyOf(parameterTypes, 2 * parameterCount);
        }
        parameterNames[parameterCount] = name;
        parameterTypes[parameterCount++] = type;
    }

    /** The innermost parameter in scope named {@code name}, or null. */
    private CType parameter(String name) {
        for (int i = parameterCount - 1; i >= 0; i--) if (parameterNames[i].equals(name)) return parameterTypes[i];
        return null;
    }

    /** clang's words for a storage class on a parameter (register alone is allowed). */
    private static String parameterStorageError(String word) {
        return switch (word) {
            case "inline", "__inline", "__inline__" -> "'inline' can only appear on functions";
            case "_Thread_local", "__thread" -> "'" + word + "' is only allowed on variable declarations";
            default -> "invalid storage class specifier in function declarator";
        };
    }

    /** A type name, as in {@code typeof(…)} or {@code _Atomic(…)}. */
    private CType typeName() {
        Specifiers s = specifiers(SpecifierContext.TYPE_NAME);
        Declarator d = declarator(true);
        List<Attribute> attrs = joined(s.attributes, d.attributes, List.of());
        return applyFunctionAttributes(d.build.apply(applyTypeAttributes(s.base, attrs)), attrs);
    }

    // --- attributes -------------------------------------------------------------------------------------

    private static boolean isAttributeStart(Token t) {
        return t.isIdentifier() ? word(t.text()) == Word.ATTRIBUTE : t.is("[[");
    }

    private List<Attribute> attributeList() {
        return peek().is("[[") ? standardAttributes() : gnuAttributes();
    }

    /** Attributes and {@code asm("label")} that may follow a declarator. */
    private List<Attribute> attributesAndAsm() {
        List<Attribute> out = List.of();
        while (true) {
            Token t = peek();
            if (isAttributeStart(t)) out = joined(out, attributeList(), List.of());
            else if (t.isIdentifier() && (t.is("asm") || t.is("__asm__") || t.is("__asm"))) {
                next();
                skipParens();
            } else return out;
        }
    }

    /** Attribute lists joined in order (specifiers', declarator's, trailing); most are empty, and nothing is copied then. */
    private static List<Attribute> joined(List<Attribute> a, List<Attribute> b, List<Attribute> c) {
        if (a.isEmpty() && b.isEmpty()) return c;
        if (b.isEmpty() && c.isEmpty()) return a;
        if (a.isEmpty() && c.isEmpty()) return b;
        List<Attribute> all = new ArrayList<>(a.size() + b.size() + c.size());
        all.addAll(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    private List<Attribute> gnuAttributes() {
        next();
        expect("(");
        expect("(");
        List<Attribute> out = attributeItems(")");
        expect(")");
        expect(")");
        return out;
    }

    private List<Attribute> standardAttributes() {
        expect("[[");
        List<Attribute> out = attributeItems("]]");
        expect("]]");
        return out;
    }

    private List<Attribute> attributeItems(String close) {
        List<Attribute> out = new ArrayList<>();
        while (!peek().is(close)) {
            if (accept(",")) continue;
            Token n = next();
            if (!n.isIdentifier()) throw error(n.location(), "expected attribute name");
            String name = n.text();
            if (accept("::")) name = next().text();   // [[gnu::ms_abi]], [[clang::cfi_salt("s")]]
            name = Attribute.plainName(name);
            List<Token> args = new ArrayList<>();
            if (peek().is("(")) {
                next();
                int depth = 0;
                while (depth > 0 || !peek().is(")")) {
                    Token t = next();
                    if (t.kind() == Token.Kind.END) throw error(t.location(), "expected ')' to close attribute arguments");
                    if (t.is("(")) depth++;
                    if (t.is(")")) depth--;
                    args.add(t);
                }
                next();
            }
            out.add(new Attribute(name, args, n.location()));
        }
        return out;
    }

    private static boolean hasAttribute(List<Attribute> attrs, String name) {
        for (int i = 0; i < attrs.size(); i++) if (attrs.get(i).name().equals(name)) return true;
        return false;
    }

    /** Attributes that change the base type: {@code address_space(N)} and {@code vector_size(N)}. */
    private CType applyTypeAttributes(CType base, List<Attribute> attrs) {
        if (attrs.isEmpty()) return base;
        CType t = base;
        for (Attribute a : attrs) {
            switch (a.name()) {
                case "address_space" -> t = QualifiedType.of(t, addressSpace(a, t.canonical().qualifiers()));
                case "vector_size" -> {
                    long bytes = constant(a);
                    if (bytes < 0) throw error(argumentLocation(a), "vector must have non-negative size");   // clang's words, as below
                    if (bytes == 0) throw error(a.location(), "zero vector size");
                    OptionalLong elem = vectorElementSize(t.unqualified());
                    if (elem.isEmpty() || elem.getAsLong() == 0) throw error(a.location(), "invalid vector element type " + quoted(t.unqualified()));
                    if (bytes % elem.getAsLong() != 0) throw error(a.location(), "vector size not an integral multiple of component size");
                    if (bytes / elem.getAsLong() > Integer.MAX_VALUE) throw error(a.location(), "vector size too large");
                    t = QualifiedType.of(new VectorType(t.unqualified(), (int) (bytes / elem.getAsLong())), t.qualifiers());
                }
                case "ext_vector_type" -> {
                    // clang's OpenCL-style vectors: N elements (not bytes), mangled as GNU vectors
                    long count = constant(a);
                    if (count < 0) throw error(argumentLocation(a), "vector must have non-negative size");
                    if (count == 0) throw error(a.location(), "zero vector size");
                    if (arithmetic(t) == null) throw error(a.location(), "invalid vector element type " + quoted(t.unqualified()));
                    if (count > Integer.MAX_VALUE) throw error(a.location(), "vector size too large");
                    t = QualifiedType.of(new VectorType(t.unqualified(), (int) count), t.qualifiers());
                }
                case "mode" -> t = QualifiedType.of(machineMode(a, t.unqualified()), t.qualifiers());
                default -> { }
            }
        }
        return t;
    }

    /**
     * Attributes of the function type: calling convention, {@code cfi_salt}, {@code noreturn}. Like
     * clang, they go to the function declarator chunk nearest the declared name: the first function
     * type met from the top of the declared type (the function itself, or a pointer's pointee).
     */
    private CType applyFunctionAttributes(CType type, List<Attribute> attrs) {
        if (attrs.isEmpty()) return type;
        CallingConvention cc = null;
        String salt = null;
        boolean noReturn = false;
        for (Attribute a : attrs) {
            CallingConvention c = CallingConventions.of(a.name(), target);
            if (c != null) cc = c;
            else if (a.name().equals("cfi_salt")) {
                salt = a.stringArgument();
                if (salt == null) throw error(a.location(), "'cfi_salt' attribute requires a string");
            } else if (a.name().equals("noreturn")) noReturn = true;
        }
        if (cc == null && salt == null && !noReturn) return type;
        CallingConvention fcc = cc;
        String fsalt = salt;
        boolean fnr = noReturn;
        return nearestFunction(type, f -> {
            FunctionType g = f;
            if (fcc != null && f.prototyped()) g = g.withCallingConvention(fcc);
            if (fsalt != null) g = g.withSalt(fsalt);
            if (fnr) g = g.withNoReturn(true);
            return g;
        });
    }

    // These three run for most headers (attributes, vector types): instanceof tests rather than
    // pattern switches, which cost a process milliseconds the first time each runs (docs/performance.md).
    private static CType nearestFunction(CType t, UnaryOperator<FunctionType> change) {
        if (t instanceof PointerType p) return new PointerType(nearestFunction(p.pointee(), change));
        if (t instanceof QualifiedType q) return QualifiedType.of(nearestFunction(q.base(), change), q.qualifiers());
        if (t instanceof ArrayType a) return new ArrayType(nearestFunction(a.element(), change), a.size());
        if (t instanceof FunctionType f) return change.apply(f);
        if (t instanceof TypedefType td && td.canonical() == td.aliased().canonical() && derivesFunction(td)) return nearestFunction(td.canonical(), change);
        return t;
    }

    private static boolean derivesFunction(CType t) {
        CType c = t.canonical();
        if (c instanceof PointerType p) return derivesFunction(p.pointee());
        if (c instanceof QualifiedType q) return derivesFunction(q.base());
        if (c instanceof ArrayType a) return derivesFunction(a.element());
        return c instanceof FunctionType;
    }

    /** Sizes and alignments, with the records and enums defined so far. */
    private final TypeLayout layout;

    /**
     * GCC's {@code mode(M)}: the integer or floating type of machine mode M with the base type's
     * signedness, as clang picks it (the first of char, short, int, long, long long, __int128 that
     * has the mode's width: DI is long on LP64 targets, long long elsewhere); {@code V<n><M>} a
     * vector of n of them. x87's XF, the 128-bit float modes and half precision depend on the
     * target's long double and float128 in ways xcfi does not model: an error that says so.
     */
    private CType machineMode(Attribute a, CType base) {
        String mode = a.arguments().isEmpty() ? "" : Attribute.plainName(a.arguments().getFirst().text());
        int count = 1;
        java.util.regex.Matcher vector = VECTOR_MODE.matcher(mode);
        if (vector.matches()) {
            count = Integer.parseInt(vector.group(1));
            mode = vector.group(2);
        }
        int bits = switch (mode) {
            case "QI", "byte" -> 8;
            case "HI" -> 16;
            case "SI", "SF" -> 32;
            case "DI", "DF" -> 64;
            case "TI" -> 128;
            case "word", "pointer" -> target.dataModel().pointerBits();
            case "XF", "TF", "KF", "IF", "HF", "BF", "unwind_word" -> throw error(a.location(), "xcfi does not model machine mode '" + mode + "'");
            default -> throw error(a.location(), "unknown machine mode '" + mode + "'");
        };
        boolean floating = mode.endsWith("F");
        BuiltinType b = arithmetic(base);
        if (b == null) throw error(a.location(), "mode attribute only supported for integer and floating-point types");
        if (b.kind().isFloating() != floating) throw error(a.location(), "type of machine mode does not match type of base type");
        CType element = floating ? BuiltinType.of(bits == 32 ? Kind.FLOAT : Kind.DOUBLE) : BuiltinType.of(integerOfWidth(bits, target.isSigned(b.kind())));
        return count == 1 ? element : new VectorType(element, count);
    }

    private static final java.util.regex.Pattern VECTOR_MODE = java.util.regex.Pattern.compile("V([1-9][0-9]*)([QHSDT][IF])");

    /** clang's TargetInfo::getIntTypeByWidth: the first standard integer type of {@code bits} bits. */
    private Kind integerOfWidth(int bits, boolean signed) {
        DataModel m = target.dataModel();
        if (bits == 8) return signed ? Kind.SIGNED_CHAR : Kind.UNSIGNED_CHAR;
        if (bits == 16) return signed ? Kind.SHORT : Kind.UNSIGNED_SHORT;
        if (bits == m.intBits()) return signed ? Kind.INT : Kind.UNSIGNED_INT;
        if (bits == m.longBits()) return signed ? Kind.LONG : Kind.UNSIGNED_LONG;
        if (bits == 64) return signed ? Kind.LONG_LONG : Kind.UNSIGNED_LONG_LONG;
        return signed ? Kind.INT128 : Kind.UNSIGNED_INT128;
    }

    /** {@code t} as an integer or floating builtin type, or null if it is none. */
    private static BuiltinType arithmetic(CType t) {
        return t.canonical().unqualified() instanceof BuiltinType b && (b.kind().isInteger() || b.kind().isFloating()) ? b : null;
    }

    /** Where an attribute's first argument is (clang points at a bad size there), else the attribute. */
    private static SourceLocation argumentLocation(Attribute a) {
        return a.arguments().isEmpty() ? a.location() : a.arguments().getFirst().location();
    }

    private static String quoted(CType t) {
        return "'" + dev.xcfi.encoding.CTypePrinter.print(t) + "'";
    }

    /** The size of a vector's element: a scalar, pointer or enum (or an array of them, as clang takes it); a record or complex number is none. */
    private OptionalLong vectorElementSize(CType t) {
        CType c = t.canonical().unqualified();
        if (c instanceof ArrayType a) return vectorElementSize(a.element()).isPresent() ? layout.sizeOf(c) : OptionalLong.empty();
        if (c instanceof TagType tag && tag.kind() != TagType.Kind.ENUM || c instanceof ComplexType) return OptionalLong.empty();
        return layout.sizeOf(c);
    }

    /**
     * {@code address_space(N)}'s qualifier for a type already qualified {@code existing}, with
     * clang's limits and its words when N is outside them or another space is there already.
     */
    private Qualifiers addressSpace(Attribute a, Qualifiers existing) {
        long n = constant(a);
        if (n < 0) throw error(a.location(), "address space is negative");
        if (n > MAX_ADDRESS_SPACE) throw error(a.location(), "address space is larger than the maximum supported (" + MAX_ADDRESS_SPACE + ")");
        if (existing.addressSpace() != 0 && existing.addressSpace() != n) throw error(a.location(), "multiple address spaces specified for type");
        return Qualifiers.addressSpace((int) n);
    }

    // --- constants ---------------------------------------------------------------------------------------

    private long constant(Attribute a) {
        return ConstantExpression.evaluate(a.arguments(), a.location(), this::enumConstant, types);
    }

    private long constantUntil(String close) {
        return constantUntilAny(close, close);
    }

    private long constantUntilAny(String a, String b) {
        SourceLocation at = peek().location();
        return ConstantExpression.evaluate(balancedUntil(a, b), at, this::enumConstant, types);
    }

    /**
     * An array's length: fixed, variable (a name that is no constant, as a parameter n in [n]), or
     * unknown to xcfi ({@code sizeof(struct S)}: clang knows it, and an id that spells it cannot be given).
     */
    private ArrayType.Size bound(List<Token> expr, SourceLocation at, String declared) {
        try {
            OptionalLong n = ConstantExpression.evaluateIfConstant(expr, at, this::enumeratorOrNull, types);
            if (n.isPresent() && n.getAsLong() < 0) {   // clang's words
                throw error(expr.get(0).location(), declared == null ? "array size is negative" : "'" + declared + "' declared as an array with a negative size");
            }
            return n.isPresent() ? new ArrayType.Size.Fixed(n.getAsLong()) : ArrayType.Size.variable();
        } catch (ConstantExpression.NotComputed e) {
            return new ArrayType.Size.Unknown(e.what(), e.why());
        }
    }

    /** Casts and sizeof in constant expressions, with this parser's typedefs and tags. */
    private final ConstantExpression.Types types = new ConstantExpression.Types() {
        @Override
        public ConstantExpression.IntegerCast cast(List<Token> words) {
            return integerCast(words);
        }

        @Override
        public OptionalLong sizeOf(List<Token> typeName) {
            CType type = typeNameOf(typeName);
            // GNU C's sizeof(void) is 1 (clang warns); vectors of void stay invalid, so not in sizeOf
            return type.canonical().unqualified() instanceof BuiltinType b && b.kind() == Kind.VOID ? OptionalLong.of(1) : layout.sizeOf(type);
        }

        @Override
        public OptionalLong alignOf(List<Token> typeName) {
            return layout.alignOf(typeNameOf(typeName));
        }

        @Override
        public OptionalLong preferredAlignOf(List<Token> typeName) {
            return layout.preferredAlignOf(typeNameOf(typeName));
        }

        @Override
        public boolean startsTypeName(Token t) {
            return isTypeStart(t);
        }
    };

    /**
     * The integer type a cast in a constant expression names ({@code (int)}, {@code (unsigned
     * long)}, {@code (uint32_t)}), or null. Only words that can spell an integer type are parsed,
     * so that a cast never declares anything ({@code (struct S)} would).
     */
    private ConstantExpression.IntegerCast integerCast(List<Token> words) {
        boolean typeof = isTypeofKeyword(words.get(0).text()) && words.size() > 1 && words.get(1).is("(");
        int typeofEnd = typeof ? Macro.closingParenthesis(words, 1) + 1 : 0;   // typeof(expression) declares nothing
        for (Token w : words.subList(typeofEnd, words.size())) if (!isIntegerTypeWord(w)) return null;
        try {
            return typeNameOf(words).canonical().unqualified() instanceof BuiltinType b && b.kind().isInteger() ? ConstantExpression.IntegerCast.of(b.kind(), target) : null;
        } catch (SyntaxException e) {
            if (typeof) throw e;   // a typeof that is surely a cast: its operand's error is the expression's
            return null;
        }
    }

    private boolean isIntegerTypeWord(Token w) {
        return switch (w.text()) {
            case "int", "unsigned", "signed", "__signed", "__signed__", "long", "short", "char", "_Bool", "__int128",
                 "const", "volatile" -> true;
            default -> typedefs.containsKey(w.text());
        };
    }

    /** A type name given as tokens (a cast's, sizeof's), parsed with this parser's typedefs and tags. */
    private CType typeNameOf(List<Token> typeName) {
        TokenWindow outer = tokens;
        int outerPos = pos;
        List<Token> text = new ArrayList<>(typeName);
        Token last = typeName.get(typeName.size() - 1);
        text.add(new Token(Token.Kind.END, "", last.file(), last.line(), last.column() + last.text().length(), false));
        java.util.Iterator<Token> it = text.iterator();
        try {
            tokens = new TokenWindow(it::next);
            seek(0);
            CType type = typeName();
            if (peek().kind() != Token.Kind.END) throw error(peek().location(), "unexpected '" + peek().text() + "' in a type name");
            return type;
        } finally {
            tokens = outer;
            seek(outerPos);
        }
    }

    private long enumConstant(Token t) {
        Long v = enumeratorOrNull(t);
        if (v == null) throw error(t.location(), "'" + t.text() + "' is not an integer constant");
        return v;
    }

    /** An enumerator's value, null for a name that is none; one xcfi could not compute is not computed here either. */
    private Long enumeratorOrNull(Token t) {
        Long v = enumConstants.get(t.text());
        if (v == null && !uncomputedEnumerators.isEmpty()) {
            ConstantExpression.NotComputed u = uncomputedEnumerators.get(t.text());
            if (u != null) throw u.through(t);
        }
        return v;
    }

    /**
     * A bit-field's width, checked as clang checks it where xcfi can compute it: the record's
     * layout is not modelled, so a width xcfi cannot compute loses nothing (Linux's
     * BUILD_BUG_ON_ZERO: {@code sizeof(struct { int:(-!!(e)); })}).
     */
    private void bitFieldWidth() {
        try {
            constantOrUncomputed(",", ";");
        } catch (ConstantExpression.NotComputed e) {
            // as above
        }
    }

    /**
     * A constant up to the first of {@code stops} (an enumerator's value, a bit-field's width);
     * one xcfi cannot compute is thrown as such, for the caller to decide what it costs.
     */
    private long constantOrUncomputed(String... stops) {
        SourceLocation at = peek().location();
        OptionalLong v = ConstantExpression.evaluateIfConstant(balancedUntil(stops), at, this::enumeratorOrNull, types);
        if (v.isEmpty()) throw error(at, "expected an integer constant expression");
        return v.getAsLong();
    }

    // --- token helpers -----------------------------------------------------------------------------------

    /** A word no declarator may name: C's keywords (gnu17's: bool is a name there, as in Linux's typedef _Bool bool;). */
    private static boolean isKeyword(Token t) {
        Word w = word(t.text());
        return w != Word.NONE && w != Word.CALLING_CONVENTION;
    }

    private boolean isTypeStart(Token t) {
        if (!t.isIdentifier()) return t.is("[[");
        return switch (word(t.text())) {
            case TYPE, QUALIFIER, STORAGE, ATTRIBUTE, OTHER_SPECIFIER -> true;
            case CALLING_CONVENTION, TYPEDEF -> false;
            case NONE -> typedefs.containsKey(t.text());
        };
    }

    /**
     * The tokens up to (not including) the first of {@code stops} outside any brackets; bodies,
     * initializers, attribute arguments and constant expressions are all skipped or collected this way.
     */
    private List<Token> balancedUntil(String... stops) {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        while (true) {
            Token t = peek();
            if (depth == 0) {
                for (String s : stops) if (t.is(s)) return out;
            }
            if (t.kind() == Token.Kind.END) throw error(t.location(), "expected '" + stops[0] + "' at end of input");
            if (t.is("(") || t.is("{") || t.is("[")) depth++;
            else if (t.is(")") || t.is("}") || t.is("]")) depth--;
            out.add(next());
        }
    }

    /** Skips a {@code _Static_assert(…);} (it declares nothing) and says whether there was one. */
    private boolean skippedStaticAssert() {
        if (!peek().is("_Static_assert")) return false;
        balancedUntil(";");
        expect(";");
        return true;
    }

    private void skipBody() {
        expect("{");
        balancedUntil("}");
        expect("}");
    }

    private void skipParens() {
        expect("(");
        balancedUntil(")");
        expect(")");
    }

    private void seek(int position) {
        pos = position;
        token = tokens.get(position);
    }

    private Token peek() {
        return token;
    }

    private Token peekAt(int k) {
        return tokens.get(pos + k);
    }

    private Token next() {
        Token t = token;
        if (t.kind() != Token.Kind.END) seek(pos + 1);
        return t;
    }

    private boolean accept(String s) {
        if (token.is(s)) {
            seek(pos + 1);
            return true;
        }
        return false;
    }

    private Token expect(String s) {
        Token t = token;
        if (!t.is(s)) {
            throw error(t.location(), "expected '" + s + "'" + (t.kind() == Token.Kind.END ? " at end of input" : " before '" + t.text() + "'"));
        }
        seek(pos + 1);
        return t;
    }

    private static SyntaxException error(SourceLocation at, String message) {
        return new SyntaxException(at, message);
    }
}
