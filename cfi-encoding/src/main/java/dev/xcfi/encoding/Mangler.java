package dev.xcfi.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The output side of an Itanium type mangling, shared by the clang and rustc encoders: the bytes
 * being built and the substitution dictionary. What differs between the languages — which types
 * exist, how they are spelled and which of them are dictionary entries — stays in the encoders.
 *
 * <p>The id is built as UTF-8 bytes in a reused array (like ASM's {@code ByteVector}), so hashing
 * reads it in place and one instance encodes any number of ids allocating only the final string.
 * Not thread-safe.
 */
final class Mangler {
    private byte[] buf = new byte[128];
    private int len;
    /** False once a non-ASCII byte was written: then the text is decoded as UTF-8 instead of copied. */
    private boolean ascii = true;
    private final SubstitutionDictionary dictionary = new SubstitutionDictionary();
    private static final byte[] PREFIX = {'_', 'Z', 'T', 'S'};

    /** Starts a new id: {@code _ZTS} and an empty dictionary (numbering starts after the prefix). */
    void begin() {
        len = 0;
        ascii = true;
        append(PREFIX);
        dictionary.clear();
    }

    Mangler append(char c) {
        if (c >= 0x80) return append(String.valueOf(c));
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    Mangler append(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) return appendUtf8(s.substring(i));
            buf[len++] = (byte) c;
        }
        return this;
    }

    /** ASCII text as bytes (a builtin type's code, a mode's suffix): one copy, no per-character test. */
    Mangler append(byte[] ascii) {
        int n = ascii.length;
        ensure(n);
        if (n == 1) buf[len] = ascii[0];   // most builtin codes: a store, not a copy call
        else System.arraycopy(ascii, 0, buf, len, n);
        len += n;
        return this;
    }

    private Mangler appendUtf8(String s) {
        ascii = false;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    Mangler append(long n) {
        if (n < 0) {
            append('-');
            n = -n;
        }
        if (n >= 10) append(n / 10);
        return append((char) ('0' + n % 10));
    }

    /** {@code <source-name> ::= <length> <identifier>}, the length counting UTF-8 bytes as the compilers do. */
    Mangler sourceName(String name) {
        int start = len;
        append(name.length()).append(name);
        int bytes = len - start - digits(name.length());
        if (bytes != name.length()) {   // non-ASCII identifier: redo with the byte length
            len = start;
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            append(b.length);
            appendUtf8(name);
        }
        return this;
    }

    private static int digits(int n) {
        return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : String.valueOf(n).length();
    }

    /** {@code U <source-name>}: a vendor qualifier or vendor type ({@code U7stdcall}, {@code U3AS1}). */
    Mangler vendorQualifier(String name) {
        return append('U').sourceName(name);
    }

    /**
     * If {@code key} is already in the dictionary, writes its back-reference ({@code S_} for entry
     * 0, else {@code S<base36(index-1)>_}) and returns true; the caller then skips the component.
     */
    boolean substitute(Object key) {
        int index = dictionary.indexOf(key);
        if (index < 0) return false;
        append('S');
        if (index > 0) base36(index - 1);
        append('_');
        return true;
    }

    private void base36(int value) {
        if (value >= 36) base36(value / 36);
        int digit = value % 36;
        append((char) (digit < 10 ? '0' + digit : 'A' + digit - 10));
    }

    /**
     * rustc's order: the component from {@code start} was written with its children (registering
     * any of them that were new); if the whole is already an entry, its text is replaced by the
     * back-reference. Returns true then; otherwise the caller remembers it.
     */
    boolean substituteWritten(Object key, int start) {
        int index = dictionary.indexOf(key);
        if (index < 0) return false;
        len = start;
        append('S');
        if (index > 0) base36(index - 1);
        append('_');
        return true;
    }

    /** Records a completed component (post-order: after everything inside it). */
    void remember(Object key) {
        dictionary.add(key);
    }

    int length() {
        return len;
    }

    /** Cuts the id back to {@code length} bytes (to drop suffixes appended for hashing). */
    void truncate(int length) {
        len = length;
    }

    String text() {
        return new String(buf, 0, len, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    int hash(KcfiHash algorithm) {
        return algorithm.hash(buf, 0, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
}
