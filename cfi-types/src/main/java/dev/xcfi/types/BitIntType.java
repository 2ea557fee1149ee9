package dev.xcfi.types;

/** C23 {@code _BitInt(N)} and {@code unsigned _BitInt(N)}. */
public record BitIntType(boolean signed, int bits) implements CType {
    public BitIntType {
        if (bits < (signed ? 2 : 1)) throw new IllegalArgumentException("_BitInt width too small: " + bits);
    }

    @Override
    public CType canonical() {
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BitIntType b && signed == b.signed && bits == b.bits;
    }

    @Override
    public int hashCode() {
        return signed ? bits : -bits;
    }
}
