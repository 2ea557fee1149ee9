package dev.xcfi.encoding;

/**
 * The compiler that wrote a type id. clang and rustc fill the substitution dictionary differently
 * for a function pointer: clang registers the function type {@code F…E} and then the pointer
 * {@code PF…E}, rustc only the pointer. Every back-reference after a function pointer is therefore
 * numbered one lower in rustc's ids ({@code _ZTSFvPFviEPcS0_E} against clang's
 * {@code _ZTSFvPFviEPcS1_E} for {@code void (void (*)(int), char *, char *)}), so an id can only be
 * read back knowing which of the two wrote it.
 */
public enum Compiler {
    CLANG,
    RUSTC;

    /** Whether a function pointer's function type is a dictionary entry of its own (clang's, Itanium's rule). */
    boolean registersFunctionTypes() {
        return this == CLANG;
    }
}
