package dev.xcfi.verify.facts;

/**
 * A direct call inside {@code function} that passes the address of {@code passed} as IR argument
 * {@code argument} (of {@code arguments}) of {@code callee}: the callee may call it back indirectly.
 */
public record CallbackArgument(String function, String callee, int argument, int arguments, String passed) {}
