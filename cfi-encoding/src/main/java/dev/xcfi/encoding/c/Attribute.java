package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.Token;
import dev.xcfi.types.CallingConvention;
import dev.xcfi.types.Target;

import java.util.List;
import java.util.Set;

/** A GNU {@code __attribute__((name(args)))} or C23 {@code [[vendor::name(args)]]}, vendor prefix dropped. */
record Attribute(String name, List<Token> arguments, SourceLocation location) {
    /**
     * GNU attributes clang 22 has besides those that change ids: what {@code __has_attribute}
     * answers 1 for, so that headers take the branch they take under clang (the ones that change
     * ids above all: {@code #if __has_attribute(cfi_salt)}).
     */
    private static final Set<String> COMMON = Set.of("access", "alias", "aligned", "alloc_align", "alloc_size", "always_inline",
            "artificial", "cleanup", "cold", "const", "constructor", "counted_by", "deprecated", "destructor", "error", "fallthrough",
            "flatten", "format", "format_arg", "gnu_inline", "hot", "leaf", "malloc", "may_alias", "no_instrument_function",
            "noinline", "nonnull", "nonstring", "nothrow", "packed", "pure", "returns_nonnull", "returns_twice", "section", "sentinel",
            "unavailable", "unused", "used", "visibility", "warn_unused_result", "warning", "weak", "weakref");
    /** Attributes that change ids, and that xcfi applies. */
    private static final Set<String> ENCODED = Set.of("cfi_salt", "transparent_union", "vector_size", "ext_vector_type", "mode", "address_space",
            "noreturn", "noescape");

    /** {@code __has_attribute(name)} as clang 22 answers it for {@code target} (a calling convention only where the target has it). */
    static boolean supported(String name, Target target) {
        String n = plainName(name);
        if (ENCODED.contains(n) || COMMON.contains(n)) return true;
        CallingConvention cc = CallingConventions.of(n, target);
        return cc != null && cc != CallingConvention.C;
    }

    /** An attribute's name without the underscores that may wrap it ({@code __noreturn__} is {@code noreturn}). */
    static String plainName(String name) {
        return name.length() > 4 && name.startsWith("__") && name.endsWith("__") ? name.substring(2, name.length() - 2) : name;
    }

    /** The first argument's string: its literal's value, adjacent literals joined ({@code "a" "b"} is {@code ab}), or null. */
    String stringArgument() {
        StringBuilder value = null;
        for (Token t : arguments) {
            if (t.kind() == Token.Kind.STRING) {
                if (value == null) value = new StringBuilder();
                value.append(LiteralText.decode(t.text()));
            } else if (value != null) {
                break;
            }
        }
        return value == null ? null : value.toString();
    }
}
