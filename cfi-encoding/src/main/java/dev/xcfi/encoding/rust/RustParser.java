package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.source.RecursionLimit;
import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.Adt;
import dev.xcfi.types.rust.AdtDef;
import dev.xcfi.types.rust.Alias;
import dev.xcfi.types.rust.NonZero;
import dev.xcfi.types.rust.ArrayType;
import dev.xcfi.types.rust.DefPath;
import dev.xcfi.types.rust.DynTrait;
import dev.xcfi.types.rust.ExistentialPredicate;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.Foreign;
import dev.xcfi.types.rust.GenericArg;
import dev.xcfi.types.rust.Param;
import dev.xcfi.types.rust.RawPointer;
import dev.xcfi.types.rust.Reference;
import dev.xcfi.types.rust.Region;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.types.rust.RustType;
import dev.xcfi.types.rust.Scalar;
import dev.xcfi.types.rust.Slice;
import dev.xcfi.types.rust.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the declarations of a Rust crate that CFI ids are made from: {@code use}, inline
 * {@code mod}, struct/enum/union (attributes and generics), {@code type} aliases,
 * {@code extern "ABI" { fn …; type …; }} and {@code fn} items (bodies skipped by brace matching).
 * Pass 1 parses syntax and registers items; pass 2 resolves names, so items may be used before
 * they are defined, as in Rust. Errors carry file:line:col; one bad item never stops the others.
 */
public final class RustParser {

    /** One module: its items by name and its imports. */
    private static final class Module {
        final Module parent;
        final List<String> path;
        final Map<String, Object> items = new HashMap<>();   // AdtDef | AliasItem | Foreign | Module
        final Map<String, List<String>> imports = new HashMap<>();
        final List<List<String>> globs = new ArrayList<>();

        Module(Module parent, List<String> path) {
            this.parent = parent;
            this.path = path;
        }
    }

    private record AliasItem(String name, TypeSyntax type, Module module, Token at) {}

    /**
     * A trait defined in the crate: what a {@code dyn} type can name.
     *
     * @param staticBound  declared with a {@code 'static} supertrait bound, which makes {@code 'static}
     *                     the default object lifetime of its dyn types
     */
    private record TraitItem(DefPath path, boolean staticBound) {}

    /** A struct definition's fields, resolved in pass 2. */
    private record PendingFields(AdtDef def, List<TypeSyntax> fields, Module module, List<AdtDef.GenericParam> generics) {}

    /** A signature to resolve in pass 2, in input order. */
    private record PendingSignature(String name, RustDeclaration.Kind kind, Token at, Abi abi, boolean unsafe,
                                    List<TypeSyntax> params, boolean variadic, TypeSyntax ret, Module module, TypeSyntax alias) {}

    private final Target target;
    private final String crate;
    private final List<SyntaxException> errors = new ArrayList<>();
    private final Module root;
    private final List<PendingFields> structs = new ArrayList<>();
    private final List<PendingSignature> signatures = new ArrayList<>();
    /** Struct and union fields of fn-pointer type, resolved as type aliases are. */
    private final List<PendingSignature> members = new ArrayList<>();
    private List<Token> tokens;
    private int pos;

    private RustParser(Target target, String crate) {
        this.target = target;
        this.crate = crate;
        this.root = new Module(null, List.of());
    }

    /** Parses {@code sources} as the crate {@code crateName} (its own ADTs are encoded under that name). */
    public static ParsedRust parse(Target target, String crateName, List<Source> sources) {
        RustParser p = new RustParser(target, crateName);
        for (Source s : sources) {
            try {
                p.tokens = RustLexer.tokenize(s.name(), s.text());
            } catch (SyntaxException e) {
                p.errors.add(e);
                continue;
            }
            p.pos = 0;
            p.items(p.root, false);
        }
        return p.resolveAll();
    }

    /** A Rust source text and the name errors should give it. */
    public record Source(String name, String text) {}

    // --- pass 1: items ---------------------------------------------------------------------------

    private void items(Module module, boolean untilBrace) {
        while (!(untilBrace ? peek().is("}") : peek().kind() == Token.Kind.END)) {
            if (peek().kind() == Token.Kind.END) throw error(peek(), "expected '}' to close the module");
            int start = pos;
            try {
                item(module);
            } catch (SyntaxException e) {
                errors.add(e);
                recover(start);
            }
        }
    }

    /**
     * Skips the broken item as a unit, from its first token: to its ';' or past its balanced braces,
     * never past the brace that closes the enclosing module or extern block. A ';' inside brackets
     * or parentheses is an array type's ({@code [u8; 4]}), not the item's end.
     */
    private void recover(int start) {
        pos = start;
        int depth = 0;   // braces, brackets and parentheses the item opened
        while (peek().kind() != Token.Kind.END) {
            Token t = peek();
            if (t.is("}") && depth == 0) break;   // the enclosing block's end: leave it to its owner
            next();
            if (t.is("{") || t.is("[") || t.is("(")) depth++;
            else if (t.is("}") || t.is("]") || t.is(")")) {
                if (depth > 0 && --depth == 0 && t.is("}")) return;
            } else if (t.is(";") && depth == 0) return;
        }
        if (pos == start) next();
    }

    /** {@code symbol}: the name {@code #[no_mangle]} ("") or {@code #[export_name = "…"]} gives the item's symbol, else null. */
    private record Attributes(boolean reprC, boolean reprTransparent, String cfiEncoding, String symbol) {}

    private void item(Module module) {
        Attributes attrs = outerAttributes();
        visibility();
        Token t = peek();
        switch (t.text()) {
            case "use" -> use(module);
            case "mod" -> mod(module);
            case "struct", "union", "enum" -> adt(module, attrs);
            case "type" -> typeAlias(module);
            case "extern" -> {
                if (peekAt(1).is("crate")) skipPast(";");
                else if (peekAt(1).kind() == Token.Kind.STRING && peekAt(2).is("{") || peekAt(1).is("{")) externBlock(module);
                else fnItem(module, attrs);
            }
            case "unsafe" -> {
                if (peekAt(1).is("extern") && (peekAt(3).is("{") || peekAt(2).is("{"))) {
                    next();
                    externBlock(module);
                } else if (peekAt(1).is("trait") || peekAt(1).is("auto")) {
                    next();
                    trait(module);
                } else if (peekAt(1).is("impl")) {
                    skipItem();
                } else {
                    fnItem(module, attrs);
                }
            }
            case "fn", "const", "async" -> {
                if (t.is("const") && !peekAt(1).is("fn") && !peekAt(1).is("unsafe") && !peekAt(1).is("extern")) skipItem();
                else fnItem(module, attrs);
            }
            case "trait", "auto" -> trait(module);
            case "impl" -> implBlock(module);
            case "static", "macro_rules" -> skipItem();
            case "#" -> throw error(t, "expected an item after the attribute");
            case ";" -> next();
            default -> {
                if (t.isIdentifier() && peekAt(1).is("!")) skipItem();   // a macro invocation
                else throw error(t, "expected an item (fn, struct, enum, union, type, use, mod, extern), found '" + t.text() + "'");
            }
        }
    }

