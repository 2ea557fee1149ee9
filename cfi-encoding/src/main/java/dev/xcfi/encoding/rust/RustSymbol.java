package dev.xcfi.encoding.rust;

import java.util.Optional;

/**
 * A Rust v0 symbol name ({@code _RNvCs7ngQQSalhaX_3ops8rust_log}) read back as its path
 * ({@code ops::rust_log}, {@code <ops::Logger>::log}, {@code <ops::Square as ops::Shape>::area}),
 * for reports: rustc's symbols for functions that are not {@code #[no_mangle]} name nothing a
 * person recognizes. Read: crates, nested names, closures and shims, inherent and trait impls,
 * generic arguments that are types (scalars, paths, references, raw pointers, slices, tuples),
 * back-references. A symbol with anything else (lifetimes, consts, arrays, fn pointers, trait
 * objects, Punycode identifiers) is left alone (empty), never guessed. A suffix after {@code .}
 * (LTO's {@code .llvm.123}, a promoted local's hash) is not part of the name. Printed as LLVM's
 * demangler prints it ({@code RustSymbolTest} compares the two).
 */
public final class RustSymbol {
    /** Back-references can chain; a symbol is short, so a small bound keeps a crafted one cheap. */
    private static final int MAX_DEPTH = 32;
    private final String s;
    private int pos;

    private RustSymbol(String s) {
        this.s = s;
    }

