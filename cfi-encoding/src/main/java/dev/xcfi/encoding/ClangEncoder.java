package dev.xcfi.encoding;

import dev.xcfi.types.ArrayType;
import dev.xcfi.types.AtomicType;
import dev.xcfi.types.BitIntType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.CType;
import dev.xcfi.types.ComplexType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.FunctionType.Parameter;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.TagType;
import dev.xcfi.types.Target;
import dev.xcfi.types.TypedefType;
import dev.xcfi.types.VectorType;

import java.util.ArrayList;
import java.util.List;

/**
 * CFI type ids for C function types exactly as clang 22 forms them: the Itanium "typeinfo name"
 * mangling ({@code _ZTS…}) with clang's substitution rules, integer normalization, pointer
 * generalization, LLVM 22's transparent-union rewriting and the KCFI salt.
 *
 * <pre>
 * id            ::= _ZTS &lt;function-type&gt; [.normalized] [.generalized]
 * function-type ::= [U&lt;cc&gt;] F &lt;return&gt; (v | ([U8noescape] &lt;param&gt;)+ [z]) E  |  F &lt;return&gt; E (unprototyped)
 * type          ::= &lt;builtin&gt; | &lt;qualifiers&gt; &lt;type&gt; | P &lt;type&gt; | A [N] _ &lt;type&gt; | C &lt;type&gt;
 *                 | Dv N _ &lt;type&gt; | DB N _ | DU N _ | U7_Atomic &lt;type&gt; | &lt;len&gt;&lt;tag&gt; | S [seq] _
 * </pre>
 *
 * <p>An instance is cheap, reusable and not thread-safe: use one per thread.
 */
public final class ClangEncoder {
    /** Normalized integers share one dictionary entry per (width, signedness), whatever their C spelling. */
    private record NormalizedInteger(int bits, boolean signed) {}

    private static final NormalizedInteger[] NORMALIZED = new NormalizedInteger[10];
    private static final String[] NORMALIZED_CODES = {"u2i8", "u3i16", "u3i32", "u3i64", "u4i128",
            "u2u8", "u3u16", "u3u32", "u3u64", "u4u128"};

    static {
        for (int i = 0; i < 10; i++) NORMALIZED[i] = new NormalizedInteger(8 << (i % 5), i < 5);
    }

    private final Target target;
    private final Mangler m = new Mangler();
    private boolean normalize;
    private boolean sawTypeWithoutLinkage;
    private byte[] scratch = new byte[256];

    private ClangEncoder(Target target) {
        this.target = target;
    }

    public static ClangEncoder of(Target target) {
        return new ClangEncoder(target);
    }

    public Target target() {
        return target;
    }

    /**
     * The id clang attaches to a function of type {@code function} and tests at calls through a
     * pointer to it, in {@code mode}.
     *
     * @throws EncodingException if the target cannot take one of the types (clang's error)
     */
    public TypeId encode(FunctionType function, CfiMode mode) {
        mangle(function, mode);
        return new TypeId(m.text(), mode, function.salt(), sawTypeWithoutLinkage);
    }

    /** The KCFI hash of {@code function} in {@code mode}, computed without allocating. */
    public int kcfi(FunctionType function, CfiMode mode, KcfiHash algorithm) {
        mangle(function, mode);
        if (!function.salt().isEmpty()) m.append('.').append(function.salt());
        m.append(mode.suffix());
        return hashBuffer(algorithm);
    }

    // --- the id ---------------------------------------------------------------------------------

    private void mangle(FunctionType function, CfiMode mode) {
        FunctionType f = prepare((FunctionType) function.canonical(), mode.generalizePointers());
        normalize = mode.normalizeIntegers();
        sawTypeWithoutLinkage = false;
        m.begin();
        function(f);
    }

