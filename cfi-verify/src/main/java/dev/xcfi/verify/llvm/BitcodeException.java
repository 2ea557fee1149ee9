package dev.xcfi.verify.llvm;

/** Bitcode libLLVM refused, with its own diagnostic. */
public final class BitcodeException extends Exception {
    public BitcodeException(String message) {
        super(message);
    }
}
