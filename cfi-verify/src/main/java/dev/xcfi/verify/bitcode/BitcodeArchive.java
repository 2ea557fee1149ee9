package dev.xcfi.verify.bitcode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Unix {@code ar} archive read as its members: a static library of LTO objects ({@code llvm-ar}
 * over {@code -flto} objects) or a Rust {@code .rlib} built with {@code -Clinker-plugin-lto} is
 * linked like its members, so its bitcode members are modules to verify. Both formats in use:
 * GNU (names ending in {@code /}, long names in the {@code //} member referenced as {@code /N},
 * symbol tables {@code /} and {@code /SYM64/}) and BSD (long names as {@code #1/N}, stored in
 * front of the member's data; symbol tables {@code __.SYMDEF}). A thin archive (GNU's, as the Linux
 * kernel's {@code built-in.a}) stores only the paths of its members, relative to the archive:
 * {@link #thinMembers} lists them, to be read as the files they are. Every size is checked against
 * the file, as for bitcode.
 */
public final class BitcodeArchive {
    private static final byte[] MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] THIN = "!<thin>\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 60;

    /** A member with data: its name and where its bytes are in the archive. */
    public record Member(String name, int offset, int length) {}

    private BitcodeArchive() {}

    public static boolean isArchive(byte[] file) {
        return startsWith(file, MAGIC) || startsWith(file, THIN);
    }

    public static boolean isThin(byte[] file) {
        return startsWith(file, THIN);
    }

    /** The members that hold data, in archive order (symbol tables and the GNU name table left out). */
    public static List<Member> members(byte[] file) throws BitcodeException {
        if (startsWith(file, THIN)) {
            throw new BitcodeException("a thin archive: its members are paths to other files, give xcfi those files", 0);
        }
        if (!startsWith(file, MAGIC)) throw new BitcodeException("not an ar archive (no '!<arch>' magic)", 0);
        return read(file, false);
    }

    /** A thin archive's members: the paths of their files as stored, relative to the archive's folder unless absolute. */
    public static List<String> thinMembers(byte[] file) throws BitcodeException {
        if (!startsWith(file, THIN)) throw new BitcodeException("not a thin archive (no '!<thin>' magic)", 0);
        List<String> paths = new ArrayList<>();
        for (Member m : read(file, true)) paths.add(m.name());
        return paths;
    }

    /** The members in archive order; in a thin archive only the symbol and name tables have their data stored. */
    private static List<Member> read(byte[] file, boolean thin) throws BitcodeException {
        List<Member> members = new ArrayList<>();
        int nameTable = -1, nameTableLength = 0;
        for (int at = MAGIC.length; at < file.length; ) {
            if (file.length - at < HEADER) throw new BitcodeException("archive member header cut short", at * 8L);
            if (file[at + 58] != '`' || file[at + 59] != '\n') throw new BitcodeException("malformed archive member header", at * 8L);
            String field = text(file, at, 16).stripTrailing();
            long size = decimal(file, at + 48, 10, at);
            int data = at + HEADER;
            boolean stored = !thin || field.equals("//") || isSymbolTable(field);
            if (stored && size > file.length - data) throw new BitcodeException("archive member '" + field + "' runs past the end of the file", at * 8L);
            int length = (int) size;
            int next = stored ? data + length + (length & 1) : data;   // members start at even offsets
            if (field.equals("//")) {
                nameTable = data;
                nameTableLength = length;
            } else if (!isSymbolTable(field)) {
                String name;
                int offset = data;
                if (field.startsWith("#1/")) {   // BSD: the name is the first N bytes of the data
                    if (!stored) throw new BitcodeException("a BSD member name in a thin archive (only GNU archives are thin)", at * 8L);
                    long n = decimal(field.substring(3).getBytes(StandardCharsets.US_ASCII), 0, field.length() - 3, at);
                    if (n > length) throw new BitcodeException("archive member name longer than the member", at * 8L);
                    name = text(file, data, (int) n).replace("\0", "");
                    offset += (int) n;
                    length -= (int) n;
                } else if (field.length() > 1 && field.charAt(0) == '/' && Character.isDigit(field.charAt(1))) {   // GNU long name
                    long index = decimal(field.substring(1).getBytes(StandardCharsets.US_ASCII), 0, field.length() - 1, at);
                    if (nameTable < 0 || index >= nameTableLength) throw new BitcodeException("archive member name " + field + " is not in the name table", at * 8L);
                    int start = nameTable + (int) index, end = start;
                    while (end < nameTable + nameTableLength && file[end] != '\n') end++;
                    name = text(file, start, end - start);
                    if (name.endsWith("/")) name = name.substring(0, name.length() - 1);
                } else {
                    name = field.endsWith("/") ? field.substring(0, field.length() - 1) : field;
                }
                if (!isSymbolTable(name)) members.add(new Member(name, offset, length));
            }
            at = next;
        }
        return members;
    }

    /** GNU's {@code /} and {@code /SYM64/}, BSD's {@code __.SYMDEF} (and its sorted and 64-bit forms). */
    private static boolean isSymbolTable(String name) {
        return name.equals("/") || name.equals("/SYM64/") || name.startsWith("__.SYMDEF");
    }

    /** A space-padded decimal field; anything else is malformed. */
    private static long decimal(byte[] bytes, int from, int width, int header) throws BitcodeException {
        long value = 0;
        int i = from, end = from + width;
        if (i == end || bytes[i] < '0' || bytes[i] > '9') throw new BitcodeException("malformed number in an archive member header", header * 8L);
        for (; i < end && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
            value = value * 10 + (bytes[i] - '0');
            if (value > Integer.MAX_VALUE) throw new BitcodeException("archive member larger than 2 GB", header * 8L);
        }
        for (; i < end; i++) if (bytes[i] != ' ') throw new BitcodeException("malformed number in an archive member header", header * 8L);
        return value;
    }

    private static String text(byte[] file, int from, int length) {
        return new String(file, from, length, StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] file, byte[] prefix) {
        return file.length >= prefix.length && Arrays.equals(file, 0, prefix.length, prefix, 0, prefix.length);
    }
}
