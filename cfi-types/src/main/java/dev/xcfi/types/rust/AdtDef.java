package dev.xcfi.types.rust;

import java.util.List;
import java.util.Objects;

/**
 * A struct, enum or union definition. Identity is its path (definitions may refer to themselves
 * through a pointer field, so the fields are attached once after construction, then frozen).
 *
 * @see Adt for a use of the definition with generic arguments
 */
public final class AdtDef {
    public enum Kind { STRUCT, ENUM, UNION }

    /** A generic parameter and its kind ({@link #LIFETIME}, {@link #TYPE} or {@link #CONST}). */
    public record GenericParam(String name, char kind) {
        public static final char LIFETIME = 'l', TYPE = 't', CONST = 'c';
    }

    private final Kind kind;
    private final DefPath path;
    private final boolean reprC;
    private final boolean reprTransparent;
    private final String cfiEncoding;
    private final List<GenericParam> generics;
    private List<RustType> fields;

    public AdtDef(Kind kind, DefPath path, boolean reprC, boolean reprTransparent, String cfiEncoding, List<GenericParam> generics) {
        this.kind = Objects.requireNonNull(kind);
        this.path = Objects.requireNonNull(path);
        this.reprC = reprC;
        this.reprTransparent = reprTransparent;
        this.cfiEncoding = cfiEncoding;
        this.generics = List.copyOf(generics);
    }

    /** Attaches the struct's field types (generic parameters appear as {@link Param}); once only. */
    public AdtDef withFields(List<RustType> fieldTypes) {
        if (fields != null) throw new IllegalStateException("fields of " + path + " already set");
        fields = List.copyOf(fieldTypes);
        return this;
    }

    public Kind kind() {
        return kind;
    }

    public DefPath path() {
        return path;
    }

    public boolean reprC() {
        return reprC;
    }

    public boolean reprTransparent() {
        return reprTransparent;
    }

    /** The {@code #[cfi_encoding = "…"]} string (trimmed), or null. */
    public String cfiEncoding() {
        return cfiEncoding;
    }

    public List<GenericParam> generics() {
        return generics;
    }

    /** Field types of a struct (empty for enums and unions, and for unit structs). */
    public List<RustType> fields() {
        return fields == null ? List.of() : fields;
    }

    /** Whether the fields are known (a definition read back from an id has none: its layout is unknown). */
    public boolean fieldsKnown() {
        return fields != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdtDef d && d.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
