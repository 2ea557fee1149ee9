package dev.xcfi.types.rust;

import java.util.Locale;

/** Rust's primitive scalar types, and {@code str} and {@code !}. */
public enum Scalar implements RustType {
    I8(8, true), I16(16, true), I32(32, true), I64(64, true), I128(128, true), ISIZE(0, true),
    U8(8, false), U16(16, false), U32(32, false), U64(64, false), U128(128, false), USIZE(0, false),
    F16, F32, F64, F128, BOOL, CHAR, STR, NEVER;

    private final int bits;
    private final boolean signed;
    private final boolean integer;
    /** Computed once: encoders ask for it on every integer they write. */
    private final String spelling = name().equals("NEVER") ? "!" : name().toLowerCase(Locale.ROOT);

    Scalar(int bits, boolean signed) {
        this.bits = bits;
        this.signed = signed;
        this.integer = true;
    }

    Scalar() {
        this.bits = 0;
        this.signed = false;
        this.integer = false;
    }

    public boolean isInteger() {
        return integer;
    }

    public boolean isSigned() {
        return signed;
    }

    /** Width in bits; 0 for {@code isize}/{@code usize}, whose width is the target's pointer width. */
    public int bits() {
        return bits;
    }

    /** The Rust spelling: {@code i64}, {@code usize}, {@code str}, {@code !}. */
    public String spelling() {
        return spelling;
    }

    /** The fixed-width integer of the given width and sign. */
    public static Scalar integer(int bits, boolean signed) {
        for (Scalar s : values()) if (s.integer && s.bits == bits && s.signed == signed) return s;
        throw new IllegalArgumentException("no " + bits + "-bit integer");
    }

    public static Scalar ofSpelling(String s) {
        for (Scalar v : values()) if (v.spelling().equals(s)) return v;
        return null;
    }

    @Override
    public RustType resolved() {
        return this;
    }
}
