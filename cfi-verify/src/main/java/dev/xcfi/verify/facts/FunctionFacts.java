package dev.xcfi.verify.facts;

import java.util.List;
import java.util.OptionalInt;

/**
 * What CFI sees of one function: its {@code !type} ids (rustc attaches four variants, clang two),
 * its {@code !kcfi_type} hash and, for a function with one, its IR type ({@link Signature}; empty
 * otherwise: only a hash needs it to be explained) and, with debug information, where its source
 * is ({@code source}: the definition's line, or a declaration's where the compiler describes it).
 */
public record FunctionFacts(String name, boolean definition, Linkage linkage, List<TypeAttachment> typeIds, OptionalInt kcfiType,
                            String signature, SourceLocation source) {
    public FunctionFacts {
        typeIds = List.copyOf(typeIds);
    }

    public FunctionFacts(String name, boolean definition, Linkage linkage, List<TypeAttachment> typeIds, OptionalInt kcfiType, String signature) {
        this(name, definition, linkage, typeIds, kcfiType, signature, SourceLocation.NONE);
    }

    public boolean isIntrinsic() {
        return isIntrinsic(name);
    }

    /** Names under {@code llvm.} are reserved for intrinsics (known to a given LLVM or not). */
    public static boolean isIntrinsic(String name) {
        return name.startsWith("llvm.");
    }

    /** LLVM's linkage kinds, in the C API's LLVMLinkage order. */
    public enum Linkage {
        EXTERNAL, AVAILABLE_EXTERNALLY, LINK_ONCE_ANY, LINK_ONCE_ODR, LINK_ONCE_ODR_AUTO_HIDE, WEAK_ANY, WEAK_ODR,
        APPENDING, INTERNAL, PRIVATE, DLL_IMPORT, DLL_EXPORT, EXTERNAL_WEAK, GHOST, COMMON, LINKER_PRIVATE, LINKER_PRIVATE_WEAK;

        public static Linkage of(int llvmLinkage) {
            Linkage[] all = values();
            return llvmLinkage >= 0 && llvmLinkage < all.length ? all[llvmLinkage] : EXTERNAL;
        }

        /** A definition the linker drops when another module has a strong one (C's {@code __attribute__((weak))}, inline functions). */
        public boolean isReplaceable() {
            return this == WEAK_ANY || this == WEAK_ODR || this == LINK_ONCE_ANY || this == LINK_ONCE_ODR || this == LINK_ONCE_ODR_AUTO_HIDE
                    || this == COMMON || this == EXTERNAL_WEAK;
        }

        /** Visible to other modules at link time. */
        public boolean isExported() {
            return this != INTERNAL && this != PRIVATE && this != LINKER_PRIVATE && this != LINKER_PRIVATE_WEAK;
        }
    }
}
