package dev.xcfi.types.rust;

/**
 * {@code [T; N]}. Inside an ADT definition the length may be one of its const generic parameters
 * ({@code struct Arr<const N: usize>([u8; N])}): that is a negative {@code length}, see
 * {@link #lengthOfParam}, replaced by the argument when the ADT is used.
 */
public record ArrayType(RustType element, long length) implements RustType {
    /** The length standing for the ADT's generic parameter number {@code index}. */
    public static long lengthOfParam(int index) {
        return -1L - index;
    }

    /** The generic parameter index this length stands for, or -1 for a literal length. */
    public int lengthParam() {
        return length < 0 ? (int) (-1L - length) : -1;
    }

    @Override
    public RustType resolved() {
        RustType r = element.resolved();
        return r == element ? this : new ArrayType(r, length);
    }
}
