package dev.xcfi.verify.facts;

/**
 * Where in the source a function or a call is, as the module's debug information says
 * ({@code -g}): the file as the compiler was given it (often relative to {@code directory}, the
 * compiler's working folder), the line, and for a call its column (0 when not known).
 * {@link #NONE} for a module without debug information.
 */
public record SourceLocation(String directory, String file, int line, int column) {
    public static final SourceLocation NONE = new SourceLocation("", "", 0, 0);

    /** A place, or {@link #NONE} when the file is not named or the line is 0 (code the compiler made up). */
    public static SourceLocation of(String directory, String file, long line, long column) {
        if (file.isEmpty() || line <= 0) return NONE;
        return new SourceLocation(directory, file, (int) Math.min(line, Integer.MAX_VALUE), (int) Math.max(0, Math.min(column, Integer.MAX_VALUE)));
    }

    public boolean isKnown() {
        return !file.isEmpty() && line > 0;
    }

    /** {@code file:line[:column]}, as compilers print a place; "" when not known. */
    @Override
    public String toString() {
        if (!isKnown()) return "";
        return file + ":" + line + (column > 0 ? ":" + column : "");
    }

    // written out: a record's generated equals and hashCode are linked on first use (start-up time)
    @Override
    public boolean equals(Object o) {
        return o instanceof SourceLocation s && line == s.line && column == s.column && file.equals(s.file) && directory.equals(s.directory);
    }

    @Override
    public int hashCode() {
        return (file.hashCode() * 31 + line) * 31 + column;
    }
}
