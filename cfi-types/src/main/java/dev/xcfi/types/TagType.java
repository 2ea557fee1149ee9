package dev.xcfi.types;

import java.util.Objects;

/**
 * A {@code struct}, {@code union} or {@code enum}, known by its tag.
 *
 * <p>In C a file-scope tag has external linkage for mangling purposes and mangles as
 * {@code <length><name>}. Tags without linkage (anonymous with no typedef, first declared in a
 * prototype, declared in a function body) make clang emit a distinct metadata node for cfi-icall
 * instead of a string; KCFI still hashes a private name ({@code $_0}, {@code Z5outerE1L}).
 *
 * @param name               the tag, the typedef name of a typedef-named anonymous record, or
 *                           clang's placeholder {@code $_N} for an anonymous one
 * @param enclosingFunction  the function a local tag is declared in, or null
 * @param inStd              declared in namespace {@code std} (only the AAPCS {@code std::__va_list})
 * @param transparentMember  for a {@code transparent_union}, the declared type of its first field
 * @param keyword            whether C spells it with its keyword ({@code struct point}): a tag as
 *                           declared. Not a typedef-named anonymous record ({@code point_t}), nor a
 *                           tag known only from a mangled id, where {@code struct}, {@code union} and
 *                           {@code enum} look alike ({@code 5point}). Only how it is printed: the
 *                           type is the same (equal, the same ids) either way.
 */
public record TagType(Kind kind, String name, Linkage linkage, String enclosingFunction, boolean inStd,
                      CType transparentMember, boolean keyword) implements CType {

    public enum Kind {
        STRUCT("struct"), UNION("union"), ENUM("enum");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    public enum Linkage { EXTERNAL, NONE }

    public TagType {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(name);
        Objects.requireNonNull(linkage);
        if (transparentMember != null && kind != Kind.UNION) {
            throw new IllegalArgumentException("only a union can be transparent");
        }
    }

    /**
     * A file-scope record or enum known by a name that is not spelled with its keyword: a
     * typedef-named anonymous record, or a tag read from a mangled id.
     */
    public static TagType named(Kind kind, String name) {
        return new TagType(kind, name, Linkage.EXTERNAL, null, false, null, false);
    }

    /** A file-scope tag as C declares it: {@code struct point}. */
    public static TagType declared(Kind kind, String name) {
        return new TagType(kind, name, Linkage.EXTERNAL, null, false, null, true);
    }

    /** An anonymous tag that no typedef names: clang calls it {@code $_<index>}. */
    public static TagType anonymous(Kind kind, int index) {
        return new TagType(kind, "$_" + index, Linkage.NONE, null, false, null, true);
    }

    /**
     * A tag without linkage local to a function: declared in its body, or first declared in its
     * parameter list (clang's KCFI then mangles it as a local name, {@code Z<function>E<tag>}).
     */
    public static TagType local(Kind kind, String name, String function) {
        return new TagType(kind, name, Linkage.NONE, Objects.requireNonNull(function), false, null, true);
    }

    /** A tag in namespace {@code std}. */
    public static TagType std(Kind kind, String name) {
        return new TagType(kind, name, Linkage.EXTERNAL, null, true, null, false);
    }

    public TagType asTransparentUnion(CType firstMember) {
        return new TagType(kind, name, linkage, enclosingFunction, inStd, Objects.requireNonNull(firstMember), keyword);
    }

    public boolean hasLinkage() {
        return linkage == Linkage.EXTERNAL;
    }

    @Override
    public CType canonical() {
        return this;
    }

    /** Equal whatever {@link #keyword} says: {@code struct point} declared and {@code 5point} decoded are one type. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TagType t && name.equals(t.name) && kind == t.kind && linkage == t.linkage && inStd == t.inStd
                && Objects.equals(enclosingFunction, t.enclosingFunction) && Objects.equals(transparentMember, t.transparentMember);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + kind.ordinal();
    }
}
