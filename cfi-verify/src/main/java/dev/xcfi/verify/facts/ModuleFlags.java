package dev.xcfi.verify.facts;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The module flags that decide which CFI scheme a module was built for. An absent
 * {@code kcfi-hash} means xxHash64: rustc 1.95 never writes it.
 */
public record ModuleFlags(boolean kcfi, Optional<String> kcfiHash, OptionalInt kcfiOffset, OptionalInt kcfiArity,
                          boolean normalizeIntegers, boolean crossDso, boolean canonicalJumpTables) {
    public static final ModuleFlags NONE = new ModuleFlags(false, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false, false, false);
}
