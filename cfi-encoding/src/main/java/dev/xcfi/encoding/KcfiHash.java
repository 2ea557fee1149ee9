package dev.xcfi.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The 32-bit KCFI type hash of a type-id string. clang 22 offers two algorithms (module flag
 * {@code kcfi-hash}); rustc always uses xxHash64 and emits no flag, so absent means xxHash64.
 */
public enum KcfiHash {
    /** Low 32 bits of xxHash64 with seed 0 (the default of clang and rustc). */
    XXHASH64("xxHash64"),
    /** 32-bit FNV-1a (clang 22 {@code -Xclang -fsanitize-kcfi-hash=FNV-1a}). */
    FNV1A("FNV-1a");

    private final String flagValue;

    KcfiHash(String flagValue) {
        this.flagValue = flagValue;
    }

    /** The value of LLVM's {@code kcfi-hash} module flag for this algorithm. */
    public String flagValue() {
        return flagValue;
    }

    /** Accepts the CLI spellings ({@code xxhash64}, {@code fnv1a}) and the module-flag values. */
    public static KcfiHash parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT).replace("-", "")) {
            case "xxhash64", "xxhash" -> XXHASH64;
            case "fnv1a" -> FNV1A;
            default -> throw new IllegalArgumentException("unknown KCFI hash '" + s + "' (xxhash64 or fnv1a)");
        };
    }

    public int hash(String typeId) {
        byte[] b = typeId.getBytes(StandardCharsets.UTF_8);
        return hash(b, 0, b.length);
    }

    public int hash(byte[] bytes, int off, int len) {
        return switch (this) {
            case XXHASH64 -> (int) XxHash64.hash(bytes, off, len, 0);
            case FNV1A -> fnv1a(bytes, off, len);
        };
    }

    private static int fnv1a(byte[] b, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h ^= b[i] & 0xFF;
            h *= 0x01000193;
        }
        return h;
    }

    /** {@code 0x%08x}, as the CLI prints hashes. */
    public static String format(int hash) {
        return Hex.of(hash & 0xFFFFFFFFL, 8);
    }

    /** {@link #format} written into {@code out}. */
    public static void appendFormatted(StringBuilder out, int hash) {
        Hex.append(out, hash & 0xFFFFFFFFL, 8);
    }
}
