package dev.xcfi.verify.bitcode;

/**
 * Bitcode that could not be read. {@code bitOffset} is where (-1 when libLLVM did not say) and
 * {@code blockPath} the blocks the reader was in, such as {@code MODULE_BLOCK/FUNCTION_BLOCK}.
 */
public class BitcodeException extends Exception {
    private final String reason;
    private final long bitOffset;
    private final String blockPath;

    public BitcodeException(String reason, long bitOffset, String blockPath) {
        super(reason + (bitOffset >= 0 ? " (at bit " + bitOffset + (blockPath.isEmpty() ? "" : ", in " + blockPath) + ")" : ""));
        this.reason = reason;
        this.bitOffset = bitOffset;
        this.blockPath = blockPath;
    }

    public BitcodeException(String message, long bitOffset) {
        this(message, bitOffset, "");
    }

    public BitcodeException(String message) {
        this(message, -1, "");
    }

    /** What is wrong, without where. */
    public String reason() {
        return reason;
    }

    public long bitOffset() {
        return bitOffset;
    }

    public String blockPath() {
        return blockPath;
    }
}
