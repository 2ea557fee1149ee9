package dev.xcfi.types.rust;

/**
 * {@code core::num::NonZero<T>} ({@code NonZeroU32} and the other aliases): a transparent wrapper
 * of the pattern type {@code T is 1..} (unsigned) or {@code T is (T::MIN..=-1 | 1..)} (signed),
 * which is what rustc 1.95 encodes: {@code u3patI<T><pattern>E}, the pattern as rustc prints it.
 *
 * @param integer  the integer it holds, never zero
 */
public record NonZero(Scalar integer) implements RustType {
    public NonZero {
        if (!integer.isInteger()) throw new IllegalArgumentException("NonZero holds an integer, not " + integer.spelling());
    }

    /** The pattern as rustc writes it into an id (with the integer's own name: normalization renames it). */
    public String pattern() {
        return integer.isSigned() ? "(" + integer.spelling() + "::MIN..=-1 | 1..)" : "1..";
    }

    @Override
    public RustType resolved() {
        return this;
    }
}
