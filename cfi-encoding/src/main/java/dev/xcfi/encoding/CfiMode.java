package dev.xcfi.encoding;

/**
 * Which variant of a type id a build tests at indirect calls: clang's
 * {@code -fsanitize-cfi-icall-experimental-normalize-integers} and
 * {@code -fsanitize-cfi-icall-generalize-pointers} (rustc: {@code -Zsanitizer-cfi-normalize-integers},
 * {@code -Zsanitizer-cfi-generalize-pointers}).
 */
public record CfiMode(boolean normalizeIntegers, boolean generalizePointers) {
    public static final CfiMode PLAIN = new CfiMode(false, false);
    public static final CfiMode NORMALIZED = new CfiMode(true, false);
    public static final CfiMode GENERALIZED = new CfiMode(false, true);
    public static final CfiMode NORMALIZED_GENERALIZED = new CfiMode(true, true);

    public static CfiMode of(boolean normalizeIntegers, boolean generalizePointers) {
        return normalizeIntegers ? (generalizePointers ? NORMALIZED_GENERALIZED : NORMALIZED)
                : (generalizePointers ? GENERALIZED : PLAIN);
    }

    /** Every mode, in the order {@code plain, .normalized, .generalized, .normalized.generalized}. */
    public static CfiMode[] all() {
        return new CfiMode[] {PLAIN, NORMALIZED, GENERALIZED, NORMALIZED_GENERALIZED};
    }

    /** The suffix both compilers append: {@code .normalized} before {@code .generalized}. */
    public String suffix() {
        return normalizeIntegers ? (generalizePointers ? ".normalized.generalized" : ".normalized")
                : (generalizePointers ? ".generalized" : "");
    }

    /** A short name for file names and reports: {@code plain}, {@code normalized}, … */
    public String label() {
        return this == PLAIN || equals(PLAIN) ? "plain" : suffix().substring(1);
    }

    // Written out rather than generated: a record's generated equals, hashCode and toString are
    // bootstrapped through method handles on first use (classes the AOT cache does not keep), a few
    // milliseconds of a short verify run.
    @Override
    public boolean equals(Object o) {
        return o instanceof CfiMode m && m.normalizeIntegers == normalizeIntegers && m.generalizePointers == generalizePointers;
    }

    @Override
    public int hashCode() {
        return (normalizeIntegers ? 1 : 0) | (generalizePointers ? 2 : 0);
    }

    @Override
    public String toString() {
        return "CfiMode[normalizeIntegers=" + normalizeIntegers + ", generalizePointers=" + generalizePointers + "]";
    }

    /** Parses a suffix-free id's mode from the suffixes at its end. */
    public static CfiMode ofSuffixes(String id) {
        boolean g = id.endsWith(".generalized");
        return of(id.endsWith(g ? ".normalized.generalized" : ".normalized"), g);
    }
}
