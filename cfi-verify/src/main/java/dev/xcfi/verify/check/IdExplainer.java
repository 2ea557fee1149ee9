package dev.xcfi.verify.check;

import dev.xcfi.encoding.CTypePrinter;
import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.Compiler;
import dev.xcfi.encoding.RustIdDecoder;
import dev.xcfi.encoding.RustcEncoder;
import dev.xcfi.encoding.TypeIdDecoder;
import dev.xcfi.types.ArrayType;
import dev.xcfi.types.AtomicType;
import dev.xcfi.types.BitIntType;
import dev.xcfi.types.BlockPointerType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.CType;
import dev.xcfi.types.ComplexType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.TagType;
import dev.xcfi.types.TypedefType;
import dev.xcfi.types.VectorType;
import dev.xcfi.types.Target;
import dev.xcfi.encoding.rust.RustTypePrinter;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.RustType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns ids into words: both language views, the first parameter that differs, and the id a callback parameter expects. */
final class IdExplainer {
    private final Target target;
    // The rules ask about the same ids again and again (a callee's, for each callback it takes; a
    // common id, in each finding it is in): each is decoded once per compiler that wrote it (one
    // string can mean two types: Compiler). C views are kept with the exception an undecodable id
    // gave, to give it again.
    private final Map<String, CView> cViews = new HashMap<>();

    /** An id decoded as C, or why it does not decode. */
    private record CView(TypeIdDecoder.Decoded decoded, IllegalArgumentException error) {}
    private final Map<String, String> explanations = new HashMap<>();
    private final Map<String, Optional<String>> shapes = new HashMap<>();

    // One encoder each, made on first use: making one works out the target's codes (most of the
    // cost of encoding one id cold), and the rules re-encode hundreds of ids in a large program.
    private ClangEncoder clang;
    private RustcEncoder rustc;

    IdExplainer(Target target) {
        this.target = target;
    }

    private ClangEncoder clang() {
        if (clang == null) clang = ClangEncoder.of(target);
        return clang;
    }

    private RustcEncoder rustc() {
        if (rustc == null) rustc = RustcEncoder.of(target, Map.of());
        return rustc;
    }

    private TypeIdDecoder.Decoded c(String id, Compiler writer) {
        CView view = cViews.computeIfAbsent(key(id, writer), k -> {
            try {
                return new CView(TypeIdDecoder.decode(id, target, writer), null);
            } catch (IllegalArgumentException e) {
                return new CView(null, e);
            }
        });
        if (view.error() != null) throw view.error();
        return view.decoded();
    }

    private static String key(String id, Compiler writer) {
        return writer == Compiler.RUSTC ? "rustc\0" + id : id;
    }

    /** {@code void (long)} / {@code extern "C" fn(c_long)} for an id {@code writer} wrote, or the reason it cannot be decoded. */
    String decoded(String id, Compiler writer) {
        return explanations.computeIfAbsent(key(id, writer), k -> explanation(id, writer));
    }

    private String explanation(String id, Compiler writer) {
        // each side computed whole before it is written: a decoder can fail half-way
        String c;
        try {
            c = c(id, writer).c();
        } catch (IllegalArgumentException e) {
            c = null;
        }
        String rust;
        try {
            rust = RustIdDecoder.decode(id, writer).rust();
        } catch (IllegalArgumentException e) {
            // an id C can read and Rust cannot spells a C-only type: a block pointer, a vector, _BitInt …
            rust = c != null ? "(none: a C type with no Rust counterpart)" : "(not decodable)";
        }
        if (c == null && rust.equals("(not decodable)")) {
            // neither C nor Rust: a C++ type (references, namespaces, templates) reads as C++
            Optional<String> cxx = dev.xcfi.encoding.ItaniumDemangler.typeId(id);
            if (cxx.isPresent()) return "C++: " + cxx.get();
        }
        // an id Rust can read and C cannot spells a Rust-only type: a reference, an Option, a crate's type …
        String cView = c != null ? c : rust.startsWith("(") ? "(not decodable)" : "(none: a Rust type with no C counterpart)";
        return "C: " + cView + "; Rust: " + rust;
    }

