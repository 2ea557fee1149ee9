package dev.xcfi.types.rust;

/**
 * A name that stands for another type: {@code std::ffi::c_long}, {@code c_void}, a {@code type}
 * alias. rustc encodes {@link #target()}; xcfi keeps the name to explain mismatches
 * ({@code c_long} is {@code i64} on LP64 and {@code i32} on LLP64, and rustc cannot tell it from
 * {@code i64}).
 *
 * @param path  the alias as written or defined, e.g. {@code core::ffi::c_long}
 */
public record Alias(String path, RustType target) implements RustType {
    /** The last path segment: {@code c_long}. */
    public String name() {
        int i = path.lastIndexOf("::");
        return i < 0 ? path : path.substring(i + 2);
    }

    @Override
    public RustType resolved() {
        return target.resolved();
    }
}
