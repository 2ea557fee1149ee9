package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.Compiler;
import dev.xcfi.encoding.RustIdDecoder;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.CType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.TagType;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.Adt;
import dev.xcfi.types.rust.AdtDef;
import dev.xcfi.types.rust.DefPath;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.RawPointer;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.types.rust.RustType;
import dev.xcfi.types.rust.Scalar;
import dev.xcfi.verify.facts.Signature;

import java.util.ArrayList;
import java.util.List;

/**
 * The ways a hand-written Rust binding usually declares a C function type, for naming the KCFI
 * hashes of Rust functions whose signatures have struct pointers: C's integers as Rust's of the
 * same width (either sign, {@code isize}/{@code usize} at pointer width), {@code void *} and
 * {@code char *} as {@code c_void}, {@code u8} or {@code i8} pointers, and a pointer to
 * {@code struct ctx} as a pointer to a {@code #[repr(C)]} struct {@code ctx} or {@code Ctx} (rustc
 * spells such a struct by its name alone in an {@code extern "C"} signature, as clang spells a
 * tag), each pointer {@code *mut} or {@code *const}, a function pointer as each twin of its type,
 * bare or in an {@code Option} (bindgen's spelling); and first the C type itself as a binding made
 * with {@code #[cfi_encoding]} newtypes declares it (the cfi_types crate's way), which rustc numbers
 * by its own rules. Only signatures of scalars and pointers are twinned, and at most
 * {@value HashNames#MAX_CANDIDATES} per C type: a name is believed only when its hash is the
 * compiler's.
 */
final class RustTwins {
    private final Target target;
    private ClangEncoder clang;

    RustTwins(Target target) {
        this.target = target;
    }

    /**
     * The IR signature clang gives {@code f} ({@link Signature}'s spelling), or null when a part is
     * not a scalar or a pointer (an aggregate's lowering depends on the ABI) or it is variadic.
     */
    String signature(FunctionType f) {
        if (f.variadic() || !f.prototyped()) return null;
        String result = scalar(f.returnType(), true);
        if (result == null) return null;
        List<String> parameters = new ArrayList<>();
        for (FunctionType.Parameter p : f.parameters()) {
            String s = scalar(p.type(), false);
            if (s == null) return null;
            parameters.add(s);
        }
        return Signature.of(result, parameters, false);
    }

    private String scalar(CType type, boolean result) {
        CType t = unqualified(type);
        if (t instanceof PointerType) return "ptr";
        if (!(t instanceof BuiltinType b)) return null;
        return switch (b.kind()) {
            case VOID -> result ? "void" : null;
            case BOOL -> "i1";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            default -> b.kind().isInteger() ? Signature.integer(target.bits(b.kind())) : null;
        };
    }

    /** The Rust signatures a binding of {@code f} may have; empty when it has a part not twinned or too many combinations. */
    List<FnSig> of(FunctionType f) {
        if (signature(f) == null) return List.of();
        List<FnSig> out = new ArrayList<>();
        spelledAsC(f).ifPresent(out::add);
        List<List<RustType>> choices = new ArrayList<>();
        choices.add(f.returnType() instanceof BuiltinType b && b.kind() == BuiltinType.Kind.VOID ? List.of(RustType.UNIT) : twins(f.returnType()));
        for (FunctionType.Parameter p : f.parameters()) choices.add(twins(p.type()));
        for (List<RustType> c : HashNames.product(choices)) out.add(FnSig.of(Abi.C, c.getFirst(), c.subList(1, c.size()).toArray(RustType[]::new)));
        return out;
    }

