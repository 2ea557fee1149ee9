package dev.xcfi.verify.check;

import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.CType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.TagType;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.Adt;
import dev.xcfi.types.rust.AdtDef;
import dev.xcfi.types.rust.Alias;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.RawPointer;
import dev.xcfi.types.rust.Reference;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.types.rust.RustType;
import dev.xcfi.types.rust.Scalar;
import dev.xcfi.types.rust.Tuple;
import dev.xcfi.verify.facts.Signature;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link RustTwins} the other way round: the C declarations a Rust binding's {@code extern "C"}
 * signature may stand for, for naming a C module's KCFI hash from the Rust side's debug
 * information when C's has none. Rust's integers as C's of the same width (either sign),
 * {@code isize}/{@code usize} at pointer width, {@code i8}/{@code u8}/{@code c_void} pointees as
 * {@code char}, {@code signed char}, {@code unsigned char} or {@code void}, a {@code #[repr(C)]}
 * struct or union by its name or in C's snake_case ({@code Ctx}: {@code ctx};
 * {@code Sqlite3ChangesetIter}: {@code sqlite3_changeset_iter}), {@code *const}/{@code &} as a
 * pointer to {@code const}, {@code Option<&T>}/{@code Option<NonNull<T>>} as a pointer, and a
 * callback ({@code extern "C" fn}, bare or in an {@code Option}) as a pointer to each twin of its type.
 * Only signatures of scalars and such pointers are twinned, at most
 * {@value HashNames#MAX_CANDIDATES} per Rust signature; a name is believed only when its hash is the
 * compiler's.
 */
final class CTwins {
    private final Target target;

    CTwins(Target target) {
        this.target = target;
    }

    /** The IR signature rustc gives an {@code extern "C"} {@code sig} ({@link Signature}'s spelling), or null when a part is not a scalar or a thin pointer. */
    String signature(FnSig sig) {
        if (sig.abi() != Abi.C || sig.cVariadic()) return null;
        String result = sig.output() instanceof Tuple t && t.isUnit() ? "void" : scalar(sig.output());
        if (result == null) return null;
        List<String> parameters = new ArrayList<>();
        for (RustType input : sig.inputs()) {
            String s = scalar(input);
            if (s == null) return null;
            parameters.add(s);
        }
        return Signature.of(result, parameters, false);
    }

    private String scalar(RustType type) {
        if (pointee(type) != null || FnPointer.callbackSignature(type) != null) return "ptr";
        if (!(type.resolved() instanceof Scalar s)) return null;
        if (s == Scalar.BOOL) return "i1";
        if (s == Scalar.F32) return "float";
        if (s == Scalar.F64) return "double";
        return s.isInteger() ? Signature.integer(bits(s)) : null;
    }

    /** The C function types a binding's {@code sig} may stand for; empty when a part is not twinned or there are too many. */
    List<FunctionType> of(FnSig sig) {
        if (signature(sig) == null) return List.of();
        List<List<CType>> choices = new ArrayList<>();
        choices.add(sig.output() instanceof Tuple t && t.isUnit() ? List.of(BuiltinType.VOID) : twins(sig.output(), 0));
        for (RustType input : sig.inputs()) choices.add(twins(input, 0));
        List<FunctionType> out = new ArrayList<>();
        for (List<CType> c : HashNames.product(choices)) out.add(FunctionType.of(c.getFirst(), c.subList(1, c.size()).toArray(CType[]::new)));
        return out;
    }

    private List<CType> twins(RustType type, int depth) {
        FnSig callback = FnPointer.callbackSignature(type);
        if (callback != null) {
            List<CType> out = new ArrayList<>();
            for (FunctionType f : of(callback)) out.add(PointerType.to(f));
            return out;
        }
        Pointee p = pointee(type);
        if (p != null) {
            List<CType> out = new ArrayList<>();
            for (CType target : pointees(p.type(), depth)) out.add(PointerType.to(p.constant() ? QualifiedType.of(target, Qualifiers.CONST) : target));
            return out;
        }
        if (!(type.resolved() instanceof Scalar s)) return List.of();
        if (s == Scalar.BOOL) return List.of(BuiltinType.of(Kind.BOOL));
        if (s == Scalar.F32) return List.of(BuiltinType.of(Kind.FLOAT));
        if (s == Scalar.F64) return List.of(BuiltinType.of(Kind.DOUBLE));
        if (!s.isInteger()) return List.of();
        List<CType> out = new ArrayList<>();
        for (Kind k : integers(bits(s))) out.add(BuiltinType.of(k));
        return out;
    }

    private List<CType> pointees(RustType type, int depth) {
        if (type instanceof Alias a && a.target() instanceof Tuple t && t.isUnit() || type instanceof Tuple u && u.isUnit()) {
            return List.of(BuiltinType.VOID);
        }
        if (type.resolved() instanceof Scalar s && s.isInteger() && bits(s) == 8) {
            return List.of(BuiltinType.of(Kind.CHAR), BuiltinType.of(Kind.SIGNED_CHAR), BuiltinType.of(Kind.UNSIGNED_CHAR), BuiltinType.VOID);
        }
        if (type instanceof Adt adt && adt.args().isEmpty() && adt.def().reprC() && adt.def().kind() != AdtDef.Kind.ENUM) {
            TagType.Kind kind = adt.def().kind() == AdtDef.Kind.UNION ? TagType.Kind.UNION : TagType.Kind.STRUCT;
            List<CType> out = new ArrayList<>();
            for (String name : tagNames(adt.def().path().name())) out.add(TagType.named(kind, name));
            return out;
        }
        if (depth < 1 && pointee(type) != null) return twins(type, depth + 1);   // a pointer to a pointer, once
        return twins(type, depth + 1).stream().filter(t -> !(t instanceof PointerType)).toList();
    }

    /** What a thin pointer points to, and whether to {@code const}; null when {@code type} is not one. */
    private record Pointee(RustType type, boolean constant) {}

    private static Pointee pointee(RustType type) {
        if (type instanceof RawPointer p) return new Pointee(p.pointee(), !p.mutable());
        if (type instanceof Reference r) return new Pointee(r.pointee(), !r.mutable());
        // Option<&T> and Option<NonNull<T>> are pointers that may be null: what bindings write for C's nullable ones
        RustType held = RustStd.argumentOf(RustStd.OPTION, type);
        if (held instanceof Reference r) return new Pointee(r.pointee(), !r.mutable());
        RustType nonNull = held == null ? null : RustStd.argumentOf(RustStd.NON_NULL, held);
        return nonNull == null ? null : new Pointee(nonNull, false);
    }


    private int bits(Scalar s) {
        return s == Scalar.ISIZE || s == Scalar.USIZE ? target.dataModel().pointerBits() : s.bits();
    }

    /** C's integer types of a width on this target, either sign ({@code char}'s three at 8 bits). */
    private List<Kind> integers(int bits) {
        List<Kind> out = new ArrayList<>();
        for (Kind k : List.of(Kind.CHAR, Kind.SIGNED_CHAR, Kind.UNSIGNED_CHAR, Kind.SHORT, Kind.UNSIGNED_SHORT, Kind.INT, Kind.UNSIGNED_INT,
                Kind.LONG, Kind.UNSIGNED_LONG, Kind.LONG_LONG, Kind.UNSIGNED_LONG_LONG, Kind.INT128, Kind.UNSIGNED_INT128)) {
            if (target.bits(k) == bits) out.add(k);
        }
        return out;
    }

    /** A Rust record's name as C may spell the tag: as it is, and in snake_case ({@code Sqlite3ChangesetIter} → {@code sqlite3_changeset_iter}). */
    static List<String> tagNames(String name) {
        StringBuilder snake = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (Character.isUpperCase(ch) && i > 0 && name.charAt(i - 1) != '_') snake.append('_');
            snake.append(Character.toLowerCase(ch));
        }
        String s = snake.toString();
        return s.equals(name) ? List.of(name) : List.of(name, s);
    }
}
