package dev.xcfi.encoding.rust;

import java.util.Optional;

/**
 * A Rust v0 symbol name ({@code _RNvCs7ngQQSalhaX_3ops8rust_log}) read back as its path
 * ({@code ops::rust_log}), for reports: rustc's symbols for functions that are not
 * {@code #[no_mangle]} name nothing a person recognizes. Only paths of crates, nested names,
 * closures and back-references are read; a symbol with generic arguments, impl paths or Punycode
 * identifiers is left alone (empty), never guessed. A suffix after {@code .} (LTO's
 * {@code .llvm.123}, a promoted local's hash) is not part of the name.
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
            r.path(out, 0);
            return Optional.of(out.toString());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** path = "C" identifier | "N" namespace path identifier | "B" base-62-number (a path met before). */
    private void path(StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("nested too deep");
        char tag = s.charAt(pos++);
        switch (tag) {
            case 'C' -> out.append(identifier().name());
            case 'N' -> {
                char namespace = s.charAt(pos++);
                path(out, depth + 1);
                Identifier id = identifier();
                out.append("::");
                if (Character.isLowerCase(namespace)) out.append(id.name());
                else out.append('{').append(namespace == 'C' ? "closure" : namespace == 'S' ? "shim" : String.valueOf(namespace))
                        .append(id.name().isEmpty() ? "" : ":" + id.name()).append('#').append(id.disambiguator()).append('}');
            }
            case 'B' -> {
                long target = base62();
                if (target < 0 || target >= pos - 1) throw new IllegalArgumentException("a back-reference must point backwards");
                int resume = pos;
                pos = (int) target;
                path(out, depth + 1);
                pos = resume;
            }
            default -> throw new IllegalArgumentException("not a plain path: " + tag);
        }
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
