package dev.xcfi.types.rust;

/** An {@code extern { type T; }} type; encoded by its bare name, or its {@code #[cfi_encoding]}. */
public record Foreign(DefPath path, String cfiEncoding) implements RustType {
    @Override
    public RustType resolved() {
        return this;
    }
}
