package dev.xcfi.encoding;

/** A type id together with its KCFI hash, both from one mangling ({@link ClangEncoder#encode(dev.xcfi.types.FunctionType, CfiMode, KcfiHash)}). */
public record HashedTypeId(TypeId id, int kcfi) {}
