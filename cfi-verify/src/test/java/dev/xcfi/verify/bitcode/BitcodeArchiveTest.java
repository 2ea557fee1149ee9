package dev.xcfi.verify.bitcode;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ar container, written here byte by byte in GNU and BSD form, and its malformed variants. */
class BitcodeArchiveTest {
    /** An archive being written: the magic, then each member's 60-byte header and data, padded to even length. */
    private static final class Ar {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Ar() {
            out.writeBytes("!<arch>\n".getBytes(StandardCharsets.US_ASCII));
        }

        Ar member(String field, byte[] data) {
            out.writeBytes(header(field, String.valueOf(data.length)));
            out.writeBytes(data);
            if (data.length % 2 == 1) out.write('\n');
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static byte[] header(String name, String size) {
        String h = pad(name, 16) + pad("0", 12) + pad("0", 6) + pad("0", 6) + pad("644", 8) + pad(size, 10) + "`\n";
        return h.getBytes(StandardCharsets.US_ASCII);
    }

    private static String pad(String s, int width) {
        return (s + " ".repeat(width)).substring(0, width);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String data(byte[] archive, BitcodeArchive.Member m) {
        return new String(archive, m.offset(), m.length(), StandardCharsets.US_ASCII);
    }

    @Test
    void gnuArchivesGiveTheirMembersWithLongNamesAndWithoutSymbolTables() throws BitcodeException {
        String longName = "a_member_with_a_name_longer_than_fifteen.o";
        byte[] a = new Ar()
                .member("/", ascii("\0\0\0\1symbols"))
                .member("//", ascii("short.o/\n" + longName + "/\n"))
                .member("/9", ascii("odd"))            // the second long name, at offset 9
                .member("x.o/", ascii("even"))
                .member("/SYM64/", ascii("sixty-four"))
                .bytes();
        List<BitcodeArchive.Member> members = BitcodeArchive.members(a);
        assertThat(members).extracting(BitcodeArchive.Member::name).containsExactly(longName, "x.o");
        assertThat(data(a, members.get(0))).isEqualTo("odd");
        assertThat(data(a, members.get(1))).isEqualTo("even");   // after the odd member's padding byte
    }

    @Test
    void bsdArchivesKeepLongNamesInFrontOfTheData() throws BitcodeException {
        byte[] a = new Ar()
                .member("#1/20", ascii("__.SYMDEF SORTED\0\0\0\0table"))
                .member("#1/24", ascii("bsd_member_long_name.o\0\0payload"))
                .member("short.o", ascii("x"))
                .bytes();
        List<BitcodeArchive.Member> members = BitcodeArchive.members(a);
        assertThat(members).extracting(BitcodeArchive.Member::name).containsExactly("bsd_member_long_name.o", "short.o");
        assertThat(data(a, members.get(0))).isEqualTo("payload");
        assertThat(data(a, members.get(1))).isEqualTo("x");
    }

    @Test
    void malformedArchivesAreErrorsAtTheirHeader() {
        byte[] good = new Ar().member("a.o/", ascii("abcd")).member("b.o/", ascii("efgh")).bytes();
        int second = 8 + 60 + 4;   // the second header's byte offset
        // cut inside the second header, inside its data
        assertThatThrownBy(() -> BitcodeArchive.members(Arrays.copyOf(good, second + 30)))
                .isInstanceOf(BitcodeException.class).hasMessage("archive member header cut short (at bit " + second * 8 + ")");
        assertThatThrownBy(() -> BitcodeArchive.members(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(BitcodeException.class).hasMessageStartingWith("archive member 'b.o/' runs past the end of the file");
        byte[] badMagic = good.clone();
        badMagic[second + 58] = 'x';
        assertThatThrownBy(() -> BitcodeArchive.members(badMagic)).hasMessage("malformed archive member header (at bit " + second * 8 + ")");
        byte[] badSize = good.clone();
        badSize[second + 48] = '-';
        assertThatThrownBy(() -> BitcodeArchive.members(badSize)).hasMessageStartingWith("malformed number in an archive member header");
        byte[] noTable = new Ar().member("/0", ascii("x")).bytes();
        assertThatThrownBy(() -> BitcodeArchive.members(noTable)).hasMessageStartingWith("archive member name /0 is not in the name table");
        byte[] bsdTooLong = new Ar().member("#1/9", ascii("abc")).bytes();
        assertThatThrownBy(() -> BitcodeArchive.members(bsdTooLong)).hasMessageStartingWith("archive member name longer than the member");
        byte[] huge = new Ar().member("a.o/", ascii("ab")).bytes();
        System.arraycopy(ascii("9999999999"), 0, huge, 8 + 48, 10);
        assertThatThrownBy(() -> BitcodeArchive.members(huge)).hasMessageStartingWith("archive member larger than 2 GB");
        assertThatThrownBy(() -> BitcodeArchive.members(ascii("!<thin>\n"))).hasMessageStartingWith("a thin archive");
    }

    /**
     * A thin archive as GNU ar and llvm-ar --thin write it: the symbol table and the name table
     * stored, each member a header whose size is its file's and whose name is its path.
     */
    static byte[] thin(String... paths) {
        StringBuilder names = new StringBuilder();
        List<Integer> offsets = new java.util.ArrayList<>();
        for (String p : paths) {
            offsets.add(names.length());
            names.append(p).append("/\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("!<thin>\n"));
        byte[] symbols = ascii("\0\0\0\0");
        out.writeBytes(header("/", String.valueOf(symbols.length)));
        out.writeBytes(symbols);
        byte[] table = ascii(names.toString());
        out.writeBytes(header("//", String.valueOf(table.length)));
        out.writeBytes(table);
        if (table.length % 2 == 1) out.write('\n');
        for (int i = 0; i < paths.length; i++) out.writeBytes(header("/" + offsets.get(i), "123456"));   // no data: the file has it
        return out.toByteArray();
    }

    @Test
    void aThinArchiveListsItsMembersPaths() throws BitcodeException {
        byte[] a = thin("net/core/sock.o", "../lib/string.o", "/abs/x.bc");
        assertThat(BitcodeArchive.isThin(a)).isTrue();
        assertThat(BitcodeArchive.thinMembers(a)).containsExactly("net/core/sock.o", "../lib/string.o", "/abs/x.bc");
        assertThatThrownBy(() -> BitcodeArchive.members(a)).hasMessageStartingWith("a thin archive");
        assertThatThrownBy(() -> BitcodeArchive.thinMembers(new Ar().bytes())).hasMessageStartingWith("not a thin archive");
        byte[] bsd = Arrays.copyOf(a, a.length);
        System.arraycopy(ascii(pad("#1/12", 16)), 0, bsd, bsd.length - 60, 16);   // the last member named as BSD names them
        assertThatThrownBy(() -> BitcodeArchive.thinMembers(bsd)).hasMessageStartingWith("a BSD member name in a thin archive");
        java.util.Random random = new java.util.Random(9);
        for (int i = 0; i < 5_000; i++) {
            byte[] m = a.clone();
            if (random.nextBoolean()) m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
            else m = Arrays.copyOf(m, random.nextInt(m.length + 1));
            try {
                for (String path : BitcodeArchive.thinMembers(m)) assertThat(path.length()).isLessThan(m.length);
            } catch (BitcodeException e) {
                // the outcome for most
            }
        }
    }

    @Test
    void recognisesBothMagics() {
        assertThat(BitcodeArchive.isArchive(ascii("!<arch>\n"))).isTrue();
        assertThat(BitcodeArchive.isArchive(ascii("!<thin>\n"))).isTrue();
        assertThat(BitcodeArchive.isArchive(ascii("!<arch>"))).isFalse();
        assertThat(BitcodeArchive.isArchive(new byte[] {'B', 'C', (byte) 0xC0, (byte) 0xDE, 0, 0, 0, 0})).isFalse();
    }

    /** Bit flips, truncations and digit changes of real-shaped archives: a BitcodeException or members inside the file, nothing else. */
    @Test
    void mutatedArchivesNeverEscapeTheFile() {
        byte[] gnu = new Ar().member("/", ascii("\0\0\0\1syms")).member("//", ascii("long_member_name_number_one.o/\n"))
                .member("/0", ascii("data1")).member("b.o/", ascii("second")).bytes();
        byte[] bsd = new Ar().member("#1/12", ascii("bsd_name.o\0\0payload")).member("c.o", ascii("xyz")).bytes();
        java.util.Random random = new java.util.Random(5);
        int members = 0, errors = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] m = (random.nextBoolean() ? gnu : bsd).clone();
            switch (random.nextInt(3)) {
                case 0 -> m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> m = Arrays.copyOf(m, random.nextInt(m.length + 1));
                default -> m[8 + random.nextInt(m.length - 8)] = (byte) ('0' + random.nextInt(10));
            }
            try {
                for (BitcodeArchive.Member member : BitcodeArchive.members(m)) {
                    assertThat(member.offset()).isBetween(0, m.length);
                    assertThat(member.length()).isBetween(0, m.length - member.offset());
                    members++;
                }
            } catch (BitcodeException e) {
                errors++;
            }
        }
        assertThat(members).isGreaterThan(1000);
        assertThat(errors).isGreaterThan(1000);
    }
}