    /**
     * A part where two function types differ: {@code where} ("parameter 1", "parameter 1 (a
     * function pointer): its parameter 1") and, when it is one type against another, both types as
     * printed; {@code left}/{@code right} are null for a count or variadic difference, and for
     * {@link #numbering} (one type, numbered by two compilers' rules).
     */
    record Difference(String where, String left, String right, Kind kind) {
        /** What a difference is: two types at a part, or one of the two compilers' own ways with one type. */
        enum Kind { PART, NUMBERING, GENERALIZED_CALLBACK, GENERALIZED_DATA_POINTER }

        Difference(String where, String left, String right) {
            this(where, left, right, Kind.PART);
        }

        /** Ids of one type {@code type} that differ only in their back-references ({@code S0_} in one, {@code S1_} in the other). */
        static Difference numbering(String type, String reference, String otherReference) {
            return new Difference("both spell `" + type + "`, numbered by each compiler's rules (" + reference + " vs " + otherReference
                    + "): rustc counts a function pointer as one substitution, clang counts its function type as well", null, null, Kind.NUMBERING);
        }

        /** A function-pointer parameter of generalized ids: {@code const void *} to rustc, {@code void *} to clang. */
        static Difference generalizedCallback(String where) {
            return new Difference(where + " is a function pointer, which pointer generalization makes `*const ()` (PKv) in rustc's id and "
                    + "`void *` (Pv) in clang's", null, null, Kind.GENERALIZED_CALLBACK);
        }

        boolean numbering() {
            return kind == Kind.NUMBERING;
        }

        String text() {
            return left == null ? where : where + " is `" + left + "` vs `" + right + "`";
        }
    }

    /**
     * Every part where ids {@code a} (written by {@code writerA}) and {@code b} differ, in order —
     * the return type, each parameter (inside function-pointer parameters), the count, variadic,
     * or only their numbering; empty when an id does not decode.
     */
    List<Difference> differences(String a, Compiler writerA, String b, Compiler writerB) {
        List<Difference> out = new ArrayList<>(2);
        try {
            TypeIdDecoder.Decoded x = c(a, writerA), y = c(b, writerB);
            differences(x.type(), y.type(), "", out);
            if (out.isEmpty() && writerA != writerB && !x.mangling().equals(y.mangling())) {
                int at = 0, end = Math.min(x.mangling().length(), y.mangling().length());
                while (at < end - 1 && x.mangling().charAt(at) == y.mangling().charAt(at)) at++;
                out.add(Difference.numbering(x.c(), reference(x.mangling(), at), reference(y.mangling(), at)));
            }
        } catch (IllegalArgumentException e) {
            // a type C has no spelling of: a Rust one (a reference, an Option) compares as Rust, a C++ one as C++
            List<Difference> rust = rustDifferences(a, writerA, b, writerB);
            return rust.isEmpty() ? cxxDifferences(a, b) : rust;
        }
        return out;
    }