    private Attributes outerAttributes() {
        boolean reprC = false, transparent = false;
        String cfi = null, symbol = null;
        while (peek().is("#")) {
            Token hash = next();
            boolean inner = accept("!");
            expect("[");
            List<Token> body = balancedUntil("]");
            expect("]");
            if (inner || body.isEmpty()) continue;
            String name = body.get(0).text();
            if (name.equals("repr")) {
                for (Token b : body) {
                    if (b.is("C")) reprC = true;
                    if (b.is("transparent")) transparent = true;
                }
            } else if (name.equals("cfi_encoding")) {
                Token lit = body.size() >= 3 && body.get(1).is("=") ? body.get(2) : null;
                if (lit == null || lit.kind() != Token.Kind.STRING) throw error(hash, "expected #[cfi_encoding = \"…\"]");
                cfi = lit.text().substring(1, lit.text().length() - 1).trim();
                if (cfi.isEmpty()) throw error(lit, "#[cfi_encoding] must not be empty");
            } else if (name.equals("no_mangle") || name.equals("unsafe") && body.size() > 2 && body.get(2).is("no_mangle")) {
                if (symbol == null) symbol = "";
            } else if (name.equals("export_name") && body.size() >= 3 && body.get(1).is("=") && body.get(2).kind() == Token.Kind.STRING) {
                symbol = body.get(2).text().substring(1, body.get(2).text().length() - 1);
            }
        }
        return new Attributes(reprC, transparent, cfi, symbol);
    }

    private void visibility() {
        // pub(crate), pub(super), pub(self), pub(in path) — but not a tuple field "pub ()".
        if (accept("pub") && peek().is("(") && (peekAt(1).is("crate") || peekAt(1).is("super") || peekAt(1).is("self") || peekAt(1).is("in"))) {
            next();
            balancedUntil(")");
            expect(")");
        }
    }

    private void use(Module module) {
        expect("use");
        useTree(module, new ArrayList<>());
        expect(";");
    }

    private void useTree(Module module, List<String> prefix) {
        accept("::");
        List<String> path = new ArrayList<>(prefix);
        while (true) {
            if (accept("*")) {
                module.globs.add(path);
                return;
            }
            if (peek().is("{")) {
                next();
                while (!accept("}")) {
                    useTree(module, path);
                    if (!accept(",")) {
                        expect("}");
                        break;
                    }
                }
                return;
            }
            Token seg = next();
            if (!seg.isIdentifier()) throw error(seg, "expected a path in 'use'");
            path.add(seg.text());
            if (!accept("::")) break;
        }
        String local = path.get(path.size() - 1);
        if (accept("as")) local = next().text();
        if (local.equals("self")) {
            path.remove(path.size() - 1);
            local = path.get(path.size() - 1);
        }
        module.imports.put(local, path);
    }

    private void mod(Module module) {
        expect("mod");
        Token name = next();
        if (accept(";")) throw error(name, "module '" + name.text() + "' is in another file: pass that file too, or inline it");
        List<String> path = new ArrayList<>(module.path);
        path.add(name.text());
        Module child = new Module(module, List.copyOf(path));
        module.items.put(name.text(), child);
        expect("{");
        items(child, true);
        expect("}");
    }

    private void adt(Module module, Attributes attrs) {
        Token kw = next();
        Token name = next();
        if (!name.isIdentifier()) throw error(name, "expected a name after '" + kw.text() + "'");
        List<AdtDef.GenericParam> generics = genericParams(module);
        whereClause();
        AdtDef.Kind kind = switch (kw.text()) {
            case "struct" -> AdtDef.Kind.STRUCT;
            case "union" -> AdtDef.Kind.UNION;
            default -> AdtDef.Kind.ENUM;
        };
        List<String> path = new ArrayList<>(module.path);
        path.add(name.text());
        AdtDef def = new AdtDef(kind, DefPath.of(crate, path.toArray(String[]::new)), attrs.reprC(), attrs.reprTransparent(),
                attrs.cfiEncoding(), generics);
        List<TypeSyntax> fields = new ArrayList<>();
        if (accept(";")) {
            // unit struct
        } else if (peek().is("(")) {
            next();
            while (!accept(")")) {
                outerAttributes();
                visibility();
                fields.add(type());
                if (!accept(",")) {
                    expect(")");
                    break;
                }
            }
            whereClause();
            expect(";");
        } else {
            expect("{");
            if (kind == AdtDef.Kind.ENUM) {
                balancedUntil("}");
            } else {
                while (!accept("}")) {
                    outerAttributes();
                    visibility();
                    Token field = next();
                    if (!field.isIdentifier()) throw error(field, "expected a field name");
                    expect(":");
                    TypeSyntax type = type();
                    fields.add(type);
                    TypeSyntax.Fn fn = fnPointer(type);
                    if (fn != null) {
                        members.add(new PendingSignature(name.text() + "." + field.text(), RustDeclaration.Kind.MEMBER, field, null, fn.unsafe(),
                                fn.params(), fn.variadic(), fn.ret(), module, fn));
                    }
                    if (!accept(",")) {
                        expect("}");
                        break;
                    }
                }
            }
            if (kind == AdtDef.Kind.ENUM) expect("}");
        }
        define(module, name, def);
        if (kind == AdtDef.Kind.STRUCT) structs.add(new PendingFields(def, fields, module, generics));
    }

    /** The fn type of a field that holds a function pointer ({@code fn…}, or {@code Option<fn…>} as bindgen writes one), or null. */
    private static TypeSyntax.Fn fnPointer(TypeSyntax type) {
        if (type instanceof TypeSyntax.Fn fn) return fn;
        if (type instanceof TypeSyntax.Path p && !p.segments().isEmpty() && p.segments().getLast().equals("Option")
                && p.args().size() == 1 && p.args().getFirst() instanceof TypeSyntax.GenericSyntax.Type t && t.type() instanceof TypeSyntax.Fn fn) {
            return fn;
        }
        return null;
    }

    private void trait(Module module) {
        accept("auto");
        expect("trait");
        Token name = next();
        if (!name.isIdentifier()) throw error(name, "expected a trait name");
        List<String> path = new ArrayList<>(module.path);
        path.add(name.text());
        boolean staticBound = false;
        for (int i = pos; i < tokens.size() && !tokens.get(i).is("{") && !tokens.get(i).is("where"); i++) {
            staticBound |= tokens.get(i).kind() == Token.Kind.LIFETIME && tokens.get(i).text().equals("'static");
        }
        define(module, name, new TraitItem(DefPath.of(crate, path.toArray(String[]::new)), staticBound));
        skipItem();   // generics, supertraits and body do not change how a dyn type of it is encoded
    }

