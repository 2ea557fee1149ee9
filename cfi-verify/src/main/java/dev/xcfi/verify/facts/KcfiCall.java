package dev.xcfi.verify.facts;

/**
 * An indirect call inside {@code function} carrying a {@code "kcfi"(i32 hash)} operand bundle,
 * through a pointer of IR type {@code signature} ({@link Signature}). {@code parameter} is the IR
 * position of {@code function}'s own parameter being called (a callback), or -1 when the pointer
 * comes from elsewhere. {@code source}: the call's place in the source, with debug information.
 */
public record KcfiCall(String function, int hash, int parameter, String signature, SourceLocation source) {
    public KcfiCall(String function, int hash, int parameter, String signature) {
        this(function, hash, parameter, signature, SourceLocation.NONE);
    }
}
