package dev.xcfi.verify.facts;

/**
 * The operand of a {@code !type} attachment or a type test: an id string, or — for types without
 * linkage — a {@code distinct !{}} node, which only identifies itself within its own module; or,
 * in cross-DSO builds, the 64-bit cross-DSO id (an attachment {@code !{i64 0, i64 id}} and the
 * first argument of {@code __cfi_slowpath}).
 */
public sealed interface TypeIdRef {
    /** A type id string such as {@code _ZTSFvlE} or {@code _ZTSFvlE.generalized}. */
    record Named(String id) implements TypeIdRef {
        /**
         * Whether it is a function type's id, the kind indirect calls test ({@code _ZTSF…}). C++'s
         * other checks test class ids ({@code _ZTS4Base}: cfi-vcall, cfi-nvcall, the cast checks)
         * and member-function ids ({@code _ZTSM4BaseFiiE.virtual}: cfi-mfcall), which vtables carry,
         * not functions.
         */
        public boolean isFunctionType() {
            return id.startsWith("_ZTSF") && !id.endsWith(".virtual");
        }
    }

    /** A distinct metadata node, numbered in the order the reader met it in its module. */
    record Distinct(int node) implements TypeIdRef {}

    /** A cross-DSO id: the first 8 bytes of the MD5 of the id string, as clang computes it. */
    record CrossDso(long id) implements TypeIdRef {}

    static TypeIdRef named(String id) {
        return new Named(id);
    }
}
