package dev.xcfi.verify.facts;

import java.util.List;

/**
 * A type as a module's debug information spells it (DWARF's vocabulary, as LLVM keeps it), only as
 * deep as a function type's CFI id needs: a struct, union or enum is its tag and name, never its
 * members. Debug information is the one place in a module that still names the types behind its
 * opaque pointers ({@code struct ctx *}), which is what a KCFI hash of such a type needs to be read.
 */
public sealed interface DebugType {
    /** DWARF tags LLVM uses for C's types. */
    int ARRAY = 0x01, ENUMERATION = 0x04, MEMBER = 0x0d, POINTER = 0x0f, STRUCTURE = 0x13, SUBROUTINE = 0x15, TYPEDEF = 0x16,
            UNION = 0x17, BASE = 0x24, CONST = 0x26, VOLATILE = 0x35, RESTRICT = 0x37, ATOMIC = 0x47;
    /** LLVM's {@code DIFlagVector}: an array type that is a vector ({@code vector_size}). */
    int VECTOR_FLAG = 1 << 11;

    /** A null where a type could be: {@code void} as a result or pointee; at the end of a parameter list, "more arguments". */
    None NONE = new None();

    record None() implements DebugType {}

    /**
     * A builtin type, by the name the compiler gave it ({@code "unsigned long"}, {@code "_Bool"}),
     * and for the one name clang gives several types, {@code "complex"}, its size in bits (0 otherwise).
     */
    record Basic(String name, long bits) implements DebugType {
        public static final String COMPLEX = "complex";
    }

    /** A pointer, qualifier, typedef (with its name) or member over {@code base}. */
    record Derived(int tag, String name, DebugType base) implements DebugType {}

    /**
     * A struct, union or enum ({@code tag} and {@code name}; an anonymous one has name ""), or an
     * array of {@code element} with a count per dimension (-1 when unknown), a vector if {@code vector}.
     */
    record Composite(int tag, String name, DebugType element, List<Long> counts, boolean vector) implements DebugType {
        public Composite {
            counts = List.copyOf(counts);
        }
    }

    /** A function type: the result, then the parameters; a trailing {@link #NONE} marks "more arguments". */
    record Function(List<DebugType> types) implements DebugType {
        public Function {
            types = List.copyOf(types);
        }
    }

    /** Anything else (another language's construct, a node that is not a type). */
    Other OTHER = new Other();

    record Other() implements DebugType {}

    /**
     * A compact spelling that tells types apart and orders them the same way for any reader
     * (written out: a record's generated {@code toString} is linked on first use, and walks deep types slowly).
     */
    static void key(DebugType t, StringBuilder out) {
        if (t instanceof None) {
            out.append('0');
        } else if (t instanceof Basic b) {
            out.append('B').append(b.name()).append('/').append(b.bits()).append(';');
        } else if (t instanceof Derived d) {
            out.append('D').append(d.tag()).append(' ').append(d.name()).append(';');
            key(d.base(), out);
        } else if (t instanceof Composite c) {
            out.append('C').append(c.tag()).append(' ').append(c.name()).append(c.vector() ? "v" : "").append(c.counts()).append(';');
            key(c.element(), out);
        } else if (t instanceof Function f) {
            out.append('F').append(f.types().size()).append('(');
            for (DebugType p : f.types()) key(p, out);
            out.append(')');
        } else if (t instanceof Other) {
            out.append('O');
        }
    }
}