    private void typeAlias(Module module) {
        expect("type");
        Token name = next();
        if (!peek().is("=") && !peek().is("<")) throw error(peek(), "expected '=' in type alias");
        if (peek().is("<")) throw error(peek(), "generic type aliases are not supported");
        expect("=");
        TypeSyntax t = type();
        expect(";");
        define(module, name, new AliasItem(name.text(), t, module, name));
        if (t instanceof TypeSyntax.Fn fn) {
            signatures.add(new PendingSignature(name.text(), RustDeclaration.Kind.FN_POINTER_TYPE, name, null, fn.unsafe(),
                    fn.params(), fn.variadic(), fn.ret(), module, t));
        }
    }

    private void externBlock(Module module) {
        expect("extern");
        Abi abi = peek().kind() == Token.Kind.STRING ? abi(next()) : Abi.C;
        expect("{");
        while (!accept("}")) {
            if (peek().kind() == Token.Kind.END) throw error(peek(), "expected '}' to close the extern block");
            int start = pos;
            try {
                Attributes attrs = outerAttributes();
                visibility();
                accept("safe");
                accept("unsafe");
                if (accept("type")) {
                    Token name = next();
                    expect(";");
                    List<String> path = new ArrayList<>(module.path);
                    path.add(name.text());
                    define(module, name, new Foreign(DefPath.of(crate, path.toArray(String[]::new)), attrs.cfiEncoding()));
                } else if (peek().is("static")) {
                    skipPast(";");
                } else {
                    expect("fn");
                    Token name = next();
                    if (peek().is("<")) throw error(peek(), "foreign functions cannot be generic");
                    Params params = params(true);
                    TypeSyntax ret = accept("->") ? type() : null;
                    expect(";");
                    signatures.add(new PendingSignature(name.text(), RustDeclaration.Kind.EXTERN_FN, name, abi, true,
                            params.types, params.variadic, ret, module, null));
                }
            } catch (SyntaxException e) {
                errors.add(e);
                recover(start);
            }
        }
    }

    private void fnItem(Module module, Attributes attrs) {
        accept("const");
        accept("async");
        boolean unsafe = accept("unsafe");
        Abi abi = Abi.RUST;
        if (accept("extern")) abi = peek().kind() == Token.Kind.STRING ? abi(next()) : Abi.C;
        expect("fn");
        Token name = next();
        if (!name.isIdentifier()) throw error(name, "expected a function name");
        boolean generic = false;
        if (peek().is("<")) {
            for (AdtDef.GenericParam g : genericParams(module)) generic |= g.kind() != AdtDef.GenericParam.LIFETIME;
        }
        Params params = params(false);
        TypeSyntax ret = accept("->") ? type() : null;
        whereClause();
        if (!accept(";")) {
            expect("{");
            balancedUntil("}");
            expect("}");
        }
        // A generic fn has no id of its own: each instantiation has one.
        if (!generic) {
            signatures.add(new PendingSignature(rowName(name, attrs), RustDeclaration.Kind.FN, name, abi, unsafe, params.types,
                    params.variadic, ret, module, null));
        }
    }

    /**
     * A fn's row: the symbol {@code #[export_name]} gives it (what C declares and calls it by),
     * else its name ({@code #[no_mangle]}'s symbol), in an impl block {@code Type::name} unless
     * {@code #[no_mangle]}.
     */
    private String rowName(Token name, Attributes attrs) {
        if (attrs.symbol() != null && !attrs.symbol().isEmpty()) return attrs.symbol();
        return implType == null || attrs.symbol() != null ? name.text() : implName + "::" + name.text();
    }

    /**
     * An inherent impl block ({@code impl Foo { fn get(&self) -> i32 }}): its functions are read
     * as free ones, with {@code Self} the block's type — rustc encodes them so
     * ({@code _ZTSFu3i32u3refI3FooEE}). A trait's impl, and a generic one (each instantiation has its
     * own ids), are passed over.
     */
    private void implBlock(Module module) {
        int start = pos;
        expect("impl");
        boolean generic = false;
        if (peek().is("<")) {
            for (AdtDef.GenericParam g : genericParams(module)) generic |= g.kind() != AdtDef.GenericParam.LIFETIME;
        }
        if (peek().is("!")) generic = true;   // impl !Send for T: a trait's
        TypeSyntax type = generic ? null : type();
        if (generic || peek().is("for") || !(type instanceof TypeSyntax.Path path) || !path.args().stream().allMatch(a -> a instanceof TypeSyntax.GenericSyntax.Lifetime)) {
            pos = start;
            skipItem();
            return;
        }
        whereClause();
        expect("{");
        implType = type;
        implName = path.segments().getLast();
        try {
            while (!accept("}")) {
                if (peek().kind() == Token.Kind.END) throw error(peek(), "expected '}' to close the impl block");
                int itemStart = pos;
                try {
                    Attributes attrs = outerAttributes();
                    visibility();
                    accept("default");
                    int k = 0;
                    while (peekAt(k).is("const") || peekAt(k).is("async") || peekAt(k).is("unsafe") || peekAt(k).is("extern")
                            || peekAt(k).kind() == Token.Kind.STRING) k++;
                    if (peekAt(k).is("fn")) fnItem(module, attrs);
                    else skipItem();   // associated consts and macros
                } catch (SyntaxException e) {
                    errors.add(e);
                    recover(itemStart);
                }
            }
        } finally {
            implType = null;
            implName = null;
        }
    }

    /** The type of the impl block being read ({@code Self}) and its name, or null outside one. */
    private TypeSyntax implType;
    private String implName;

    private record Params(List<TypeSyntax> types, boolean variadic) {}

    private Params params(boolean foreign) {
        expect("(");
        List<TypeSyntax> types = new ArrayList<>();
        boolean variadic = false;
        while (!accept(")")) {
            outerAttributes();
            // C's variadic tail: `...` in a foreign function, `args: ...` or `mut args: ...` in a
            // definition (c_variadic), encoded alike (rustc 1.95: _ZTSFu3i32S_zE)
            int named = peek().is("mut") ? 1 : 0;
            if (peek().is("...") || (peekAt(named).isIdentifier() && peekAt(named + 1).is(":") && peekAt(named + 2).is("..."))) {
                if (!peek().is("...")) for (int k = 0; k < named + 2; k++) next();
                next();
                variadic = true;
                accept(",");
                expect(")");
                break;
            }
            TypeSyntax receiver = receiver();
            if (receiver != null) {
                types.add(receiver);
            } else {
                balancedUntil(":");   // the pattern: x, mut x, _, (a, b)
                expect(":");
                types.add(type());
            }
            if (!accept(",")) {
                expect(")");
                break;
            }
        }
        return new Params(types, variadic);
    }

    /**
     * A method's {@code self} parameter as the type it is: {@code self} and {@code mut self} are
     * {@code Self}, {@code &self}, {@code &'a mut self} references to it, {@code self: T} is T; null
     * when the parameter is not a receiver.
     */
    private TypeSyntax receiver() {
        Token at = peek();
        int k = 0;
        boolean reference = peekAt(k).is("&");
        String lifetime = null;
        boolean mutable = false;
        if (reference) {
            k++;
            if (peekAt(k).kind() == Token.Kind.LIFETIME) lifetime = peekAt(k++).text();
        }
        if (peekAt(k).is("mut")) {
            mutable = true;
            k++;
        }
        if (!peekAt(k).is("self") || peekAt(k + 1).is("::")) return null;
        if (implType == null) throw error(at, "`self` parameter is only allowed in associated functions");
        pos += k + 1;
        if (!reference && accept(":")) return type();
        return reference ? new TypeSyntax.Ref(at, lifetime, mutable, implType) : implType;
    }

