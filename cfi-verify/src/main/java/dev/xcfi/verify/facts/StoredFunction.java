package dev.xcfi.verify.facts;

/**
 * The address of {@code function} in the initializer of global {@code global}: an operations table,
 * a vtable, a callback variable. Whoever reads it from there may call it through a checked pointer
 * whose type the IR no longer says (pointers are opaque), so rules can only compare its id with the
 * ids the program's checks test.
 */
public record StoredFunction(String global, String function) {
    /**
     * How deep into nested structs and arrays both readers look: real tables nest a few levels (a
     * table of structs of tables); the bound keeps a crafted initializer from costing more.
     */
    public static final int MAX_NESTING = 32;

    /** {@code llvm.used}, {@code llvm.global_ctors} …: lists the toolchain reads, not tables the program calls through. */
    public static boolean isToolchainGlobal(String name) {
        return name.startsWith("llvm.");
    }
}