    /**
     * The parts of two ids that differ, both read as Rust signatures; empty when either is not
     * read. A callback that is an {@code Option} on one side only is that part, and then the parts
     * inside the two function types, compared as C ({@link #asC}) so that their repairs are C's.
     */
    private List<Difference> rustDifferences(String a, Compiler writerA, String b, Compiler writerB) {
        FnSig x, y;
        try {
            x = RustIdDecoder.decode(a, writerA).sig();
            y = RustIdDecoder.decode(b, writerB).sig();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        List<Difference> out = new ArrayList<>(2);
        rustPart(x.output(), y.output(), "the return type", out);
        int n = Math.min(x.inputs().size(), y.inputs().size());
        for (int i = 0; i < n; i++) rustPart(x.inputs().get(i), y.inputs().get(i), "parameter " + (i + 1), out);
        if (x.inputs().size() != y.inputs().size()) {
            out.add(new Difference("the parameter counts differ (" + x.inputs().size() + " vs " + y.inputs().size() + ")", null, null));
        }
        return out;
    }

    private void rustPart(RustType p, RustType q, String where, List<Difference> out) {
        String a = RustTypePrinter.print(p), b = RustTypePrinter.print(q);
        if (a.equals(b)) return;
        out.add(new Difference(where, a, b));
        FnSig f = FnPointer.callbackSignature(p), g = FnPointer.callbackSignature(q);
        if (f == null || g == null) return;
        Optional<FunctionType> cf = asC(f), cg = asC(g);
        if (cf.isPresent() && cg.isPresent()) differences(cf.get(), cg.get(), where + " (a function pointer): its ", out);
    }

    /** A Rust signature as the C type rustc's id of it spells (its C builtins as C's, Rust's integers as {@code i32} …). */
    private Optional<FunctionType> asC(FnSig sig) {
        try {
            return Optional.of(TypeIdDecoder.decode(rustc().encode(sig, CfiMode.PLAIN).string(), target, Compiler.RUSTC).type());
        } catch (IllegalArgumentException | dev.xcfi.encoding.EncodingException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code parts} of two generalized ids, a {@code const void *} vs {@code void *} parameter said
     * to be the function pointer it is when either side's ungeneralized id ({@code plainA},
     * {@code plainB}, which modules carry beside the generalized ones) has one there.
     */
    List<Difference> withGeneralizedCallbacks(List<Difference> parts, Optional<String> plainA, Compiler writerA, Optional<String> plainB, Compiler writerB) {
        if (plainA.isEmpty() && plainB.isEmpty()) return parts;
        List<Difference> out = new ArrayList<>(parts.size());
        for (Difference d : parts) {
            boolean constness = d.left() != null && (d.left().equals("const void *") && d.right().equals("void *")
                    || d.left().equals("void *") && d.right().equals("const void *"));
            if (constness && d.where().matches("parameter \\d+")) {
                int index = Integer.parseInt(d.where().substring("parameter ".length())) - 1;
                Optional<Boolean> callbackA = plainA.map(id -> functionPointerParameters(id, writerA).contains(index)),
                        callbackB = plainB.map(id -> functionPointerParameters(id, writerB).contains(index));
                if (callbackA.orElse(false) || callbackB.orElse(false)) {
                    out.add(Difference.generalizedCallback(d.where()));
                    continue;
                }
                // an ungeneralized side that has no function pointer there: a pointer to const on one side only
                out.add(new Difference(d.where(), d.left(), d.right(), Difference.Kind.GENERALIZED_DATA_POINTER));
                continue;
            }
            out.add(d);
        }
        return out;
    }

    /** The back-reference ({@code S0_}) of {@code mangling} that position {@code at} is in. */
    private static String reference(String mangling, int at) {
        int start = mangling.lastIndexOf('S', at), end = mangling.indexOf('_', at);
        return start < 0 || end < 0 ? mangling.substring(at) : mangling.substring(start, end + 1);
    }

    /** The parts of two ids that differ, both read as C++; empty when either is not read. */
    private static List<Difference> cxxDifferences(String a, String b) {
        Optional<dev.xcfi.encoding.ItaniumDemangler.FunctionParts> x = dev.xcfi.encoding.ItaniumDemangler.functionParts(a),
                y = dev.xcfi.encoding.ItaniumDemangler.functionParts(b);
        if (x.isEmpty() || y.isEmpty()) return List.of();
        List<Difference> out = new ArrayList<>(2);
        if (!x.get().result().equals(y.get().result())) out.add(new Difference("the return type", x.get().result(), y.get().result()));
        List<String> p = x.get().parameters(), q = y.get().parameters();
        for (int i = 0; i < Math.min(p.size(), q.size()); i++) {
            if (!p.get(i).equals(q.get(i))) out.add(new Difference("parameter " + (i + 1), p.get(i), q.get(i)));
        }
        if (p.size() != q.size()) out.add(new Difference("the parameter counts differ (" + p.size() + " vs " + q.size() + ")", null, null));
        return out;
    }

    private static void differences(FunctionType x, FunctionType y, String outer, List<Difference> out) {
        part(x.returnType(), y.returnType(), outer.isEmpty() ? "the return type" : outer + "return type", out);
        int n = Math.min(x.parameters().size(), y.parameters().size());
        for (int i = 0; i < n; i++) part(x.parameters().get(i).type(), y.parameters().get(i).type(), outer + "parameter " + (i + 1), out);
        if (x.parameters().size() != y.parameters().size()) {
            out.add(new Difference(outer + "the parameter counts differ (" + x.parameters().size() + " vs " + y.parameters().size() + ")", null, null));
        } else if (x.variadic() != y.variadic()) {
            out.add(new Difference(outer + "one side is variadic", null, null));
        }
    }

    /** The types themselves, or for two function pointers the parts inside them. */
    private static void part(CType p, CType q, String where, List<Difference> out) {
        String a = CTypePrinter.print(p), b = CTypePrinter.print(q);
        if (a.equals(b)) return;
        if (written(p) instanceof PointerType pp && written(pp.pointee()) instanceof FunctionType pf
                && written(q) instanceof PointerType qp && written(qp.pointee()) instanceof FunctionType qf) {
            int before = out.size();
            differences(pf, qf, where + " (a function pointer): its ", out);
            if (out.size() > before) return;
        }
        out.add(new Difference(where, a, b));
    }

    /** Without qualifiers but, unlike {@link CType#unqualified()}, not canonical: {@code i64} must stay {@code i64}. */
    private static CType written(CType t) {
        return t instanceof dev.xcfi.types.QualifiedType q ? q.base() : t;
    }

    /** How many parameters the id's function type has, if it decodes. */
    Optional<Integer> parameterCount(String id, Compiler writer) {
        try {
            return Optional.of(c(id, writer).type().parameters().size());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Indexes of the id's parameters that are function pointers. */
    List<Integer> functionPointerParameters(String id, Compiler writer) {
        try {
            List<FunctionType.Parameter> ps = c(id, writer).type().parameters();
            // a plain loop: a stream's lambda is a class generated at run time, which a short run pays for
            List<Integer> indexes = new ArrayList<>(2);
            for (int i = 0; i < ps.size(); i++) {
                if (ps.get(i).type().unqualified() instanceof PointerType p && p.pointee().unqualified() instanceof FunctionType) indexes.add(i);
            }
            return indexes;
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /**
     * The id's shape: its function type with every struct, union and enum given one name, encoded
     * with normalized integers (in the id's own pointer mode). Two ids of one shape are one type
     * but for how integers are spelled ({@code long}, {@code long long}, Rust's {@code i64}) and
     * what the records are called (C's {@code struct ctx *}, a hand-written binding's
     * {@code *mut Ctx}, which rustc encodes by its name as it does every {@code #[repr(C)]} type),
     * or for Rust's references and {@code Option}s where C has pointers ({@code &mut file} for
     * {@code struct file *}: a binding's safe types, which rustc encodes as themselves). Empty when
     * the id reads as neither (trait objects, crate paths).
     */
    Optional<String> shape(String id, Compiler writer) {
        return shapes.computeIfAbsent(key(id, writer), k -> {
            try {
                FunctionType type;
                CfiMode mode;
                try {
                    TypeIdDecoder.Decoded d = c(id, writer);
                    type = d.type();
                    mode = d.mode();
                } catch (IllegalArgumentException notC) {
                    RustIdDecoder.Decoded r = RustIdDecoder.decode(id, writer);
                    Optional<FunctionType> asPointers = asC(pointersFor(r.sig()));
                    if (asPointers.isEmpty()) return Optional.empty();
                    type = asPointers.get();
                    mode = r.mode();
                }
                FunctionType nameless = (FunctionType) nameless(type);
                return Optional.of(clang().encode(nameless, CfiMode.of(true, mode.generalizePointers())).string());
            } catch (IllegalArgumentException | ClassCastException | dev.xcfi.encoding.EncodingException e) {
                return Optional.empty();
            }
        });
    }

    /** {@code sig} with each reference, and each {@code Option} of a reference, pointer or fn pointer, as the raw pointer C passes. */
    private static FnSig pointersFor(FnSig sig) {
        List<RustType> inputs = new ArrayList<>(sig.inputs().size());
        for (RustType t : sig.inputs()) inputs.add(pointerFor(t));
        return new FnSig(inputs, pointerFor(sig.output()), sig.cVariadic(), sig.abi(), sig.unsafe(), sig.boundRegions());
    }

    private static RustType pointerFor(RustType t) {
        if (t instanceof dev.xcfi.types.rust.Reference r) return new dev.xcfi.types.rust.RawPointer(pointerFor(r.pointee()), r.mutable());
        if (t instanceof dev.xcfi.types.rust.RawPointer p) return new dev.xcfi.types.rust.RawPointer(pointerFor(p.pointee()), p.mutable());
        if (t instanceof FnPointer f) return new FnPointer(pointersFor(f.sig()));
        RustType held = dev.xcfi.types.rust.RustStd.argumentOf(dev.xcfi.types.rust.RustStd.OPTION, t);
        if (held instanceof dev.xcfi.types.rust.Reference || held instanceof dev.xcfi.types.rust.RawPointer || held instanceof FnPointer) return pointerFor(held);
        return t;
    }

    private static final TagType ANY_RECORD = TagType.named(TagType.Kind.STRUCT, "T");

    /** {@code t} with every tag renamed {@link #ANY_RECORD} (a transparent union kept: it is encoded as its first member). */
    private static CType nameless(CType t) {
        if (t instanceof BuiltinType || t instanceof BitIntType) return t;
        if (t instanceof TagType tag) return tag.transparentMember() != null ? tag : ANY_RECORD;
        if (t instanceof TypedefType) return nameless(t.canonical());
        if (t instanceof PointerType p) return new PointerType(nameless(p.pointee()));
        if (t instanceof QualifiedType q) return QualifiedType.of(nameless(q.base()), q.qualifiers());
        if (t instanceof ArrayType a) return new ArrayType(nameless(a.element()), a.size());
        if (t instanceof AtomicType a) return new AtomicType(nameless(a.value()));
        if (t instanceof ComplexType c) return new ComplexType(nameless(c.element()));
        if (t instanceof VectorType v) return new VectorType(nameless(v.element()), v.count());
        if (t instanceof BlockPointerType b) return new BlockPointerType((FunctionType) nameless(b.pointee()));
        FunctionType f = (FunctionType) t;
        List<FunctionType.Parameter> params = new ArrayList<>(f.parameters().size());
        for (FunctionType.Parameter p : f.parameters()) params.add(new FunctionType.Parameter(nameless(p.type()), p.noEscape()));
        return f.withReturnType(nameless(f.returnType())).withParameters(params);
    }

    /**
     * The id a call through parameter {@code index} of {@code calleeId} tests, encoded the way the
     * callee's compiler ({@code writer}) encodes, in the callee id's mode. Empty when that parameter
     * is not a function pointer, or (rustc) its type names a crate's ADT: the encoder refuses to
     * guess a crate disambiguator.
     */
    Optional<String> expectedCallbackId(String calleeId, Compiler writer, int index) {
        return expectedCallbackId(calleeId, writer, index, null);
    }

    /**
     * The same in {@code mode} (null: the callee id's own): a generalized id has no function
     * pointers left to find, so the callee's ungeneralized id is read and its parameter's type
     * encoded generalized.
     */
    Optional<String> expectedCallbackId(String calleeId, Compiler writer, int index, CfiMode mode) {
        try {
            if (writer == Compiler.RUSTC) {
                RustIdDecoder.Decoded d = RustIdDecoder.decode(calleeId);
                if (index >= d.sig().inputs().size() || !(d.sig().inputs().get(index) instanceof FnPointer fp)) return Optional.empty();
                return Optional.of(rustc().encode(fp.sig(), mode != null ? mode : d.mode()).string());
            }
            TypeIdDecoder.Decoded d = c(calleeId, writer);
            if (index >= d.type().parameters().size()) return Optional.empty();
            CType p = d.type().parameters().get(index).type().unqualified();
            if (!(p instanceof PointerType ptr) || !(ptr.pointee().unqualified() instanceof FunctionType f)) return Optional.empty();
            return Optional.of(clang().encode(f, mode != null ? mode : d.mode()).string());
        } catch (IllegalArgumentException | dev.xcfi.encoding.EncodingException e) {
            return Optional.empty();
        }
    }
}
