package dev.xcfi.types;

import java.util.Objects;

/** {@code T[N]}, {@code T[]}, a variable-length {@code T[n]} / {@code T[*]}, or a length xcfi cannot compute. */
public record ArrayType(CType element, Size size) implements CType {

    /** How the array's length is known. */
    public sealed interface Size {
        /** {@code [N]} (also {@code [static N]} before decay). */
        record Fixed(long length) implements Size {
            public Fixed {
                if (length < 0) throw new IllegalArgumentException("negative array length " + length);
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Fixed f && length == f.length;
            }

            @Override
            public int hashCode() {
                return Long.hashCode(length);
            }
        }

        /** {@code []}. */
        record Incomplete() implements Size {
            @Override
            public boolean equals(Object o) {
                return o instanceof Incomplete;
            }

            @Override
            public int hashCode() {
                return 1;
            }
        }

        /**
         * {@code [n]} with a non-constant {@code n}, or {@code [*]}: prints as {@code A_}, but clang
         * never unifies variable-length array types, so every occurrence is a type of its own (equality
         * is identity) and never a substitution of another.
         */
        final class Variable implements Size {
            @Override
            public String toString() {
                return "Variable@" + Integer.toHexString(System.identityHashCode(this));
            }
        }

        /**
         * {@code [sizeof(struct S)]}: a constant length clang computes and xcfi does not (it does
         * not lay out records). Such an array may be declared, and a parameter of that type decays
         * to a pointer as any other; an id that would spell the length cannot be given.
         *
         * @param why what xcfi does not do that the length needs, for the error an id that spells it is
         */
        record Unknown(String expression, String why) implements Size {}

        Incomplete INCOMPLETE = new Incomplete();

        static Variable variable() {
            return new Variable();
        }
    }

    public ArrayType {
        Objects.requireNonNull(element);
        Objects.requireNonNull(size);
    }

    @Override
    public CType canonical() {
        CType c = element.canonical();
        return c == element ? this : new ArrayType(c, size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayType a && size.equals(a.size) && element.equals(a.element);
    }

    @Override
    public int hashCode() {
        return 31 * element.hashCode() + size.hashCode();
    }
}
