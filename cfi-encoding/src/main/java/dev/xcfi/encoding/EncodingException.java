package dev.xcfi.encoding;

/** A type the chosen target or compiler cannot take, with the reason in the compiler's terms. */
public final class EncodingException extends RuntimeException {
    public EncodingException(String message) {
        super(message);
    }
}
