package dev.xcfi.verify.check;

import java.util.Map;
import java.util.Optional;

/** Concrete repairs for id mismatches between clang and rustc. */
final class Fixes {
    /** C integer types and their Itanium codes: the #[cfi_encoding] a Rust newtype needs to encode as that C type. */
    private static final Map<String, String> C_INTEGER_CODES = Map.ofEntries(
            Map.entry("char", "c"), Map.entry("signed char", "a"), Map.entry("unsigned char", "h"), Map.entry("short", "s"),
            Map.entry("unsigned short", "t"), Map.entry("int", "i"), Map.entry("unsigned int", "j"), Map.entry("long", "l"),
            Map.entry("unsigned long", "m"), Map.entry("long long", "x"), Map.entry("unsigned long long", "y"));
    private Fixes() {}

    static String suggest(String idA, String idB, Optional<IdExplainer.Difference> difference) {
        boolean rustA = IdExplainer.isRustc(idA), rustB = IdExplainer.isRustc(idB);
        if (rustA != rustB && difference.isPresent()) {
            IdExplainer.Difference d = difference.get();
            if (d.left() != null) {
                String c = rustA ? d.right() : d.left(), rust = rustA ? d.left() : d.right();
                String code = C_INTEGER_CODES.get(c);
                if (code != null) {
                    return "on the Rust side use a newtype that encodes as C `" + c + "`: #[repr(transparent)] #[cfi_encoding = \"" + code
                            + "\"] pub struct " + newtypeName(c) + "(pub " + rust + "); (the cfi_types crate provides these), "
                            + "or build both sides with integer normalization (clang -fsanitize-cfi-icall-experimental-normalize-integers, "
                            + "rustc -Zsanitizer-cfi-normalize-integers)";
                }
            }
            return "declare the Rust side with types that encode exactly like the C definition's";
        }
        return "make the declaration's parameter and return types the same as the definition's";
    }

    private static String newtypeName(String c) {
        StringBuilder out = new StringBuilder("C");
        for (String w : c.split(" ")) out.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        return out.toString();
    }
}
