package dev.xcfi.verify.facts;

/**
 * A direct call inside {@code function} that passes the address of {@code passed} as IR argument
 * {@code argument} (of {@code arguments}) of {@code callee}: the callee may call it back indirectly.
 * {@code source}: the call's place in the source, with debug information.
 */
public record CallbackArgument(String function, String callee, int argument, int arguments, String passed, SourceLocation source) {
    public CallbackArgument(String function, String callee, int argument, int arguments, String passed) {
        this(function, callee, argument, arguments, passed, SourceLocation.NONE);
    }
}
