package dev.xcfi.verify.bitcode;

/**
 * Well-formed bitcode the pure-Java reader does not read (an LLVM version outside 15..22, an old
 * module layout, an instruction it does not know): {@code --reader auto} hands such a file to libLLVM.
 */
public final class UnsupportedBitcodeException extends BitcodeException {
    public UnsupportedBitcodeException(String message, long bitOffset, String blockPath) {
        super(message, bitOffset, blockPath);
    }
}