    /**
     * {@code f} exactly, as Rust declares it with a {@code #[cfi_encoding]} newtype for each C
     * integer ({@code CInt} encoding as {@code i}) and records by their tags: clang's id read back
     * as a Rust signature. Empty for a C type Rust has no spelling of.
     */
    private java.util.Optional<FnSig> spelledAsC(FunctionType f) {
        try {
            if (clang == null) clang = ClangEncoder.of(target);
            return java.util.Optional.of(RustIdDecoder.decode(clang.encode(f, CfiMode.PLAIN).string(), Compiler.CLANG).sig());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private List<RustType> twins(CType type) {
        CType t = unqualified(type);
        if (t instanceof BuiltinType b) return scalars(b.kind());
        if (!(t instanceof PointerType p)) return List.of();
        boolean constant = p.pointee() instanceof QualifiedType q && q.qualifiers().isConst();
        CType pointee = unqualified(p.pointee());
        List<RustType> targets = new ArrayList<>();
        if (pointee instanceof TagType tag && tag.kind() != TagType.Kind.ENUM) {
            AdtDef.Kind kind = tag.kind() == TagType.Kind.UNION ? AdtDef.Kind.UNION : AdtDef.Kind.STRUCT;
            for (String name : names(tag.name())) targets.add(Adt.of(new AdtDef(kind, DefPath.of("binding", name), true, false, null, List.of())));
        } else if (pointee instanceof BuiltinType b && (b.kind() == BuiltinType.Kind.VOID || b.kind() == BuiltinType.Kind.CHAR
                || b.kind() == BuiltinType.Kind.SIGNED_CHAR || b.kind() == BuiltinType.Kind.UNSIGNED_CHAR)) {
            targets.addAll(List.of(RustStd.C_VOID, Scalar.U8, Scalar.I8));
        } else if (pointee instanceof BuiltinType b && b.kind().isInteger()) {
            targets.addAll(scalars(b.kind()));
        } else if (pointee instanceof FunctionType f) {
            // a callback parameter: each twin of its type, bare or as bindgen declares it, Option<…>
            List<RustType> callbacks = new ArrayList<>();
            for (FnSig sig : of(f)) {
                FnPointer fp = new FnPointer(sig);
                callbacks.add(fp);
                callbacks.add(Adt.of(RustStd.OPTION, fp));
            }
            return callbacks;
        } else {
            return List.of();
        }
        List<RustType> out = new ArrayList<>();
        for (RustType target : targets) {
            // C's const says which a binding most likely wrote first; both are tried
            out.add(new RawPointer(target, !constant));
            out.add(new RawPointer(target, constant));
        }
        return out;
    }

    private List<RustType> scalars(BuiltinType.Kind kind) {
        if (kind == BuiltinType.Kind.BOOL) return List.of(Scalar.BOOL);
        if (kind == BuiltinType.Kind.FLOAT) return List.of(Scalar.F32);
        if (kind == BuiltinType.Kind.DOUBLE) return List.of(Scalar.F64);
        if (!kind.isInteger()) return List.of();
        int bits = target.bits(kind);
        List<RustType> out = new ArrayList<>(switch (bits) {
            case 8 -> List.of(Scalar.I8, Scalar.U8);
            case 16 -> List.of(Scalar.I16, Scalar.U16);
            case 32 -> List.of(Scalar.I32, Scalar.U32);
            case 64 -> List.of(Scalar.I64, Scalar.U64);
            case 128 -> List.of(Scalar.I128, Scalar.U128);
            default -> List.<RustType>of();
        });
        if (bits == target.dataModel().pointerBits()) out.addAll(List.of(Scalar.ISIZE, Scalar.USIZE));
        // most likely first (HashNames.product takes the likeliest combinations when there are too many): C's own sign
        if (kind.name().startsWith("UNSIGNED") && out.size() >= 2) {
            java.util.Collections.swap(out, 0, 1);
            if (out.size() == 4) java.util.Collections.swap(out, 2, 3);
        }
        return out;
    }

    /** A C tag as a binding would name it: as it is, and in Rust's CamelCase ({@code sqlite3_changeset_iter} → {@code Sqlite3ChangesetIter}). */
    static List<String> names(String tag) {
        StringBuilder camel = new StringBuilder();
        boolean upper = true;
        for (char ch : tag.toCharArray()) {
            if (ch == '_') {
                upper = true;
                continue;
            }
            camel.append(upper ? Character.toUpperCase(ch) : ch);
            upper = false;
        }
        String c = camel.toString();
        return c.isEmpty() || c.equals(tag) ? List.of(tag) : List.of(tag, c);
    }

    private static CType unqualified(CType type) {
        CType c = type.canonical();
        return c instanceof QualifiedType q ? q.base() : c;
    }
}
