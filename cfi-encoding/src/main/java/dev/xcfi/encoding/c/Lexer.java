package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.source.Token;

import java.util.function.Consumer;

/**
 * Splits C source into preprocessing tokens, one at a time, with their locations. Comments and
 * line continuations disappear here; {@link Token#startsLine()} lets the preprocessor find
 * directives. Columns count UTF-8 bytes from the start of the line, as clang's do.
 *
 * <p>Headers can be large (xcfi is asked for ids of 100,000 prototypes at a time), so this is a
 * streaming scanner: one character-class table lookup per ASCII character, a line counter moved
 * only at newlines, and identifiers looked up in a table of the spellings already seen instead of
 * being cut out of the text each time.
 */
final class Lexer {
    private static final byte OTHER = 0, IDENT = 1, DIGIT = 2, BLANK = 3, NEWLINE = 4;
    private static final byte[] CLASS = new byte[128];
    /** The punctuators, longest first, by their first character; single characters are shared constants. */
    private static final String[][] PUNCTUATORS = new String[128][];
    private static final String[] SINGLE = new String[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) CLASS[c] = IDENT;
        for (char c = 'A'; c <= 'Z'; c++) CLASS[c] = IDENT;
        CLASS['_'] = IDENT;
        CLASS['$'] = IDENT;
        for (char c = '0'; c <= '9'; c++) CLASS[c] = DIGIT;
        for (char c : new char[] {' ', '\t', '\r', '\f', 0x0B, 0x1C, 0x1D, 0x1E, 0x1F}) CLASS[c] = BLANK;
        CLASS['\n'] = NEWLINE;
        String[] multi = {"...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
                "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##", "::", "[[", "]]"};
        for (char c = 0; c < 128; c++) {
            if (!Character.isLetterOrDigit(c) && !Character.isWhitespace(c) && c > ' ') SINGLE[c] = String.valueOf(c).intern();
            java.util.List<String> starting = new java.util.ArrayList<>();
            for (String p : multi) if (p.charAt(0) == c) starting.add(p);
            if (!starting.isEmpty()) PUNCTUATORS[c] = starting.toArray(String[]::new);
        }
    }

    private final String file;
    private final String src;
    /** The text as an array: the scanner's loops index it directly. */
    private final char[] chars;
    private final int end;
    private final Consumer<SyntaxException> errors;
    private final Names names;
    private int pos;
    private int line = 1;
    /** Where the current line starts, for columns. */
    private int lineStart;
    private boolean lineStartPending = true;
    private Token peeked;

    /** Lexing errors go to {@code errors}; an unterminated quote ends at its line, an unterminated comment ends the file. */
    Lexer(String file, String src, Names names, Consumer<SyntaxException> errors) {
        this.file = file;
        this.src = src;
        this.chars = src.toCharArray();
        this.end = chars.length;
        this.names = names;
        this.errors = errors;
    }

    /**
     * A newline outside block comments was crossed since the last token. Only such a newline ends
     * a directive: {@code #define X a /* … (newline) … *}{@code / b} defines X as {@code a b}, as
     * clang reads it (Linux's seqlock.h has such comments in its macros), although the token after
     * the comment starts a line ({@link Token#startsLine()}, for {@code #}).
     */
    private boolean breakPending = true, peekedBreaksLine;

    /** Whether the next token is the first after a newline that ends a directive ({@link #breakPending}). */
    boolean peekBreaksLine() {
        return peek().kind() == Token.Kind.END || peekedBreaksLine;
    }

    /** The next token, without consuming it. */
    Token peek() {
        if (peeked == null) peeked = scan();
        return peeked;
    }

    /** The next token; an END token at the end of the text, and again on every later call. */
    Token next() {
        Token t = peek();
        if (t.kind() != Token.Kind.END) peeked = null;
        return t;
    }

    private Token scan() {
        while (true) {
            lineStartPending |= skipSpace();
            if (pos >= end) return new Token(Token.Kind.END, "", file, line, column(pos), true);
            int start = pos, atLine = line, atColumn = column(pos);
            boolean startsLine = lineStartPending;
            lineStartPending = false;
            peekedBreaksLine = breakPending;
            breakPending = false;
            char c = chars[pos];
            byte cls = c < 128 ? CLASS[c] : OTHER;
            Token.Kind kind;
            if (c == '\\' && universalCharacterName(pos) > 0 && identifierCharacter(pos, true) == 0) {
                // a name for a character that may not start one (clang: an error, then no identifier here)
                int width = universalCharacterName(pos);
                errors.accept(notInIdentifier(Integer.parseInt(src, pos + 2, pos + width, 16), true, atLine, atColumn));
                pos += width;
                return new Token(Token.Kind.PUNCTUATOR, src.substring(start, pos), file, atLine, atColumn, startsLine);
            }
            if (cls == IDENT || c >= 128 && identifierCharacter(pos, true) > 0 || c == '\\' && universalCharacterName(pos) > 0) {
                int h = 0, i = pos;
                boolean spelled = true;   // no universal character name: the name is the text as it stands
                while (i < end) {
                    char d = chars[i];
                    if (d < 128) {
                        byte k = CLASS[d];
                        if (k == IDENT || k == DIGIT) {
                            h = 31 * h + d;
                            i++;
                            continue;
                        }
                        if (d != '\\') break;
                    }
                    if (d >= 0x80) wideLine = true;
                    int width = identifierCharacter(i, i == pos);
                    // (U+FFFD stands for bytes that are not UTF-8: clang's "not valid UTF-8" error, the declaration dropped)
                    if (width == 0 && (d >= 128 && d != '\uFFFD' && !Character.isWhitespace(d) || d == '\\' && universalCharacterName(i) > 0 && i > pos)) {
                        // as clang: an error, and the character taken into the name (one error, not a cascade)
                        int cp = d == '\\' ? Integer.parseInt(src, i + 2, i + universalCharacterName(i), 16) : Character.codePointAt(chars, i, end);
                        errors.accept(notInIdentifier(cp, d == '\\', line, column(i)));
                        width = d == '\\' ? universalCharacterName(i) : Character.charCount(cp);
                    }
                    if (width == 0) break;
                    spelled &= d != '\\';
                    for (int k = i; k < i + width; k++) h = 31 * h + chars[k];
                    i += width;
                }
                pos = i;
                kind = Token.Kind.IDENTIFIER;
                if (!spelled) {
                    char[] name = withoutEscapes(start, pos).toCharArray();
                    return new Token(kind, names.intern(name, 0, name.length, hash(name)), file, atLine, atColumn, startsLine);
                }
                // An encoding prefix makes the identifier part of a string or character literal.
                if (pos < end && (chars[pos] == '"' || chars[pos] == '\'') && isEncodingPrefix(start, pos)) {
                    kind = quoted(chars[pos], atLine, atColumn);
                    if (kind == null) continue;
                    return token(kind, start, atLine, atColumn, startsLine);
                }
                return new Token(kind, names.intern(chars, start, pos, h), file, atLine, atColumn, startsLine);
            }
            if (cls == DIGIT || (c == '.' && pos + 1 < end && Character.isDigit(chars[pos + 1]))) {
                pos = numberEnd(pos + 1);
                return token(Token.Kind.NUMBER, start, atLine, atColumn, startsLine);
            }
            if (c == '"' || c == '\'') {
                kind = quoted(c, atLine, atColumn);
                if (kind == null) continue;
                return token(kind, start, atLine, atColumn, startsLine);
            }
            if (c >= 0x80) wideLine = true;
            String p = punctuator(c);
            pos += p.length();
            return new Token(Token.Kind.PUNCTUATOR, p, file, atLine, atColumn, startsLine);
        }
    }

    private Token token(Token.Kind kind, int start, int atLine, int atColumn, boolean startsLine) {
        String text = src.substring(start, pos);
        if (text.indexOf('\\') >= 0) text = text.replace("\\\n", "");
        return new Token(kind, text, file, atLine, atColumn, startsLine);
    }

    /**
     * The characters beyond ASCII an identifier may hold in C11 and C17 (Annex D.1), as ranges:
     * clang's rule in its default mode, gnu17 — accented letters, CJK, emoji (planes 1 to 14)…
     */
    private static final int[] C11_IDENTIFIER = {0xA8, 0xA8, 0xAA, 0xAA, 0xAD, 0xAD, 0xAF, 0xAF, 0xB2, 0xB5, 0xB7, 0xBA, 0xBC, 0xBE,
            0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0xFF, 0x100, 0x167F, 0x1681, 0x180D, 0x180F, 0x1FFF, 0x200B, 0x200D, 0x202A, 0x202E,
            0x203F, 0x2040, 0x2054, 0x2054, 0x2060, 0x206F, 0x2070, 0x218F, 0x2460, 0x24FF, 0x2776, 0x2793, 0x2C00, 0x2DFF,
            0x2E80, 0x2FFF, 0x3004, 0x3007, 0x3021, 0x302F, 0x3031, 0x303F, 0x3040, 0xD7FF, 0xF900, 0xFD3D, 0xFD40, 0xFDCF,
            0xFDF0, 0xFE44, 0xFE47, 0xFFFD};
    /** Annex D.2: combining marks, which may not start one. */
    private static final int[] C11_NOT_FIRST = {0x300, 0x36F, 0x1DC0, 0x1DFF, 0x20D0, 0x20FF, 0xFE20, 0xFE2F};

    /**
     * How many chars at {@code i} make one identifier character beyond ASCII — a letter C11
     * allows (two for a surrogate pair), or a universal character name {@code \\u00e9} or
     * {@code \\U0001F600} that names one — or 0.
     */
    private int identifierCharacter(int i, boolean first) {
        char d = chars[i];
        int cp, width;
        if (d == '\\') {
            width = universalCharacterName(i);
            if (width == 0) return 0;
            cp = Integer.parseInt(src, i + 2, i + width, 16);
            if (cp < 0xA0 && cp != '$') return 0;
        } else if (Character.isHighSurrogate(d) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
            cp = Character.toCodePoint(d, chars[i + 1]);
            width = 2;
        } else {
            cp = d;
            width = 1;
        }
        boolean allowed = cp >= 0x10000 ? cp <= 0xEFFFD && (cp & 0xFFFF) <= 0xFFFD : cp != 0xFFFD && inRanges(cp, C11_IDENTIFIER);
        return allowed && !(first && inRanges(cp, C11_NOT_FIRST)) ? width : 0;
    }

    /** clang's error for a character C11 does not allow in a name, written as itself or as a universal character name. */
    private SyntaxException notInIdentifier(int cp, boolean escaped, int atLine, int atColumn) {
        return new SyntaxException(new SourceLocation(file, atLine, atColumn), escaped && cp < 0xA0
                ? "character '" + Character.toString(cp) + "' cannot be specified by a universal character name"
                : String.format(java.util.Locale.ROOT, "character <U+%04X> not allowed in an identifier", cp));
    }

    /** {@code cls}, noting that a char beyond ASCII was met on this line. */
    private byte wide(byte cls) {
        wideLine = true;
        return cls;
    }

    private static final String HEX_DIGITS = "0123456789abcdefABCDEF";

    /** The length of the universal character name at {@code i} ({@code \\u} and 4 hex digits, {@code \\U} and 8), or 0. */
    private int universalCharacterName(int i) {
        int width = i + 1 < end && chars[i + 1] == 'u' ? 6 : i + 1 < end && chars[i + 1] == 'U' ? 10 : 0;
        if (width == 0 || i + width > end) return 0;
        for (int k = i + 2; k < i + width; k++) if (HEX_DIGITS.indexOf(chars[k]) < 0) return 0;
        return width == 10 && Long.parseLong(src, i + 2, i + 10, 16) > Character.MAX_CODE_POINT ? 0 : width;
    }

    private static boolean inRanges(int cp, int[] ranges) {
        for (int r = 0; r < ranges.length; r += 2) if (cp >= ranges[r] && cp <= ranges[r + 1]) return true;
        return false;
    }

    /** The identifier {@code chars[from..to)} with its universal character names replaced by the characters they name. */
    private String withoutEscapes(int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; ) {
            if (chars[i] == '\\') {
                int width = chars[i + 1] == 'u' ? 6 : 10;
                b.appendCodePoint(Integer.parseInt(src, i + 2, i + width, 16));
                i += width;
            } else {
                b.append(chars[i++]);
            }
        }
        return b.toString();
    }

    private static int hash(char[] name) {
        int h = 0;
        for (char ch : name) h = 31 * h + ch;
        return h;
    }

    /** A pp-number: digits, letters, underscores, dots, digit separators, and signs after an exponent letter. */
    private int numberEnd(int i) {
        while (i < end) {
            char c = chars[i];
            if (c >= 0x80) wideLine = true;
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '\'') {
                i++;
            } else if ((c == '+' || c == '-') && "eEpP".indexOf(chars[i - 1]) >= 0) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private boolean isEncodingPrefix(int start, int stop) {
        int n = stop - start;
        char c = chars[start];
        return n == 1 ? c == 'L' || c == 'u' || c == 'U' : n == 2 && c == 'u' && chars[start + 1] == '8';
    }

    /** The longest punctuator at the current position; its text is a shared constant. */
    private String punctuator(char c) {
        if (c < 128) {
            String[] candidates = PUNCTUATORS[c];
            if (candidates != null) {
                for (String p : candidates) if (src.startsWith(p, pos)) return p;
            }
            if (SINGLE[c] != null) return SINGLE[c];
        }
        return String.valueOf(c);
    }

    /**
     * A string or character literal from its opening quote; its kind, or null when it is not closed
     * on its line (reported; lexing resumes at the next line, as clang does).
     */
    private Token.Kind quoted(char q, int atLine, int atColumn) {
        pos++;
        while (pos < end && chars[pos] != q) {
            char c = chars[pos];
            if (c == '\n') break;
            if (c >= 0x80) wideLine = true;
            if (c == '\\' && pos + 1 < end) {
                pos++;
                if (chars[pos] == '\n') newLine(pos + 1);
            }
            pos++;
        }
        if (pos >= end || chars[pos] != q) {
            errors.accept(new SyntaxException(new SourceLocation(file, atLine, atColumn), "missing terminating " + q + " character"));
            return null;
        }
        pos++;
        return q == '"' ? Token.Kind.STRING : Token.Kind.CHARACTER;
    }

    private void newLine(int next) {
        line++;
        lineStart = next;
        columnsTo = next;
        wideBytes = 0;
        wideLine = false;
    }

    /**
     * The column of {@code at} on the current line as clang counts it, in UTF-8 bytes: the chars
     * before it plus the bytes beyond one that each non-ASCII one takes, counted once per line as
     * the scanner moves on ({@code columnsTo}).
     */
    private int column(int at) {
        if (!wideLine) return at - lineStart + 1;
        if (at < columnsTo) {   // (behind the scanner: counted afresh)
            columnsTo = lineStart;
            wideBytes = 0;
        }
        for (int i = columnsTo; i < at; i++) {
            char c = chars[i];
            if (c >= 0x80) wideBytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;   // (a surrogate pair: 4 bytes for 2 chars)
        }
        if (at > columnsTo) columnsTo = at;
        return at - lineStart + wideBytes + 1;
    }

    private int columnsTo;
    /**
     * Whether the current line has a char beyond ASCII so far: set where the scanner passes one
     * (names, literals, comments, stray characters), so that an ASCII line's columns cost nothing.
     */
    private boolean wideLine;
    /** The UTF-8 bytes beyond one per char in {@code chars[lineStart..columnsTo)}. */
    private int wideBytes;

    /** Skips blanks and comments; returns true if a newline was crossed. */
    private boolean skipSpace() {
        boolean newline = false;
        while (pos < end) {
            char c = chars[pos];
            byte cls = c < 128 ? CLASS[c] : wide(Character.isWhitespace(c) ? BLANK : OTHER);
            if (cls == BLANK) {
                pos++;
            } else if (cls == NEWLINE) {
                newline = true;
                breakPending = true;
                newLine(++pos);
            } else if (c == '\\' && pos + 1 < end && chars[pos + 1] == '\n') {
                pos += 2;
                newLine(pos);
            } else if (c == '/' && pos + 1 < end && chars[pos + 1] == '/') {
                while (pos < end && chars[pos] != '\n') pos++;
            } else if (c == '/' && pos + 1 < end && chars[pos + 1] == '*') {
                int close = src.indexOf("*/", pos + 2);
                if (close < 0) errors.accept(new SyntaxException(new SourceLocation(file, line, column(pos)), "unterminated /* comment"));
                int stop = close < 0 ? end : close;
                for (int i = pos; i < stop; i++) {
                    char d = chars[i];
                    if (d == '\n') {
                        newline = true;
                        newLine(i + 1);
                    } else if (d >= 0x80) {
                        wideLine = true;
                    }
                }
                pos = close < 0 ? end : close + 2;
            } else {
                break;
            }
        }
        return newline;
    }

    /**
     * The spellings of the identifiers met so far, one String each: tokens share them (a large
     * header names the same few dozen types millions of times), and keyword tests on them are
     * mostly identity checks.
     */
    static final class Names {
        // Open addressing over parallel arrays: each slot's hash and characters sit beside its
        // String, so a probe compares ints and chars without calling into String (a call C1 keeps).
        private String[] table = new String[1024];
        private int[] hashes = new int[1024];
        private char[][] spellings = new char[1024][];
        private int size;

        /** Room for the spellings a text of {@code length} characters may bring, grown once rather than step by step. */
        void expect(int length) {
            int wanted = Integer.highestOneBit(Math.max(size, length / 32)) * 2;
            if (wanted > table.length) resize(wanted);
        }

        /** The shared String for {@code chars[start, stop)}, whose String hash code is {@code h}. */
        String intern(char[] chars, int start, int stop, int h) {
            int mask = table.length - 1, n = stop - start;
            for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
                char[] known = spellings[i];
                if (known == null) return add(i, chars, start, n, h);
                if (hashes[i] == h && known.length == n && same(known, chars, start)) return table[i];
            }
        }

        private String add(int slot, char[] chars, int start, int n, int h) {
            String s = new String(chars, start, n);
            // A keyword becomes the very String the parser's literals are, so its tests are identity checks.
            if (HeaderParser.isKeywordSpelling(s)) s = s.intern();
            table[slot] = s;
            hashes[slot] = h;
            spellings[slot] = java.util.Arrays.copyOfRange(chars, start, start + n);
            if (++size * 2 > table.length) resize(table.length * 2);
            return s;
        }

        private static boolean same(char[] known, char[] chars, int start) {
            for (int k = 0; k < known.length; k++) if (known[k] != chars[start + k]) return false;
            return true;
        }

        private static int mix(int h) {
            return h ^ (h >>> 16);
        }

        private void resize(int capacity) {
            String[] oldTable = table;
            int[] oldHashes = hashes;
            char[][] oldSpellings = spellings;
            table = new String[capacity];
            hashes = new int[capacity];
            spellings = new char[capacity][];
            int mask = capacity - 1;
            for (int j = 0; j < oldTable.length; j++) {
                if (oldSpellings[j] == null) continue;
                int i = mix(oldHashes[j]) & mask;
                while (spellings[i] != null) i = (i + 1) & mask;
                table[i] = oldTable[j];
                hashes[i] = oldHashes[j];
                spellings[i] = oldSpellings[j];
            }
        }
    }
}
