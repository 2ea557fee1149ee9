package dev.xcfi.verify.report;

/**
 * Text taken from inputs made safe to print: a function name or type id in a module is any byte
 * string, and an ESC in a hostile module's names would drive the terminal a report is read on
 * (colours, the window title, worse). Control characters are written as {@code \xNN}, as
 * {@code llvm-dis} quotes them in names.
 */
public final class PrintableText {
    private PrintableText() {}

    /** {@code s} with every control character escaped, line breaks too (a field of a row). */
    public static String field(String s) {
        return escaped(s, false);
    }

    /**
     * {@code s} with every control character but the line break escaped (a report, whose lines are
     * its own), and each line longer than {@link #LONGEST_LINE} shortened in its middle: a hostile
     * module's 400 KB type id, printed with its decoding on a dozen lines, made a 5 MB report no one
     * could read. JSON and SARIF keep every character.
     */
    public static String lines(String s) {
        return shortened(escaped(s, true));
    }

    static final int LONGEST_LINE = 1000;
    private static final int KEPT_HEAD = 700, KEPT_TAIL = 100;

    private static String shortened(String s) {
        StringBuilder b = null;
        int from = 0;
        while (from < s.length()) {
            int end = s.indexOf('\n', from);
            if (end < 0) end = s.length();
            if (end - from > LONGEST_LINE) {
                if (b == null) b = new StringBuilder(s.length() / 2).append(s, 0, from);
                b.append(s, from, from + KEPT_HEAD).append(" …[").append(String.format(java.util.Locale.ROOT, "%,d", end - from - KEPT_HEAD - KEPT_TAIL))
                        .append(" characters left out]… ").append(s, end - KEPT_TAIL, end);
            } else if (b != null) {
                b.append(s, from, end);
            }
            if (b != null && end < s.length()) b.append('\n');
            from = end + 1;
        }
        return b == null ? s : b.toString();
    }

    private static String escaped(String s, boolean keepLineBreaks) {
        int i = 0;
        while (i < s.length() && !isControl(s.charAt(i), keepLineBreaks)) i++;
        if (i == s.length()) return s;   // the usual case: nothing to escape, nothing copied
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c, keepLineBreaks)) b.append("\\x").append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            else b.append(c);
        }
        return b.toString();
    }

    /** C0 controls, DEL and the C1 controls (U+0080..U+009F, which some terminals also obey). */
    private static boolean isControl(char c, boolean keepLineBreaks) {
        if (c == '\n') return !keepLineBreaks;
        return c < 0x20 || c >= 0x7f && c <= 0x9f;
    }
}
