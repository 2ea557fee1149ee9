package dev.xcfi.encoding;

/**
 * The output side of an Itanium type mangling, shared by the clang and rustc encoders: the text
 * being built and its substitution dictionary. What differs between the languages — which types
 * exist, how they are spelled and which of them are dictionary entries — stays in the encoders.
 *
 * <p>One instance is reused for many ids (not thread-safe), so the hot path allocates nothing but
 * the final string.
 */
final class Mangler {
    final StringBuilder out = new StringBuilder(128);
    private final SubstitutionDictionary dictionary = new SubstitutionDictionary();

    /** Starts a new id: {@code _ZTS} and an empty dictionary (numbering starts after the prefix). */
    void begin() {
        out.setLength(0);
        out.append("_ZTS");
        dictionary.clear();
    }

    Mangler append(char c) {
        out.append(c);
        return this;
    }

    Mangler append(String s) {
        out.append(s);
        return this;
    }

    Mangler append(long n) {
        out.append(n);
        return this;
    }

    /** {@code <source-name> ::= <length> <identifier>}. */
    Mangler sourceName(String name) {
        out.append(name.length()).append(name);
        return this;
    }

    /** {@code U <source-name>}: a vendor qualifier or vendor type ({@code U7stdcall}, {@code U3AS1}). */
    Mangler vendorQualifier(String name) {
        out.append('U');
        return sourceName(name);
    }

    /**
     * If {@code key} is already in the dictionary, writes its back-reference and returns true; the
     * caller then skips the component.
     */
    boolean substitute(Object key) {
        int index = dictionary.indexOf(key);
        if (index < 0) return false;
        SubstitutionDictionary.appendReference(out, index);
        return true;
    }

    /** Records a completed component (post-order: after everything inside it). */
    void remember(Object key) {
        dictionary.add(key);
    }

    int length() {
        return out.length();
    }

    String text() {
        return out.toString();
    }
}
