package dev.xcfi.verify.facts;

/** One {@code !type !{i64 offset, id}} attachment of a function. */
public record TypeAttachment(long offset, TypeIdRef id) {}
