package dev.xcfi.encoding;

import dev.xcfi.types.ArrayType;
import dev.xcfi.types.AtomicType;
import dev.xcfi.types.BitIntType;
import dev.xcfi.types.BlockPointerType;
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
    private record NormalizedInteger(int bits, boolean signed) {
        @Override
        public boolean equals(Object o) {   // written out for C1, as the type records' (CType)
            return o instanceof NormalizedInteger n && bits == n.bits && signed == n.signed;
        }

        @Override
        public int hashCode() {
            return signed ? bits : -bits;
        }
    }

    private static final NormalizedInteger[] NORMALIZED = new NormalizedInteger[10];
    private static final byte[][] NORMALIZED_CODES = ascii("u2i8", "u3i16", "u3i32", "u3i64", "u4i128",
            "u2u8", "u3u16", "u3u32", "u3u64", "u4u128");

    static {
        for (int i = 0; i < 10; i++) NORMALIZED[i] = new NormalizedInteger(8 << (i % 5), i < 5);
    }

    private static final byte[][] SUFFIXES = ascii(CfiMode.PLAIN.suffix(), CfiMode.NORMALIZED.suffix(),
            CfiMode.GENERALIZED.suffix(), CfiMode.NORMALIZED_GENERALIZED.suffix());

    /** The mode's suffix; plain ids, the common case, have none. */
    private void appendSuffix(CfiMode mode) {
        if (normalize || generalize) m.append(SUFFIXES[(normalize ? 1 : 0) | (generalize ? 2 : 0)]);
    }

    private static byte[][] ascii(String... texts) {
        byte[][] bytes = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) bytes[i] = texts[i] == null ? null : texts[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return bytes;
    }

    private final Target target;
    private final Mangler m = new Mangler();
    private boolean normalize;
    private boolean generalize;
    private boolean sawTypeWithoutLinkage;

    // Per-target facts looked up once, not per builtin: this is the hot path.
    private final byte[][] builtinCodes;
    private final boolean[] supported;
    private final int[] normalizedSlot;

    private ClangEncoder(Target target) {
        this.target = target;
        this.builtinCodes = ascii(builtinCodes(target));
        this.normalizedSlot = normalizedSlots(target);
        this.supported = new boolean[Kind.values().length];
        for (Kind k : Kind.values()) supported[k.ordinal()] = target.rejects(k).isEmpty();
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

    /**
     * The id and its KCFI hash from one mangling: the id string is the only allocation besides
     * the small result record.
     */
    public HashedTypeId encode(FunctionType function, CfiMode mode, KcfiHash algorithm) {
        mangle(function, mode);
        int end = m.length();
        if (!function.salt().isEmpty()) m.append('.').append(function.salt());
        appendSuffix(mode);
        int hash = m.hash(algorithm);
        m.truncate(end);
        return new HashedTypeId(new TypeId(m.text(), mode, function.salt(), sawTypeWithoutLinkage), hash);
    }

    /** The KCFI hash of {@code function} in {@code mode}, computed without allocating. */
    public int kcfi(FunctionType function, CfiMode mode, KcfiHash algorithm) {
        mangle(function, mode);
        if (!function.salt().isEmpty()) m.append('.').append(function.salt());
        appendSuffix(mode);
        return m.hash(algorithm);
    }

    // --- the id ---------------------------------------------------------------------------------

    private void mangle(FunctionType function, CfiMode mode) {
        normalize = mode.normalizeIntegers();
        generalize = mode.generalizePointers();
        sawTypeWithoutLinkage = false;
        m.begin();
        topLevelFunction((FunctionType) function.canonical());
    }

    /**
     * The function type being identified. Its return and parameter types get the two top-level
     * rewrites clang applies before mangling: LLVM 22 replaces transparent unions by their first
     * field (C only), then generalization turns pointers into {@code void *} keeping the pointee's
     * c/v/restrict. Both happen here, while mangling, so no rewritten type is built.
     */
    private void topLevelFunction(FunctionType f) {
        checkHalfByValue(f);
        if (!f.prototyped()) {
            m.append('F');
            topLevel(transparentReturn(f.returnType()));
            m.append('E');
            return;
        }
        String cc = f.callingConvention().mangledName();
        if (cc != null) m.vendorQualifier(cc);
        m.append('F');
        topLevel(transparentReturn(f.returnType()));
        List<Parameter> params = f.parameters();
        if (params.isEmpty() && !f.variadic()) m.append('v');
        for (int i = 0, n = params.size(); i < n; i++) {
            Parameter p = params.get(i);
            if (p.noEscape()) m.vendorQualifier("noescape");
            CType t = p.type();
            if (t instanceof TagType tag && tag.transparentMember() != null) t = FunctionType.adjust(tag.transparentMember());
            topLevel(t);
        }
        if (f.variadic()) m.append('z');
        m.append('E');
    }

    private void topLevel(CType t) {
        CType pointer = t instanceof QualifiedType q ? q.base() : t;
        if (generalize && pointer instanceof PointerType p) {
            type(GENERALIZED[cvrIndex(pointeeQualifiers(p.pointee()))]);
        } else {
            type(t);
        }
    }

    private static CType transparentReturn(CType ret) {
        CType u = ret instanceof QualifiedType q ? q.base() : ret;
        return u instanceof TagType t && t.transparentMember() != null ? t.transparentMember().canonical() : ret;
    }

    /** The c/v/restrict generalization keeps: the pointee's, or for a pointee array its element's. */
    private static Qualifiers pointeeQualifiers(CType pointee) {
        CType t = pointee;
        while (t instanceof ArrayType a) t = a.element();
        return t instanceof QualifiedType q ? q.qualifiers() : Qualifiers.NONE;
    }

    /** {@code void *} with each combination of pointee c/v/restrict, built once: the generalized types. */
    private static final PointerType[] GENERALIZED = new PointerType[8];

    static {
        for (int i = 0; i < 8; i++) {
            GENERALIZED[i] = new PointerType(QualifiedType.of(BuiltinType.VOID,
                    new Qualifiers((i & 1) != 0, (i & 2) != 0, (i & 4) != 0, 0)));
        }
    }

    private static int cvrIndex(Qualifiers q) {
        return (q.isConst() ? 1 : 0) | (q.isVolatile() ? 2 : 0) | (q.isRestrict() ? 4 : 0);
    }

    // --- one method per kind of type ----------------------------------------------------------------

    /*
     * Dispatch by instanceof, most frequent kinds first: this is the hot path (it runs for every
     * component of every id) and measured faster than a pattern switch over the sealed type.
     */
    private void type(CType t) {
        if (t instanceof BuiltinType b) {   // builtins are never dictionary entries
            builtin(b.kind());
            return;
        }
        if (t instanceof TypedefType td) {
            type(td.canonical());
            return;
        }
        if (m.substitute(t)) return;
        if (t instanceof PointerType p) pointer(p);
        else if (t instanceof QualifiedType q) qualified(q);
        else if (t instanceof TagType tag) tag(tag);
        else if (t instanceof FunctionType f) function(f);
        else if (t instanceof ArrayType a) array(a);
        else if (t instanceof AtomicType a) atomic(a);
        else if (t instanceof ComplexType c) complex(c);
        else if (t instanceof VectorType v) vector(v);
        else if (t instanceof BitIntType b) bitInt(b);
        else if (t instanceof BlockPointerType b) blockPointer(b);
        m.remember(t);
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
        if (a.size() instanceof ArrayType.Size.Unknown(String length, String why)) {
            throw new EncodingException("the id spells an array length, " + length + ", that xcfi cannot compute (" + why + ")");
        }
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

    /** {@code U13block_pointer <function type>}: a vendor-qualified function type, both of them dictionary entries. */
    private void blockPointer(BlockPointerType b) {
        m.append("U13block_pointer");
        type(b.pointee());
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
        int i = k.ordinal();
        if (!supported[i]) throw new EncodingException(target.rejects(k).orElseThrow());
        if (normalize && normalizedSlot[i] >= 0) {
            normalizedInteger(normalizedSlot[i]);
            return;
        }
        m.append(builtinCodes[i]);
    }

    /** The Itanium code of each builtin on {@code target} (null where the target has none). */
    private static String[] builtinCodes(Target target) {
        String[] codes = new String[Kind.values().length];
        for (Kind k : Kind.values()) {
            codes[k.ordinal()] = switch (k) {
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
            };
        }
        return codes;
    }

    /** For each integer builtin, its {@code u<n>[iu]<bits>} slot by the target's width and signedness; -1 otherwise. */
    private static int[] normalizedSlots(Target target) {
        int[] slots = new int[Kind.values().length];
        for (Kind k : Kind.values()) {
            slots[k.ordinal()] = k.isInteger()
                    ? Integer.numberOfTrailingZeros(target.bits(k) >> 3) + (target.isSigned(k) ? 0 : 5) : -1;
        }
        return slots;
    }

    /** {@code u2i8}…{@code u4u128}: a dictionary entry per (width, signedness), unlike other builtins. */
    private void normalizedInteger(int index) {
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

    private static boolean isHalf(CType t) {   // t is canonical here
        CType u = t instanceof QualifiedType q ? q.base() : t;
        return u instanceof BuiltinType b && b.kind() == Kind.HALF;
    }

}
