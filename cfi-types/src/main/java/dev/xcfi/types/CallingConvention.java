package dev.xcfi.types;

/**
 * The calling conventions clang distinguishes in a function type. Only some are mangled into CFI
 * ids ({@link #mangledName()}); the others still make a different type (they break substitution).
 */
public enum CallingConvention {
    C(null),
    STDCALL("stdcall"),
    FASTCALL("fastcall"),
    /** {@code ms_abi} on a non-Windows x86-64 target. */
    WIN64("ms_abi"),
    /** {@code sysv_abi} on Windows x86-64. */
    X86_64_SYSV("sysv_abi"),
    SWIFT("swiftcall"),
    SWIFT_ASYNC("swiftasynccall"),
    /** Accepted and part of the type, never mangled. */
    VECTORCALL(null),
    REGCALL(null),
    PRESERVE_MOST(null),
    PRESERVE_ALL(null),
    PRESERVE_NONE(null);

    private final String mangledName;

    CallingConvention(String mangledName) {
        this.mangledName = mangledName;
    }

    /** The vendor-qualifier name clang mangles ({@code U7stdcall}), or null when not mangled. */
    public String mangledName() {
        return mangledName;
    }
}
