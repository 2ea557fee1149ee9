package dev.xcfi.encoding;

import dev.xcfi.encoding.rust.RustSymbol;

import java.util.Optional;

/**
 * A symbol as people read it: a Rust v0 symbol as its path ({@link RustSymbol}), a C++ symbol as
 * {@code llvm-cxxfilt} prints it ({@link ItaniumDemangler}); a C symbol, or one neither reads,
 * has no other name.
 */
public final class SymbolNames {
    private SymbolNames() {}

    public static Optional<String> demangle(String symbol) {
        Optional<String> rust = RustSymbol.demangle(symbol);
        return rust.isPresent() ? rust : ItaniumDemangler.symbol(symbol);
    }
}
