package dev.xcfi.types;

/**
 * The qualifiers clang mangles on a type: {@code const}, {@code volatile}, {@code restrict} and an
 * address space ({@code __attribute__((address_space(N)))}, 0 = the default space).
 */
public record Qualifiers(boolean isConst, boolean isVolatile, boolean isRestrict, int addressSpace) {
    public static final Qualifiers NONE = new Qualifiers(false, false, false, 0);
    public static final Qualifiers CONST = new Qualifiers(true, false, false, 0);
    public static final Qualifiers VOLATILE = new Qualifiers(false, true, false, 0);
    public static final Qualifiers RESTRICT = new Qualifiers(false, false, true, 0);

    public Qualifiers {
        if (addressSpace < 0) throw new IllegalArgumentException("negative address space " + addressSpace);
    }

    public static Qualifiers addressSpace(int space) {
        return new Qualifiers(false, false, false, space);
    }

    public boolean isEmpty() {
        return !isConst && !isVolatile && !isRestrict && addressSpace == 0;
    }

    /** Only the C/V/restrict part: what pointer generalization keeps of a pointee. */
    public Qualifiers cvr() {
        return new Qualifiers(isConst, isVolatile, isRestrict, 0);
    }

    public Qualifiers with(Qualifiers other) {
        if (addressSpace != 0 && other.addressSpace != 0 && addressSpace != other.addressSpace) {
            throw new IllegalArgumentException("conflicting address spaces " + addressSpace + " and " + other.addressSpace);
        }
        return new Qualifiers(isConst || other.isConst, isVolatile || other.isVolatile,
                isRestrict || other.isRestrict, Math.max(addressSpace, other.addressSpace));
    }

    public Qualifiers without(Qualifiers other) {
        return new Qualifiers(isConst && !other.isConst, isVolatile && !other.isVolatile,
                isRestrict && !other.isRestrict, other.addressSpace != 0 ? 0 : addressSpace);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Qualifiers q && isConst == q.isConst && isVolatile == q.isVolatile
                && isRestrict == q.isRestrict && addressSpace == q.addressSpace;
    }

    @Override
    public int hashCode() {
        return (isConst ? 1 : 0) | (isVolatile ? 2 : 0) | (isRestrict ? 4 : 0) | addressSpace << 3;
    }
}
