package dev.xcfi.encoding;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The CFI type id of a function type in one {@link CfiMode}, as a compiler forms it.
 *
 * @param mangling  {@code _ZTS<mangled type>} without suffixes
 * @param mode      the variant
 * @param salt      the KCFI salt ({@code cfi_salt}), "" for none; it changes KCFI only
 * @param internal  the type has no linkage: clang emits a {@code distinct !{}} node for cfi-icall
 *                  instead of a string (KCFI still hashes {@link #kcfiInput()})
 */
public record TypeId(String mangling, CfiMode mode, String salt, boolean internal) {
    public static final String INTERNAL = "<internal>";

    public TypeId {
        Objects.requireNonNull(mangling);
        Objects.requireNonNull(mode);
        Objects.requireNonNull(salt);
    }

    /** The string that would be the id: mangling plus {@code .normalized}/{@code .generalized}. */
    public String string() {
        String suffix = mode.suffix();
        return suffix.isEmpty() ? mangling : mangling + suffix;
    }

    /** What {@code llvm.type.test} and {@code !type} carry: {@link #string()}, or {@code <internal>}. */
    public String value() {
        return internal ? INTERNAL : string();
    }

    /** The string KCFI hashes: the salt goes between the mangling and the mode suffixes. */
    public String kcfiInput() {
        return salt.isEmpty() ? string() : mangling + "." + salt + mode.suffix();
    }

    public int kcfi(KcfiHash algorithm) {
        return algorithm.hash(kcfiInput());
    }

    /** The cross-DSO id, which exists only for string ids in non-generalized modes. */
    public OptionalLong crossDso() {
        return internal || mode.generalizePointers() ? OptionalLong.empty() : OptionalLong.of(CrossDsoId.of(string()));
    }
}
