package dev.xcfi.thunk;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.Target;

/**
 * How the C code that will call the thunks was built: the target, the id mode
 * ({@code -fsanitize-cfi-icall-experimental-normalize-integers},
 * {@code -fsanitize-cfi-icall-generalize-pointers}), the KCFI hash ({@code -fsanitize-kcfi-hash=}),
 * the patchable prefix ({@code -fpatchable-function-entry=N,M}: M nops between the hash and the
 * entry, so callers read the hash further back) and whether entries start with {@code endbr64}
 * ({@code -fcf-protection=branch}). The hash comes from this project's encoder, the single source of truth.
 */
public record CfiScheme(Target target, CfiMode mode, KcfiHash hash, int patchablePrefix, boolean endbr) {
    public CfiScheme {
        if (patchablePrefix < 0 || patchablePrefix > 64) throw new IllegalArgumentException("patchable prefix of " + patchablePrefix + " nops (0 to 64)");
    }

    public CfiScheme(Target target, CfiMode mode, KcfiHash hash) {
        this(target, mode, hash, 0, false);
    }

    /** The host target, xxHash64, plain ids: what {@code clang -fsanitize=kcfi} uses by default. */
    public static CfiScheme kcfiHost() {
        return new CfiScheme(Target.host(), CfiMode.PLAIN, KcfiHash.XXHASH64);
    }

    public CfiScheme withNormalizedIntegers() {
        return new CfiScheme(target, CfiMode.of(true, mode.generalizePointers()), hash, patchablePrefix, endbr);
    }

    public CfiScheme withGeneralizedPointers() {
        return new CfiScheme(target, CfiMode.of(mode.normalizeIntegers(), true), hash, patchablePrefix, endbr);
    }

    public CfiScheme withFnv1a() {
        return new CfiScheme(target, mode, KcfiHash.FNV1A, patchablePrefix, endbr);
    }

    /** Callers built with {@code -fpatchable-function-entry=N,nops}: the hash sits {@code nops} bytes further from the entry. */
    public CfiScheme withPatchablePrefix(int nops) {
        return new CfiScheme(target, mode, hash, nops, endbr);
    }

    /** Callers built with {@code -fcf-protection=branch} (IBT): every entry starts with {@code endbr64}. */
    public CfiScheme withEndbr() {
        return new CfiScheme(target, mode, hash, patchablePrefix, true);
    }

    /** The 32-bit KCFI type hash clang attaches to functions of this type (the encoder is not thread-safe: one per call). */
    int kcfi(FunctionType function) {
        return ClangEncoder.of(target).kcfi(function, mode, hash);
    }
}
