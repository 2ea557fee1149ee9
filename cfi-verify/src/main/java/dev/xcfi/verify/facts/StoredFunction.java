package dev.xcfi.verify.facts;

/**
 * The address of {@code function} kept in memory rather than passed to a call: held by the
 * initializer of global {@code holder} (an operations table, a vtable, a Rust {@code static}), or
 * stored by an instruction of function {@code holder} ({@code ops->log = f}, a Rust struct of
 * callbacks built on the stack). Whoever reads it back may call it through a checked pointer
 * whose type the IR no longer says (pointers are opaque), so rules can only compare its id with
 * the ids the program's checks test. {@code source}: with debug information, the global's place
 * in the source, or the (first) storing instruction's.
 */
public record StoredFunction(Kind kind, String holder, String function, SourceLocation source) {
    public StoredFunction(Kind kind, String holder, String function) {
        this(kind, holder, function, SourceLocation.NONE);
    }

    public enum Kind {
        /** In the initializer of the global {@code holder}. */
        INITIALIZER,
        /** Stored by a {@code store} instruction in the function {@code holder}. */
        STORE
    }

    /**
     * How deep into nested structs and arrays both readers look: real tables nest a few levels (a
     * table of structs of tables); the bound keeps a crafted initializer from costing more.
     */
    public static final int MAX_NESTING = 32;

    /** {@code llvm.used}, {@code llvm.global_ctors} …: lists the toolchain reads, not tables the program calls through. */
    public static boolean isToolchainGlobal(String name) {
        return name.startsWith("llvm.");
    }

    /** "in ops" or "to memory by register_ops": where a report says it is kept (part of a finding's identity: no line numbers). */
    public String where() {
        return kind == Kind.INITIALIZER ? "in " + holder : "to memory by " + holder;
    }

    /** {@link #where}, and its place in the source when the module has debug information (the global's definition, the first store). */
    public String placed() {
        return where() + (source.isKnown() ? " (at " + source + ")" : "");
    }
}
