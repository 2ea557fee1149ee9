package dev.xcfi.verify.bitcode;

/** Bitcode that could not be read; {@code bitOffset} is where, or -1 when libLLVM did not say. */
public final class BitcodeException extends Exception {
    private final long bitOffset;

    public BitcodeException(String message, long bitOffset) {
        super(bitOffset >= 0 ? message + " (at bit " + bitOffset + ")" : message);
        this.bitOffset = bitOffset;
    }

    public BitcodeException(String message) {
        this(message, -1);
    }

    public long bitOffset() {
        return bitOffset;
    }
}
