package dev.xcfi.verify.facts;

/** An indirect call inside {@code function} carrying a {@code "kcfi"(i32 hash)} operand bundle. */
public record KcfiCall(String function, int hash) {}