    private List<AdtDef.GenericParam> genericParams(Module module) {
        List<AdtDef.GenericParam> out = new ArrayList<>();
        if (!accept("<")) return out;
        while (!accept(">")) {
            outerAttributes();
            if (peek().kind() == Token.Kind.LIFETIME) {
                out.add(new AdtDef.GenericParam(next().text(), AdtDef.GenericParam.LIFETIME));
                if (accept(":")) boundsUntilCommaOrClose();
            } else if (accept("const")) {
                Token n = next();
                expect(":");
                TypeSyntax t = type();
                AdtDef.GenericParam param = new AdtDef.GenericParam(n.text(), AdtDef.GenericParam.CONST);
                constParamTypes.put(param, t);
                out.add(param);
                if (accept("=")) boundsUntilCommaOrClose();
            } else {
                Token n = next();
                if (accept(":")) boundsUntilCommaOrClose();
                if (accept("=")) type();   // a default: arguments are written in full where the ADT is used
                out.add(new AdtDef.GenericParam(n.text(), AdtDef.GenericParam.TYPE));
            }
            if (!accept(",")) {
                expect(">");
                break;
            }
        }
        return out;
    }

    /** The declared type of each const generic parameter, resolved when an argument for it is read. */
    private final Map<AdtDef.GenericParam, TypeSyntax> constParamTypes = new java.util.IdentityHashMap<>();

    private void boundsUntilCommaOrClose() {
        int depth = 0;
        while (true) {
            Token t = peek();
            if (depth == 0 && (t.is(",") || t.is(">"))) return;
            if (t.kind() == Token.Kind.END) throw error(t, "expected '>'");
            if (t.is("<") || t.is("(")) depth++;
            if (t.is(">") || t.is(")")) depth--;
            next();
        }
    }

    private void whereClause() {
        if (!accept("where")) return;
        while (!peek().is("{") && !peek().is(";") && peek().kind() != Token.Kind.END) {
            if (peek().is("<") || peek().is("(")) {
                String close = peek().is("<") ? ">" : ")";
                next();
                balancedUntilAngle(close);
            } else next();
        }
    }

    private void balancedUntilAngle(String close) {
        int depth = 1;
        while (depth > 0) {
            Token t = next();
            if (t.kind() == Token.Kind.END) throw error(t, "expected '" + close + "'");
            if (t.is("<") || t.is("(")) depth++;
            if (t.is(">") || t.is(")")) depth--;
        }
    }

    private Abi abi(Token literal) {
        String s = literal.text().substring(1, literal.text().length() - 1);
        try {
            return Abi.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(literal, e.getMessage());
        }
    }

    private void define(Module module, Token name, Object item) {
        if (module.items.putIfAbsent(name.text(), item) != null) throw error(name, "'" + name.text() + "' is defined twice in this module");
    }

    // --- types (syntax) -------------------------------------------------------------------------

    /** Far deeper than real code nests types; the limit turns "((((…" into an error, not a stack overflow. */
    private final RecursionLimit typeNesting = new RecursionLimit(200);

    private TypeSyntax type() {
        if (!typeNesting.enter()) throw error(peek(), "type nested more than " + typeNesting.max() + " levels deep");
        try {
            return unnestedType();
        } finally {
            typeNesting.exit();
        }
    }

    private TypeSyntax unnestedType() {
        Token t = peek();
        if (accept("&")) {
            String lt = peek().kind() == Token.Kind.LIFETIME ? next().text() : null;
            boolean mut = accept("mut");
            return new TypeSyntax.Ref(t, lt, mut, type());
        }
        if (accept("*")) {
            boolean mut;
            if (accept("mut")) mut = true;
            else if (accept("const")) mut = false;
            else throw error(peek(), "expected 'const' or 'mut' after '*'");
            return new TypeSyntax.Ptr(t, mut, type());
        }
        if (accept("[")) {
            TypeSyntax e = type();
            if (accept(";")) {
                List<Token> len = balancedUntil("]");
                expect("]");
                return new TypeSyntax.Array(t, e, len);
            }
            expect("]");
            return new TypeSyntax.Slice(t, e);
        }
        if (accept("(")) {
            List<TypeSyntax> elems = new ArrayList<>();
            boolean comma = false;
            while (!accept(")")) {
                elems.add(type());
                if (!accept(",")) {
                    expect(")");
                    break;
                }
                comma = true;
            }
            return elems.size() == 1 && !comma ? elems.get(0) : new TypeSyntax.Tuple(t, elems);
        }
        if (accept("!")) return new TypeSyntax.Never(t);
        if (t.is("for") || t.is("fn") || t.is("unsafe") || t.is("extern")) return fnType();
        if (accept("dyn")) return dynType(t);
        if (t.is("impl")) throw error(t, "'impl Trait' is not a type a signature id can have");
        if (t.is("_")) throw error(t, "the placeholder type '_' is not allowed here");
        return pathType();
    }

    /** {@code dyn A<..> + B + 'a}; bounds may be parenthesized, {@code ?Sized} is ignored. */
    private TypeSyntax dynType(Token at) {
        List<TypeSyntax.TraitBound> bounds = new ArrayList<>();
        String lifetime = null;
        do {
            if (peek().kind() == Token.Kind.LIFETIME) {
                lifetime = next().text();
                continue;
            }
            if (accept("?")) {
                next();
                continue;
            }
            boolean paren = accept("(");
            bounds.add(traitBound());
            if (paren) expect(")");
        } while (accept("+"));
        return new TypeSyntax.Dyn(at, bounds, lifetime);
    }

    private TypeSyntax.TraitBound traitBound() {
        Token at = peek();
        List<String> segs = new ArrayList<>();
        accept("::");
        List<TypeSyntax.GenericSyntax> args = List.of();
        List<TypeSyntax> fnParams = null;
        TypeSyntax fnReturn = null;
        while (true) {
            Token s = next();
            if (!s.isIdentifier()) throw error(s, "expected a trait, found '" + s.text() + "'");
            segs.add(s.text());
            if (peek().is("<")) args = genericArgs();
            else if (peek().is("(")) {   // Fn(A, B) -> R
                next();
                fnParams = new ArrayList<>();
                while (!accept(")")) {
                    fnParams.add(type());
                    if (!accept(",")) {
                        expect(")");
                        break;
                    }
                }
                if (accept("->")) fnReturn = type();
            }
            if (!(peek().is("::") && peekAt(1).isIdentifier())) break;
            next();
        }
        return new TypeSyntax.TraitBound(at, segs, args, fnParams, fnReturn);
    }