    public static Optional<String> demangle(String symbol) {
        if (!symbol.startsWith("_R")) return Optional.empty();
        int dot = symbol.indexOf('.');
        RustSymbol r = new RustSymbol(symbol.substring(2, dot < 0 ? symbol.length() : dot));
        try {
            if (r.pos < r.s.length() && Character.isDigit(r.s.charAt(r.pos))) r.decimal();   // encoding version
            StringBuilder out = new StringBuilder();
            r.path(out, false, 0);
            return Optional.of(out.toString());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /**
     * path = "C" identifier | "N" namespace path identifier | "M" impl-path type | "X" impl-path type
     * path | "Y" type path | "I" path {generic-arg} "E" | "B" base-62-number. {@code inType}: a path
     * naming a type, whose generic arguments follow without {@code ::}.
     */
    private void path(StringBuilder out, boolean inType, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("nested too deep");
        char tag = s.charAt(pos++);
        switch (tag) {
            case 'C' -> out.append(identifier().name());
            case 'N' -> {
                char namespace = s.charAt(pos++);
                path(out, inType, depth + 1);
                Identifier id = identifier();
                out.append("::");
                if (Character.isLowerCase(namespace)) out.append(id.name());
                else out.append('{').append(namespace == 'C' ? "closure" : namespace == 'S' ? "shim" : String.valueOf(namespace))
                        .append(id.name().isEmpty() ? "" : ":" + id.name()).append('#').append(id.disambiguator()).append('}');
            }
            case 'M', 'X' -> {   // an impl: its own path (where it is written) is not printed, its type is
                if (s.charAt(pos) == 's') {
                    pos++;
                    base62();
                }
                path(new StringBuilder(), false, depth + 1);
                out.append('<');
                type(out, depth + 1);
                if (tag == 'X') {
                    out.append(" as ");
                    path(out, true, depth + 1);
                }
                out.append('>');
            }
            case 'Y' -> {
                out.append('<');
                type(out, depth + 1);
                out.append(" as ");
                path(out, true, depth + 1);
                out.append('>');
            }
            case 'I' -> {
                path(out, inType, depth + 1);
                out.append(inType ? "<" : "::<");
                for (boolean first = true; s.charAt(pos) != 'E'; first = false) {
                    if (s.charAt(pos) == 'L' || s.charAt(pos) == 'K') throw new IllegalArgumentException("a lifetime or const argument");
                    if (!first) out.append(", ");
                    type(out, depth + 1);
                }
                pos++;
                out.append('>');
            }
            case 'B' -> backReference(() -> path(out, inType, depth + 1));
            default -> throw new IllegalArgumentException("not a path: " + tag);
        }
    }

    /** Basic types by their letter ({@code a} i8 … {@code z} !). */
    private static final String[] BASIC = new String[26];

    static {
        String[][] basic = {{"a", "i8"}, {"b", "bool"}, {"c", "char"}, {"d", "f64"}, {"e", "str"}, {"f", "f32"}, {"h", "u8"}, {"i", "isize"},
                {"j", "usize"}, {"l", "i32"}, {"m", "u32"}, {"n", "i128"}, {"o", "u128"}, {"p", "_"}, {"s", "i16"}, {"t", "u16"}, {"u", "()"},
                {"v", "..."}, {"x", "i64"}, {"y", "u64"}, {"z", "!"}};
        for (String[] b : basic) BASIC[b[0].charAt(0) - 'a'] = b[1];
    }

    /** type: a basic type, a path, {@code &}/{@code &mut}/{@code *const}/{@code *mut} of a type, a slice, a tuple, or a back-reference. */
    private void type(StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("nested too deep");
        char tag = s.charAt(pos);
        if (tag >= 'a' && tag <= 'z' && BASIC[tag - 'a'] != null) {
            pos++;
            out.append(BASIC[tag - 'a']);
            return;
        }
        switch (tag) {
            case 'C', 'N', 'M', 'X', 'Y', 'I' -> path(out, true, depth + 1);
            case 'R', 'Q', 'P', 'O' -> {
                pos++;
                if (s.charAt(pos) == 'L') throw new IllegalArgumentException("a lifetime");
                out.append(tag == 'R' ? "&" : tag == 'Q' ? "&mut " : tag == 'P' ? "*const " : "*mut ");
                type(out, depth + 1);
            }
            case 'S' -> {
                pos++;
                out.append('[');
                type(out, depth + 1);
                out.append(']');
            }
            case 'T' -> {
                pos++;
                out.append('(');
                int n = 0;
                for (; s.charAt(pos) != 'E'; n++) {
                    if (n > 0) out.append(", ");
                    type(out, depth + 1);
                }
                pos++;
                out.append(n == 1 ? ",)" : ")");
            }
            case 'B' -> {
                pos++;
                backReference(() -> type(out, depth + 1));
            }
            default -> throw new IllegalArgumentException("not a type read here: " + tag);
        }
    }

    /** Reads what a back-reference (its number next) points at, then goes on after the reference. */
    private void backReference(Runnable read) {
        long target = base62();
        if (target < 0 || target >= pos - 1) throw new IllegalArgumentException("a back-reference must point backwards");
        int resume = pos;
        pos = (int) target;
        read.run();
        pos = resume;
    }

    private record Identifier(long disambiguator, String name) {}

    /** identifier = ["s" base-62-number] decimal-number ["_"] bytes (no "u": Punycode is not read). */
    private Identifier identifier() {
        long disambiguator = 0;
        if (s.charAt(pos) == 's') {
            pos++;
            disambiguator = base62() + 1;
        }
        if (s.charAt(pos) == 'u') throw new IllegalArgumentException("Punycode identifier");
        int length = decimal();
        if (s.charAt(pos) == '_') pos++;
        if (length > s.length() - pos) throw new IllegalArgumentException("identifier past the end");
        String name = s.substring(pos, pos + length);
        pos += length;
        return new Identifier(disambiguator, name);
    }

    private int decimal() {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
        if (start == pos || pos - start > 6) throw new IllegalArgumentException("bad decimal number");
        return Integer.parseInt(s, start, pos, 10);
    }

    /**
     * base-62-number = {0-9a-zA-Z} "_": "_" is 0, "0_" is 1, and so on. A crate's disambiguator
     * is a 64-bit hash and may not fit a long: it wraps, which only a back-reference would mind
     * (and a wrapped one points nowhere valid).
     */
    private long base62() {
        if (s.charAt(pos) == '_') {
            pos++;
            return 0;
        }
        long value = 0;
        for (char c; (c = s.charAt(pos++)) != '_'; ) {
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 36 : -1;
            if (digit < 0) throw new IllegalArgumentException("bad base-62 number");
            value = value * 62 + digit;
        }
        return value + 1;
    }
}