    /**
     * The function type clang actually mangles: LLVM 22 replaces top-level transparent unions by
     * their first field (C only), then generalization turns top-level pointers into {@code void *}.
     */
    private static FunctionType prepare(FunctionType f, boolean generalize) {
        if (!generalize && !mentionsTransparentUnion(f)) return f;
        CType ret = generalize(transparentReturn(f.returnType()), generalize);
        List<Parameter> params = new ArrayList<>(f.parameters().size());
        for (Parameter p : f.parameters()) {
            CType t = p.type();
            if (t instanceof TagType tag && tag.transparentMember() != null) t = FunctionType.adjust(tag.transparentMember());
            params.add(new Parameter(generalize(t, generalize), p.noEscape()));
        }
        return f.withReturnType(ret).withParameters(params);
    }

    private static boolean mentionsTransparentUnion(FunctionType f) {
        if (f.returnType().unqualified() instanceof TagType t && t.transparentMember() != null) return true;
        for (Parameter p : f.parameters()) {
            if (p.type() instanceof TagType t && t.transparentMember() != null) return true;
        }
        return false;
    }

    private static CType transparentReturn(CType ret) {
        return ret.unqualified() instanceof TagType t && t.transparentMember() != null
                ? t.transparentMember().canonical() : ret;
    }

    /**
     * clang's GeneralizeType: a pointer becomes {@code void *} keeping only its pointee's
     * c/v/restrict — for a pointee array, its element's ({@code const char (*)[10]} → {@code PKv}).
     */
    private static CType generalize(CType t, boolean generalize) {
        if (generalize && t.unqualified() instanceof PointerType p) {
            CType pointee = p.pointee().canonical();
            while (pointee instanceof ArrayType a) pointee = a.element().canonical();
            return new PointerType(QualifiedType.of(BuiltinType.VOID, pointee.qualifiers().cvr()));
        }
        return t;
    }

    // --- one method per kind of type ----------------------------------------------------------------

    private void type(CType t) {
        switch (t) {
            case BuiltinType b -> builtin(b.kind());   // builtins are never dictionary entries
            case TypedefType td -> type(td.canonical());
            default -> {
                if (m.substitute(t)) return;
                switch (t) {
                    case QualifiedType q -> qualified(q);
                    case PointerType p -> pointer(p);
                    case ArrayType a -> array(a);
                    case FunctionType f -> function(f);
                    case TagType tag -> tag(tag);
                    case AtomicType a -> atomic(a);
                    case ComplexType c -> complex(c);
                    case VectorType v -> vector(v);
                    case BitIntType b -> bitInt(b);
                    case BuiltinType b -> throw new AssertionError(b);
                    case TypedefType td -> throw new AssertionError(td);
                }
                m.remember(t);
            }
        }
    }

    /** {@code <qualifiers> <type>}: vendor qualifiers (address space) first, then r V K. */
    private void qualified(QualifiedType q) {
        Qualifiers qs = q.qualifiers();
        if (qs.addressSpace() != 0) m.vendorQualifier("AS" + qs.addressSpace());
        if (qs.isRestrict()) m.append('r');
        if (qs.isVolatile()) m.append('V');
        if (qs.isConst()) m.append('K');
        type(q.base());
    }

    private void pointer(PointerType p) {
        m.append('P');
        type(p.pointee());
    }

    /** {@code A <length> _ <element>}; {@code A_} for incomplete and variable-length arrays. */
    private void array(ArrayType a) {
        m.append('A');
        if (a.size() instanceof ArrayType.Size.Fixed(long length)) m.append(length);
        m.append('_');
        type(a.element());
    }

    private void function(FunctionType f) {
        checkHalfByValue(f);
        if (!f.prototyped()) {   // K&R: no parameter list at all, not even v
            m.append('F');
            type(f.returnType());
            m.append('E');
            return;
        }
        String cc = f.callingConvention().mangledName();
        if (cc != null) m.vendorQualifier(cc);
        m.append('F');
        type(f.returnType());
        List<Parameter> params = f.parameters();
        if (params.isEmpty() && !f.variadic()) m.append('v');
        for (int i = 0, n = params.size(); i < n; i++) {
            Parameter p = params.get(i);
            if (p.noEscape()) m.vendorQualifier("noescape");
            type(p.type());
        }
        if (f.variadic()) m.append('z');
        m.append('E');
    }