    private TypeSyntax fnType() {
        Token at = peek();
        List<String> lifetimes = new ArrayList<>();
        if (accept("for")) {
            expect("<");
            while (!accept(">")) {
                lifetimes.add(next().text());
                accept(",");
            }
        }
        boolean unsafe = accept("unsafe");
        String abi = "Rust";
        if (accept("extern")) abi = peek().kind() == Token.Kind.STRING ? next().text().replace("\"", "") : "C";
        expect("fn");
        expect("(");
        List<TypeSyntax> params = new ArrayList<>();
        boolean variadic = false;
        while (!accept(")")) {
            if (accept("...")) {
                variadic = true;
                accept(",");
                expect(")");
                break;
            }
            if ((peek().isIdentifier() || peek().is("_")) && peekAt(1).is(":") && !peekAt(2).is(":")) {
                next();
                next();
                if (accept("...")) {
                    variadic = true;
                    accept(",");
                    expect(")");
                    break;
                }
            }
            params.add(type());
            if (!accept(",")) {
                expect(")");
                break;
            }
        }
        TypeSyntax ret = accept("->") ? type() : null;
        return new TypeSyntax.Fn(at, abi, unsafe, lifetimes, params, variadic, ret);
    }

    private TypeSyntax pathType() {
        Token at = peek();
        List<String> segs = new ArrayList<>();
        List<TypeSyntax.GenericSyntax> args = List.of();
        accept("::");
        while (true) {
            Token s = next();
            if (!s.isIdentifier()) throw error(s, "expected a type, found '" + s.text() + "'");
            segs.add(s.text());
            if (peek().is("<") || (peek().is("::") && peekAt(1).is("<"))) {
                accept("::");
                args = genericArgs();
            }
            if (!(peek().is("::") && peekAt(1).isIdentifier())) break;
            next();
        }
        if (implType != null && segs.size() == 1 && segs.getFirst().equals("Self") && args.isEmpty()) return implType;
        return new TypeSyntax.Path(at, segs, args);
    }

    private List<TypeSyntax.GenericSyntax> genericArgs() {
        expect("<");
        List<TypeSyntax.GenericSyntax> out = new ArrayList<>();
        while (!accept(">")) {
            Token t = peek();
            if (t.kind() == Token.Kind.LIFETIME) {
                next();
                out.add(new TypeSyntax.GenericSyntax.Lifetime(t, t.text()));
            } else if (t.kind() == Token.Kind.NUMBER || t.is("-") || t.is("true") || t.is("false") || t.is("{")) {
                List<Token> c = new ArrayList<>();
                if (accept("{")) {
                    c.addAll(balancedUntil("}"));
                    expect("}");
                } else {
                    if (t.is("-")) c.add(next());
                    c.add(next());
                }
                out.add(new TypeSyntax.GenericSyntax.Const(t, c));
            } else if (t.isIdentifier() && peekAt(1).is("=")) {
                next();
                next();
                out.add(new TypeSyntax.GenericSyntax.Binding(t, t.text(), type()));
            } else {
                out.add(new TypeSyntax.GenericSyntax.Type(type()));
            }
            if (!accept(",")) {
                expect(">");
                break;
            }
        }
        return out;
    }

    // --- pass 2: resolution --------------------------------------------------------------------

    /** Lifetimes in scope: bound by the nested fn pointer binders being resolved (innermost last). */
    private final Deque<Binder> binders = new ArrayDeque<>();

    /**
     * A binder of late-bound regions: a nested fn pointer, the {@code Fn(…)} sugar, or a dyn
     * predicate. The first two take the elided lifetimes written inside them; a plain dyn predicate
     * takes none (an elided lifetime there belongs to the binder outside, seen one level deeper).
     */
    private static final class Binder {
        final Map<String, Integer> named = new LinkedHashMap<>();
        final boolean takesElided;
        int anonymous;
        Integer elidedOutput;

        Binder(boolean takesElided) {
            this.takesElided = takesElided;
        }

        int fresh() {
            return named.size() + anonymous++;
        }
    }

    private ParsedRust resolveAll() {
        for (PendingFields s : structs) {
            try {
                List<RustType> fields = new ArrayList<>();
                for (TypeSyntax f : s.fields()) fields.add(resolve(f, s.module(), s.generics()));
                s.def().withFields(fields);
            } catch (SyntaxException e) {
                errors.add(e);
                s.def().withFields(List.of());
            }
        }
        List<RustDeclaration> out = resolveSignatures(signatures);
        List<RustDeclaration> fields = resolveSignatures(members);
        errors.sort(java.util.Comparator.comparing((SyntaxException e) -> e.location().file()).thenComparingInt(e -> e.location().line())
                .thenComparingInt(e -> e.location().column()));
        return new ParsedRust(out, fields, errors);
    }

    private List<RustDeclaration> resolveSignatures(List<PendingSignature> pending) {
        List<RustDeclaration> out = new ArrayList<>();
        for (PendingSignature p : pending) {
            try {
                FnSig sig;
                if (p.alias() != null) {
                    TypeSyntax.Fn fn = (TypeSyntax.Fn) p.alias();
                    sig = topLevelSig(fn.params(), fn.variadic(), fn.ret(), Abi.parse(fn.abi()), fn.unsafe(), p.module());
                } else {
                    sig = topLevelSig(p.params(), p.variadic(), p.ret(), p.abi(), p.unsafe(), p.module());
                }
                out.add(new RustDeclaration(p.name(), p.kind(), sig, p.at().location()));
            } catch (SyntaxException e) {
                errors.add(e);
            } catch (IllegalArgumentException e) {
                errors.add(error(p.at(), e.getMessage()));
            }
        }
        return out;
    }

    /** The signature being identified: every region in it is erased. */
    private FnSig topLevelSig(List<TypeSyntax> params, boolean variadic, TypeSyntax ret, Abi abi, boolean unsafe, Module module) {
        List<RustType> in = new ArrayList<>();
        for (TypeSyntax p : params) in.add(sized(resolve(p, module, List.of()), p));
        RustType out = ret == null ? RustType.UNIT : sized(resolve(ret, module, List.of()), ret);
        return new FnSig(in, out, variadic, abi, unsafe, 0);
    }

    /** Parameters and return values must be sized, as rustc requires: dyn types, str and slices only behind pointers. */
    private RustType sized(RustType t, TypeSyntax written) {
        RustType r = t.resolved();
        if (r instanceof DynTrait || r instanceof Slice || r == Scalar.STR) {
            throw error(written.at(), "the size of '" + RustTypePrinter.print(t) + "' cannot be known: pass it behind a reference or pointer");
        }
        return t;
    }

