package dev.xcfi.types;

/**
 * A C type as clang sees it after parsing: the vocabulary that CFI type ids are made of.
 *
 * <p>Values are immutable and compare structurally, which is exactly the identity the Itanium
 * substitution dictionary needs: two spellings of the same canonical type are equal once typedefs
 * are looked through ({@link #canonical()}).
 *
 * <p>The records write out {@code equals} and {@code hashCode}. The ones Java generates for a
 * record are method-handle chains that C1, the only compiler {@code ./xcfi} runs with, calls
 * several times slower (eight times in the benchmarks' {@code C1CostsBenchmark}), and the
 * substitution dictionary compares types for every component of every id.
 */
public sealed interface CType
        permits BuiltinType, BitIntType, ComplexType, VectorType, PointerType, BlockPointerType, QualifiedType, AtomicType,
                ArrayType, FunctionType, TagType, TypedefType {

    /** The type with every typedef looked through, as clang's canonical type. */
    CType canonical();

    /**
     * Whether {@code t} is its own canonical type, i.e. has no typedef anywhere in it. Asked with
     * {@code instanceof} tests rather than through {@link #canonical()}: an interface call per
     * component was a tenth of encoding an id, whose function type the parser already builds canonical.
     */
    static boolean isCanonical(CType t) {
        while (true) {
            if (t instanceof BuiltinType || t instanceof TagType || t instanceof BitIntType) return true;
            if (t instanceof PointerType p) t = p.pointee();
            else if (t instanceof QualifiedType q) t = q.base();
            else if (t instanceof TypedefType) return false;
            else if (t instanceof FunctionType f) return f.isCanonical();
            else if (t instanceof ArrayType a) t = a.element();
            else if (t instanceof AtomicType a) t = a.value();
            else if (t instanceof ComplexType c) t = c.element();
            else if (t instanceof VectorType v) t = v.element();
            else if (t instanceof BlockPointerType b) t = b.pointee();
            else return t.canonical() == t;
        }
    }

    /** This type with {@code qualifiers} added (merged with any it already has). */
    default CType qualified(Qualifiers qualifiers) {
        return QualifiedType.of(this, qualifiers);
    }

    /** The qualifiers at the top of this type (after looking through typedefs). */
    default Qualifiers qualifiers() {
        return canonical() instanceof QualifiedType q ? q.qualifiers() : Qualifiers.NONE;
    }

    /** This type without top-level qualifiers (after looking through typedefs). */
    default CType unqualified() {
        CType c = canonical();
        return c instanceof QualifiedType q ? q.base() : c;
    }
}
