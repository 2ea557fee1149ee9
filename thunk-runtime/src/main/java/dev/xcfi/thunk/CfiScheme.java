package dev.xcfi.thunk;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.Target;

/**
 * How the C code that will call the thunks was built: the target, the id mode
 * ({@code -fsanitize-cfi-icall-experimental-normalize-integers},
 * {@code -fsanitize-cfi-icall-generalize-pointers}) and the KCFI hash
 * ({@code -fsanitize-kcfi-hash=}). The hash comes from this project's encoder, the single source of truth.
 */
public record CfiScheme(Target target, CfiMode mode, KcfiHash hash) {
    /** The host target, xxHash64, plain ids: what {@code clang -fsanitize=kcfi} uses by default. */
    public static CfiScheme kcfiHost() {
        return new CfiScheme(Target.host(), CfiMode.PLAIN, KcfiHash.XXHASH64);
    }

    public CfiScheme withNormalizedIntegers() {
        return new CfiScheme(target, CfiMode.of(true, mode.generalizePointers()), hash);
    }

    public CfiScheme withGeneralizedPointers() {
        return new CfiScheme(target, CfiMode.of(mode.normalizeIntegers(), true), hash);
    }

    public CfiScheme withFnv1a() {
        return new CfiScheme(target, mode, KcfiHash.FNV1A);
    }

    /** The 32-bit KCFI type hash clang attaches to functions of this type (the encoder is not thread-safe: one per call). */
    int kcfi(FunctionType function) {
        return ClangEncoder.of(target).kcfi(function, mode, hash);
    }
}