    private RustType resolve(TypeSyntax t, Module module, List<AdtDef.GenericParam> generics) {
        return switch (t) {
            case TypeSyntax.Ref r -> {
                Region region = region(r.lifetime(), r.at());
                // Inside a reference, a dyn type's default object lifetime is the reference's, also
                // through raw pointers, slices and arrays in between (&'a *const dyn T is dyn T + 'a).
                Region outer = objectLifetime;
                objectLifetime = region;
                try {
                    yield new Reference(resolve(r.pointee(), module, generics), r.mutable(), region);
                } finally {
                    objectLifetime = outer;
                }
            }
            case TypeSyntax.Dyn d -> dyn(d, module, generics, d.lifetime() == null ? objectLifetime : region(d.lifetime(), d.at()));
            case TypeSyntax.Ptr p -> new RawPointer(resolve(p.pointee(), module, generics), p.mutable());
            case TypeSyntax.Array a -> new ArrayType(resolve(a.element(), module, generics), arrayLength(a, generics));
            case TypeSyntax.Slice s -> new Slice(resolve(s.element(), module, generics));
            case TypeSyntax.Tuple tu -> new Tuple(tu.elements().stream().map(e -> resolve(e, module, generics)).toList());
            case TypeSyntax.Never n -> Scalar.NEVER;
            case TypeSyntax.Fn f -> nestedFn(f, module, generics);
            case TypeSyntax.Path p -> freshObjectLifetime(() -> path(p, module, generics));
        };
    }

    /** The default object lifetime for a dyn type with none written: erased ('static) unless inside a reference. */
    private Region objectLifetime = Region.ERASED;

    /** Generic arguments start a new context: their dyn types default to 'static. */
    private RustType freshObjectLifetime(Supplier<RustType> body) {
        Region outer = objectLifetime;
        objectLifetime = Region.ERASED;
        try {
            return body.get();
        } finally {
            objectLifetime = outer;
        }
    }

    /** A fn pointer inside a signature: its elided and {@code for<'a>} lifetimes are bound by its own binder. */
    private RustType nestedFn(TypeSyntax.Fn f, Module module, List<AdtDef.GenericParam> generics) {
        Binder b = new Binder(true);
        for (String lt : f.forLifetimes()) b.named.put(lt, b.named.size());
        binders.push(b);
        boolean wasOutput = inOutput;
        inOutput = false;   // the inputs of a nested signature are inputs, whatever encloses it
        // The default object lifetime carries into the fn pointer (&'a fn(*const dyn T) gives dyn T 'a),
        // seen from one binder deeper.
        Region outerObject = objectLifetime;
        if (!objectLifetime.isErased()) objectLifetime = Region.bound(objectLifetime.debruijn() + 1, objectLifetime.index());
        try {
            List<RustType> in = new ArrayList<>();
            for (TypeSyntax p : f.params()) in.add(resolve(p, module, generics));
            b.elidedOutput = b.anonymous + b.named.size() == 1 ? 0 : null;
            RustType out = f.ret() == null ? RustType.UNIT : withOutputElision(() -> resolve(f.ret(), module, generics));
            Abi abi;
            try {
                abi = Abi.parse(f.abi());
            } catch (IllegalArgumentException e) {
                throw error(f.at(), e.getMessage());
            }
            return new FnPointer(new FnSig(in, out, f.variadic(), abi, f.unsafe(), b.named.size() + b.anonymous));
        } finally {
            binders.pop();
            inOutput = wasOutput;
            objectLifetime = outerObject;
        }
    }

    private boolean inOutput;

    private RustType withOutputElision(Supplier<RustType> body) {
        boolean was = inOutput;
        inOutput = true;
        try {
            return body.get();
        } finally {
            inOutput = was;
        }
    }

    private Region region(String lifetime, Token at) {
        if (binders.isEmpty()) return Region.ERASED;   // free regions are erased in the identified signature
        int depth = 0;
        for (Binder b : binders) {   // innermost first
            if (lifetime != null && b.named.containsKey(lifetime)) return Region.bound(depth, b.named.get(lifetime));
            depth++;
        }
        if (lifetime != null && !lifetime.equals("'_")) return Region.ERASED;   // 'static or an item lifetime: free
        depth = 0;
        for (Binder b : binders) {   // the innermost binder that takes elided lifetimes
            if (b.takesElided) {
                if (inOutput) {
                    if (b.elidedOutput == null) throw error(at, "missing lifetime specifier in the return type of a fn pointer");
                    return Region.bound(depth, b.elidedOutput);
                }
                return Region.bound(depth, b.fresh());
            }
            depth++;
        }
        return Region.ERASED;   // elided in the identified signature itself: erased
    }

    /**
     * A dyn type's predicates in rustc's order: the principal trait, its projections ({@code Assoc = T},
     * and {@code FnOnce::Output} for the Fn sugar), then the auto traits in rustc's stable order.
     */
    private DynTrait dyn(TypeSyntax.Dyn d, Module module, List<AdtDef.GenericParam> generics, Region region) {
        ExistentialPredicate.Trait principal = null;
        boolean staticDefault = false;
        List<ExistentialPredicate> projections = new ArrayList<>();
        List<DefPath> autos = new ArrayList<>();
        for (TypeSyntax.TraitBound b : d.bounds()) {
            DefPath trait = traitPath(b, module);
            staticDefault |= staticTraits.contains(trait) || trait.equals(RustStd.ANY);
            if (RustStd.isAutoTrait(trait)) {
                if (!b.args().isEmpty() || b.fnParams() != null) throw error(b.at(), "auto traits take no arguments");
                if (!autos.contains(trait)) autos.add(trait);
                continue;
            }
            if (principal != null) throw error(b.at(), "only auto traits can be added to a dyn type with a principal trait");
            List<GenericArg> args = new ArrayList<>();
            if (b.fnParams() != null) {
                // Fn(&T) -> R is for<'a> Fn<(&'a T,)>: the sugar binds its elided lifetimes itself.
                Binder binder = new Binder(true);
                binders.push(binder);
                boolean wasOutput = inOutput;
                inOutput = false;
                try {
                    Tuple inputs = new Tuple(b.fnParams().stream().map(t -> freshObjectLifetime(() -> resolve(t, module, generics))).toList());
                    args.add(new GenericArg.Type(inputs));
                    binder.elidedOutput = binder.anonymous == 1 ? 0 : null;
                    RustType out = b.fnReturn() == null ? RustType.UNIT
                            : withOutputElision(() -> freshObjectLifetime(() -> resolve(b.fnReturn(), module, generics)));
                    projections.add(new ExistentialPredicate.Projection(RustStd.FN_ONCE_OUTPUT, List.of(new GenericArg.Type(inputs)), out));
                } finally {
                    binders.pop();
                    inOutput = wasOutput;
                }
            } else {
                // Each predicate has a binder of its own, with no variables of its own here.
                binders.push(new Binder(false));
                try {
                for (TypeSyntax.GenericSyntax g : b.args()) {
                    switch (g) {
                        case TypeSyntax.GenericSyntax.Type t -> args.add(new GenericArg.Type(freshObjectLifetime(() -> resolve(t.type(), module, generics))));
                        case TypeSyntax.GenericSyntax.Lifetime l -> args.add(new GenericArg.Lifetime(region(l.name(), l.at())));
                        case TypeSyntax.GenericSyntax.Const c -> throw error(c.at(), "const arguments of traits are not supported");
                        case TypeSyntax.GenericSyntax.Binding bind -> { }
                    }
                }
                for (TypeSyntax.GenericSyntax g : b.args()) {
                    if (g instanceof TypeSyntax.GenericSyntax.Binding bind) {
                        List<DefPath.Segment> segs = new ArrayList<>(trait.segments());
                        segs.add(DefPath.Segment.type(bind.name()));
                        projections.add(new ExistentialPredicate.Projection(new DefPath(trait.crate(), segs), args,
                                freshObjectLifetime(() -> resolve(bind.type(), module, generics))));
                    }
                }
                } finally {
                    binders.pop();
                }
            }
            principal = new ExistentialPredicate.Trait(trait, args);
        }
        autos.sort(java.util.Comparator.comparingInt(RustStd.AUTO_TRAIT_ORDER::indexOf));
        List<ExistentialPredicate> predicates = new ArrayList<>();
        if (principal != null) predicates.add(principal);
        predicates.addAll(projections);
        for (DefPath a : autos) predicates.add(new ExistentialPredicate.AutoTrait(a));
        if (predicates.isEmpty()) throw error(d.at(), "at least one trait is required for a dyn type");
        // A trait bounded by 'static makes 'static the default object lifetime (dyn Any behind &'a is 'static).
        if (staticDefault && d.lifetime() == null) region = Region.ERASED;
        return new DynTrait(predicates, region);
    }