    /** C tags mangle as a bare {@code <source-name>}: no {@code struct}/{@code union}/{@code enum} marker. */
    private void tag(TagType t) {
        if (!t.hasLinkage()) sawTypeWithoutLinkage = true;
        if (t.inStd()) m.append("St");
        if (t.enclosingFunction() != null) m.append('Z').sourceName(t.enclosingFunction()).append('E');
        m.sourceName(t.name());
    }

    private void atomic(AtomicType a) {
        m.append("U7_Atomic");
        type(a.value());
    }

    private void complex(ComplexType c) {
        m.append('C');
        type(c.element());
    }

    private void vector(VectorType v) {
        m.append("Dv").append(v.count()).append('_');
        type(v.element());
    }

    private void bitInt(BitIntType b) {
        m.append(b.signed() ? "DB" : "DU").append(b.bits()).append('_');
    }

    private void builtin(Kind k) {
        target.rejects(k).ifPresent(reason -> {
            throw new EncodingException(reason);
        });
        if (normalize && k.isInteger()) {
            normalizedInteger(target.bits(k), target.isSigned(k));
            return;
        }
        m.append(switch (k) {
            case VOID -> "v";
            case BOOL -> "b";
            case CHAR -> "c";
            case SIGNED_CHAR -> "a";
            case UNSIGNED_CHAR -> "h";
            case SHORT -> "s";
            case UNSIGNED_SHORT -> "t";
            case INT -> "i";
            case UNSIGNED_INT -> "j";
            case LONG -> "l";
            case UNSIGNED_LONG -> "m";
            case LONG_LONG -> "x";
            case UNSIGNED_LONG_LONG -> "y";
            case INT128 -> "n";
            case UNSIGNED_INT128 -> "o";
            case FLOAT -> "f";
            case DOUBLE -> "d";
            case LONG_DOUBLE -> target.longDouble();
            case FLOAT16 -> "DF16_";
            case BFLOAT16 -> target.bfloat16();
            case HALF -> "Dh";
            case FLOAT128 -> target.float128();
            case IBM128 -> "g";
            case NULLPTR -> "Dn";
        });
    }

    /** {@code u2i8}…{@code u4u128}: a dictionary entry per (width, signedness), unlike other builtins. */
    private void normalizedInteger(int bits, boolean signed) {
        int index = Integer.numberOfTrailingZeros(bits >> 3) + (signed ? 0 : 5);
        NormalizedInteger key = NORMALIZED[index];
        if (m.substitute(key)) return;
        m.append(NORMALIZED_CODES[index]);
        m.remember(key);
    }

    private void checkHalfByValue(FunctionType f) {
        if (target.halfArguments()) return;
        if (isHalf(f.returnType())) throw new EncodingException("function return value cannot have __fp16 type on " + target);
        for (Parameter p : f.parameters()) {
            if (isHalf(p.type())) throw new EncodingException("parameters cannot have __fp16 type on " + target);
        }
    }

    private static boolean isHalf(CType t) {
        return t.unqualified() instanceof BuiltinType b && b.kind() == Kind.HALF;
    }

    private int hashBuffer(KcfiHash algorithm) {
        StringBuilder sb = m.out;
        int n = sb.length();
        if (scratch.length < n) scratch = new byte[Math.max(n, scratch.length * 2)];
        for (int i = 0; i < n; i++) {
            char c = sb.charAt(i);
            if (c >= 0x80) return algorithm.hash(sb.toString());   // non-ASCII salt: UTF-8 path
            scratch[i] = (byte) c;
        }
        return algorithm.hash(scratch, 0, n);
    }
}
