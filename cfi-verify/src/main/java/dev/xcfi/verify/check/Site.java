package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.Compiler;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;

import java.util.Optional;

/** A function as one module sees it: its definition there, or its declaration. */
record Site(ModuleFacts module, FunctionFacts function) {
    /** The id it carries in {@code mode}, if any (rustc attaches four variants, clang two). */
    Optional<String> id(CfiMode mode) {
        for (TypeAttachment t : function.typeIds()) {
            if (t.id() instanceof TypeIdRef.Named n && CfiMode.ofSuffixes(n.id()).equals(mode)) return Optional.of(n.id());
        }
        return Optional.empty();
    }

    String where() {
        return where(module);
    }

    /** A module as reports name it: its file, with {@code #n} for the later modules of a multi-module file. */
    static String where(ModuleFacts m) {
        return m.module() == 0 ? m.path() : m.path() + "#" + m.module();
    }

    /** Whether rustc wrote the module (its producer reads like "LLVM22.1.2-rust-1.95.0-stable"). */
    boolean isRust() {
        return isRust(module);
    }

    static boolean isRust(ModuleFacts m) {
        return m.producer().contains("-rust-");
    }

    /** The compiler that wrote the module's ids: they read back only by its numbering ({@link Compiler}). */
    static Compiler writer(ModuleFacts m) {
        return isRust(m) ? Compiler.RUSTC : Compiler.CLANG;
    }
}
