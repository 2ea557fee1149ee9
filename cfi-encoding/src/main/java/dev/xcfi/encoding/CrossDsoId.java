package dev.xcfi.encoding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * clang's cross-DSO CFI id ({@code -fsanitize-cfi-cross-dso}): the first 8 bytes of the MD5
 * digest of the type-id string, read little-endian. LLVM calls the same number a GUID.
 */
public final class CrossDsoId {
    private CrossDsoId() {}

    /** One digest per thread: looking MD5 up among the security providers costs more than hashing an id. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    });

    public static long of(String typeId) {
        byte[] d = MD5.get().digest(typeId.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (d[i] & 0xFFL);
        return v;
    }

    /** {@code 0x%016x}, unsigned, as the CLI prints cross-DSO ids. */
    public static String format(long id) {
        return Hex.of(id, 16);
    }

    /** {@link #format} written into {@code out}. */
    public static void appendFormatted(StringBuilder out, long id) {
        Hex.append(out, id, 16);
    }
}
