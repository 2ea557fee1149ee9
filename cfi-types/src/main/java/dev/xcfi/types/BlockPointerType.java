package dev.xcfi.types;

import java.util.Objects;

/**
 * {@code R (^)(P...)}: Apple's block pointer (clang's blocks extension, on by default for Darwin
 * targets, where {@code __BLOCKS__} is defined and system headers declare {@code qsort_b} and
 * the like with them). Not a pointer type to clang: CFI's pointer generalization leaves it as is.
 */
public record BlockPointerType(FunctionType pointee) implements CType {
    public BlockPointerType {
        Objects.requireNonNull(pointee);
    }

    @Override
    public CType canonical() {
        CType c = pointee.canonical();
        return c == pointee ? this : new BlockPointerType((FunctionType) c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockPointerType b && pointee.equals(b.pointee);
    }

    @Override
    public int hashCode() {
        return 31 * pointee.hashCode() + 7;
    }
}