    /** A trait named in a bound: the crate's own (also through imports), or a std trait. */
    private DefPath traitPath(TypeSyntax.TraitBound b, Module module) {
        List<String> segs = b.segments();
        String last = segs.get(segs.size() - 1);
        String root = segs.get(0);
        boolean std = root.equals("std") || root.equals("core") || root.equals("alloc");
        if (!std) {
            Object found;
            try {
                found = lookup(segs, module, b.at());
            } catch (SyntaxException e) {
                found = null;
            }
            if (found instanceof TraitItem t) {
                if (t.staticBound()) staticTraits.add(t.path());
                return t.path();
            }
            if (found instanceof DefPath p) return p;
        }
        DefPath known = RustStd.TRAITS.get(last);
        if (known != null) return known;
        throw error(b.at(), "cannot find trait '" + String.join("::", segs) + "'");
    }

    private long arrayLength(TypeSyntax.Array a, List<AdtDef.GenericParam> generics) {
        if (a.length().size() == 1 && a.length().get(0).isIdentifier()) {
            for (int i = 0; i < generics.size(); i++) {
                if (generics.get(i).name().equals(a.length().get(0).text()) && generics.get(i).kind() == AdtDef.GenericParam.CONST) {
                    return ArrayType.lengthOfParam(i);
                }
            }
        }
        if (a.length().size() == 1 && a.length().get(0).kind() == Token.Kind.NUMBER) {
            String n = a.length().get(0).text().replace("_", "").replaceAll("(usize|u\\d+|i\\d+)$", "");
            try {
                return n.startsWith("0x") ? Long.parseLong(n.substring(2), 16) : Long.parseLong(n);
            } catch (NumberFormatException e) {
                throw error(a.length().get(0), "invalid array length");
            }
        }
        throw error(a.at(), "array lengths must be integer literals");
    }

    private RustType path(TypeSyntax.Path p, Module module, List<AdtDef.GenericParam> generics) {
        List<String> segs = p.segments();
        if (segs.size() == 1) {
            String n = segs.get(0);
            for (int i = 0; i < generics.size(); i++) {
                if (generics.get(i).name().equals(n) && generics.get(i).kind() == AdtDef.GenericParam.TYPE) return new Param(i, n);
            }
            Scalar s = Scalar.ofSpelling(n);
            if (s != null && s != Scalar.NEVER && p.args().isEmpty()) return s;
        }
        Object item = lookup(segs, module, p.at());
        if (item == NON_ZERO) return nonZero(p, module, generics);
        return switch (item) {
            case AdtDef def -> new Adt(def, genericArgs(def, p, module, generics));
            case Alias a -> a;
            case Foreign f -> f;
            case AliasItem a -> new Alias(String.join("::", segs), resolve(a.type(), a.module(), List.of()));
            case Module m -> throw error(p.at(), "'" + String.join("::", segs) + "' is a module, not a type");
            default -> throw error(p.at(), "cannot find type '" + String.join("::", segs) + "'");
        };
    }

    /** std types a signature may name that xcfi does not model: they get a clearer message than "cannot find". */
    private static final java.util.Set<String> STD_PRELUDE = java.util.Set.of("Vec", "String", "Rc", "Arc", "HashMap",
            "Result", "Cell", "RefCell", "Pin", "CStr", "CString", "OsStr", "Path");

    /** What {@code core::num::NonZero} names: its argument decides the type. */
    private static final Object NON_ZERO = new Object();

    /** {@code NonZero<T>}: T must be a primitive integer (rustc's ZeroablePrimitive), written or through an alias. */
    private RustType nonZero(TypeSyntax.Path p, Module module, List<AdtDef.GenericParam> generics) {
        if (p.args().size() == 1 && p.args().getFirst() instanceof TypeSyntax.GenericSyntax.Type ty
                && resolve(ty.type(), module, generics).resolved() instanceof Scalar s && s.isInteger()) {
            return new NonZero(s);
        }
        throw error(p.at(), "NonZero takes one primitive integer type: NonZero<u32>");
    }

    private List<GenericArg> genericArgs(AdtDef def, TypeSyntax.Path p, Module module, List<AdtDef.GenericParam> generics) {
        List<GenericArg> out = new ArrayList<>();
        List<TypeSyntax.GenericSyntax> written = p.args();
        int w = 0;
        for (AdtDef.GenericParam param : def.generics()) {
            switch (param.kind()) {
                case AdtDef.GenericParam.LIFETIME -> {
                    String name = w < written.size() && written.get(w) instanceof TypeSyntax.GenericSyntax.Lifetime l ? l.name() : null;
                    if (name != null) w++;
                    out.add(new GenericArg.Lifetime(region(name, p.at())));
                }
                case AdtDef.GenericParam.CONST -> {
                    if (w >= written.size() || !(written.get(w) instanceof TypeSyntax.GenericSyntax.Const c)) {
                        throw error(p.at(), "expected a const argument for '" + param.name() + "' of " + def.path().name());
                    }
                    w++;
                    StringBuilder v = new StringBuilder();
                    for (Token t : c.tokens()) v.append(t.text());
                    TypeSyntax ct = constParamTypes.get(param);
                    RustType type = ct == null ? Scalar.USIZE : resolve(ct, module, List.of());
                    out.add(new GenericArg.Const(type, v.toString().replaceAll("(usize|isize|u\\d+|i\\d+)$", "")));
                }
                default -> {
                    if (w < written.size() && written.get(w) instanceof TypeSyntax.GenericSyntax.Type ty) {
                        w++;
                        out.add(new GenericArg.Type(resolve(ty.type(), module, generics)));
                    } else if (def == RustStd.BOX && param.name().equals("A")) {
                        out.add(new GenericArg.Type(new Adt(RustStd.GLOBAL, List.of())));   // the default allocator
                    } else {
                        throw error(p.at(), "missing generic argument '" + param.name() + "' of " + def.path().name());
                    }
                }
            }
        }
        if (w < written.size()) throw error(p.at(), def.path().name() + " takes " + def.generics().size() + " generic arguments");
        return out;
    }

    /** No real crate chains imports this far; a longer chain is an import cycle such as {@code use a as b; use b as a;}. */
    private final RecursionLimit importChain = new RecursionLimit(64);

    /** Resolves a path to an item: local items, imports, globs, crate/self/super, then std/core/libc. */
    private Object lookup(List<String> segs, Module module, Token at) {
        if (!importChain.enter()) throw error(at, "cyclic imports while resolving '" + String.join("::", segs) + "'");
        try {
            return lookupChained(segs, module, at);
        } finally {
            importChain.exit();
        }
    }

    private Object lookupChained(List<String> segs, Module module, Token at) {
        String first = segs.get(0);
        Object start;
        int i = 1;
        switch (first) {
            case "crate" -> start = root;
            case "self" -> start = module;
            case "super" -> start = module.parent != null ? module.parent : root;
            default -> {
                start = null;
                i = 0;
            }
        }
        if (start == null) {
            Object local = findInScope(first, module);
            if (local == null) return external(segs, at);
            if (local instanceof List<?> imported) {
                @SuppressWarnings("unchecked")
                List<String> full = new ArrayList<>((List<String>) imported);
                full.addAll(segs.subList(1, segs.size()));
                return lookup(full, module, at);
            }
            start = local;
            i = 1;
        }
        Object cur = start;
        for (; i < segs.size(); i++) {
            if (!(cur instanceof Module m)) throw error(at, "cannot find '" + String.join("::", segs) + "'");
            Object next = m.items.get(segs.get(i));
            if (next == null && m.imports.containsKey(segs.get(i))) next = lookup(m.imports.get(segs.get(i)), m, at);
            if (next == null) throw error(at, "cannot find '" + segs.get(i) + "' in '" + String.join("::", segs.subList(0, i)) + "'");
            cur = next;
        }
        return cur;
    }

    private boolean inGlob;
    private final java.util.Set<DefPath> staticTraits = new java.util.HashSet<>();

    /** A name visible in {@code module}: an item, an import (as its path), or through a glob import. */
    private Object findInScope(String name, Module module) {
        Object item = module.items.get(name);
        if (item != null) return item;
        List<String> imported = module.imports.get(name);
        if (imported != null) return imported;
        if (!inGlob) {   // a glob's own path is resolved without consulting globs again
            inGlob = true;
            try {
                for (List<String> glob : module.globs) {
                    List<String> candidate = new ArrayList<>(glob);
                    candidate.add(name);
                    try {
                        if (lookup(candidate, module, null) != null) return candidate;
                    } catch (SyntaxException e) {
                        // not in this glob
                    }
                }
            } finally {
                inGlob = false;
            }
        }
        if (name.equals("Option")) return RustStd.OPTION;   // the prelude
        if (name.equals("Box")) return RustStd.BOX;         // std's prelude (alloc::boxed::Box in no_std)
        return null;
    }

    /** Paths into std, core, alloc and libc: the C aliases, c_void and the std ADTs xcfi models. */
    private Object external(List<String> segs, Token at) {
        String root = segs.get(0);
        String last = segs.get(segs.size() - 1);
        boolean std = root.equals("std") || root.equals("core") || root.equals("alloc") || root.equals("libc");
        if (!std && segs.size() == 1 && STD_PRELUDE.contains(root)) {
            throw error(at, "'" + root + "' is not a type xcfi knows yet (it knows the std::ffi C aliases, c_void, Option, NonNull, NonZero, "
                    + "PhantomData, ManuallyDrop, MaybeUninit, and the crate's own types)");
        }
        if (!std) throw error(at, "cannot find type '" + String.join("::", segs) + "'");
        Alias c = RustStd.cAlias(last, target);
        if (c != null) return c;
        // core::num::NonZeroU32 and the like; NonZero<T> takes its integer from the arguments (path())
        if (last.equals("NonZero") && (root.equals("core") || root.equals("std"))) return NON_ZERO;
        Scalar nonZero = last.startsWith("NonZero") && !root.equals("libc") ? Scalar.ofSpelling(last.substring(7).toLowerCase(java.util.Locale.ROOT)) : null;
        if (nonZero != null && nonZero.isInteger()) return new Alias(last, new NonZero(nonZero));
        AdtDef adt = RustStd.ADTS.get(last);
        if (adt != null && !root.equals("libc")) return adt;
        DefPath trait = RustStd.TRAITS.get(last);
        if (trait != null && !root.equals("libc")) return trait;
        throw error(at, "'" + String.join("::", segs) + "' is not a type xcfi knows (std::ffi C aliases, c_void, Option, NonNull, "
                + "PhantomData, ManuallyDrop, MaybeUninit, NonZero)");
    }

    // --- token helpers -----------------------------------------------------------------------------

    private List<Token> balancedUntil(String stop) {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        while (true) {
            Token t = peek();
            if (depth == 0 && t.is(stop)) return out;
            if (t.kind() == Token.Kind.END) throw error(t, "expected '" + stop + "' at end of input");
            if (t.is("(") || t.is("[") || t.is("{")) depth++;
            else if (t.is(")") || t.is("]") || t.is("}")) depth--;
            out.add(next());
        }
    }

    private void skipPast(String stop) {
        balancedUntil(stop);
        expect(stop);
    }

    /** Skips an item we do not read (impl, trait, static, const, macro): to its ';' or its closing brace. */
    private void skipItem() {
        int depth = 0;
        while (peek().kind() != Token.Kind.END) {
            Token t = next();
            if (t.is("{") || t.is("(") || t.is("[")) depth++;
            else if (t.is("}") || t.is(")") || t.is("]")) {
                depth--;
                if (depth == 0 && t.is("}") && !peek().is(";")) return;
            } else if (t.is(";") && depth == 0) return;
        }
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int k) {
        return tokens.get(Math.min(pos + k, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.END) pos++;
        return t;
    }

    private boolean accept(String s) {
        Token t = peek();
        if (t.is(s) && (t.kind() == Token.Kind.PUNCTUATOR || t.kind() == Token.Kind.IDENTIFIER)) {
            pos++;
            return true;
        }
        return false;
    }

    private Token expect(String s) {
        Token t = peek();
        if (!accept(s)) throw error(t, "expected '" + s + "'" + (t.kind() == Token.Kind.END ? " at end of input" : ", found '" + t.text() + "'"));
        return t;
    }

    private static SyntaxException error(Token at, String message) {
        SourceLocation l = at == null ? new SourceLocation("<rust>", 1, 1) : at.location();
        return new SyntaxException(l, message);
    }
}
