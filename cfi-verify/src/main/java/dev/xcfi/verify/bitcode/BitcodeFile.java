package dev.xcfi.verify.bitcode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The modules of a bitcode file. ThinLTO with CFI and rustc's linker-plugin LTO write several
 * modules into one file, which libLLVM's C API refuses ("Expected a single module"); each module
 * is cut out as {@code BC C0DE} + its IDENTIFICATION and MODULE blocks + the shared STRTAB, the
 * same bytes {@code llvm-modextract -b} writes. Also reads each module's producer string.
 */
public final class BitcodeFile {
    private static final int IDENTIFICATION_BLOCK = 13;
    private static final int MODULE_BLOCK = 8;
    private static final int STRTAB_BLOCK = 23;
    private static final int IDENTIFICATION_CODE_STRING = 1;
    private static final byte[] MAGIC = {'B', 'C', (byte) 0xC0, (byte) 0xDE};
    private static final int WRAPPER_MAGIC = 0x0B17C0DE;

    /** One module: its index in the file, the producer (e.g. {@code LLVM22.1.8}) and a single-module image. */
    public record Module(int index, String producer, byte[] image) {}

    private BitcodeFile() {}

    public static boolean isBitcode(byte[] file) {
        return isBitcode(file, 0, file.length);
    }

    /** Whether {@code file[from, from + length)} is bitcode (raw or wrapped): an archive member, say, looked at in place. */
    public static boolean isBitcode(byte[] file, int from, int length) {
        return length >= 4 && (Arrays.equals(file, from, from + 4, MAGIC, 0, 4) || littleEndianInt(file, from) == WRAPPER_MAGIC);
    }

    /** Splits {@code file} into its modules; a single-module file comes back as one module with the same bytes. */
    public static List<Module> modules(byte[] file) throws BitcodeException {
        Layout layout = layout(file);
        List<Module> out = new ArrayList<>();
        for (int i = 0; i < layout.modules().size(); i++) {
            int[] ident = layout.identifications().get(i);
            byte[] image = layout.modules().size() == 1 && layout.start() == 0 ? file : image(file, ident, layout.modules().get(i), layout.strtab());
            out.add(new Module(i, ident == null ? "" : producer(file, ident), image));
        }
        return out;
    }

    /** Each module's producer, without cutting any module out (for choosing a libLLVM before reading). */
    public static List<String> producers(byte[] file) throws BitcodeException {
        Layout layout = layout(file);
        List<String> out = new ArrayList<>();
        for (int[] ident : layout.identifications()) out.add(ident == null ? "" : producer(file, ident));
        return out;
    }

    /** Byte spans of each module's IDENTIFICATION and MODULE blocks and of the shared STRTAB, after a wrapper header at {@code start}. */
    record Layout(int start, List<int[]> identifications, List<int[]> modules, int[] strtab) {}

    /** Walks the top-level block headers only: a block's body is skipped by its word count. */
    static Layout layout(byte[] file) throws BitcodeException {
        int start = 0, end = file.length;
        if (file.length >= 20 && littleEndianInt(file, 0) == WRAPPER_MAGIC) {   // Darwin's wrapper header
            start = littleEndianInt(file, 8);
            end = start + littleEndianInt(file, 12);
            if (start < 20 || end > file.length || end < start) throw new BitcodeException("bitcode wrapper points outside the file", 0);
        }
        if (end - start < 4 || !Arrays.equals(file, start, start + 4, MAGIC, 0, 4)) throw new BitcodeException("not LLVM bitcode (no 'BC' 0xC0DE magic)", 0);
        BitstreamCursor in = new BitstreamCursor(file, start, end);
        in.seek(in.position() + 32);
        List<int[]> identifications = new ArrayList<>(), modules = new ArrayList<>();
        int[] strtab = null;
        int[] pendingIdentification = null;
        while (!in.atEnd()) {
            if (end * 8L - in.position() < 32 && allZero(file, (int) (in.position() / 8), end)) break;   // padding
            long blockStart = in.position();
            if (in.fixed(2) != 1) throw new BitcodeException("expected a block at the top level", blockStart);
            int id = (int) in.vbr(8);
            in.vbr(4);
            in.align32();
            long words = in.fixed(32);
            long blockEnd = in.position() + words * 32;
            if (blockEnd > end * 8L) throw new BitcodeException(BlockReader.blockName(id) + " runs past the end of the file (cut short?)", blockStart);
            int[] span = {(int) (blockStart / 8), (int) (blockEnd / 8)};
            switch (id) {
                case IDENTIFICATION_BLOCK -> pendingIdentification = span;
                case MODULE_BLOCK -> {
                    identifications.add(pendingIdentification);
                    modules.add(span);
                    pendingIdentification = null;
                }
                case STRTAB_BLOCK -> strtab = span;
                default -> { }   // SYMTAB (25) and others: libLLVM rebuilds what it needs
            }
            in.seek(blockEnd);
        }
        if (modules.isEmpty()) throw new BitcodeException("the file holds no module", start * 8L);
        return new Layout(start, identifications, modules, strtab);
    }

    private static byte[] image(byte[] file, int[] identification, int[] module, int[] strtab) {
        int size = 4 + length(identification) + length(module) + length(strtab);
        byte[] out = new byte[size];
        System.arraycopy(MAGIC, 0, out, 0, 4);
        int at = 4;
        for (int[] span : new int[][] {identification, module, strtab}) {
            if (span == null) continue;
            System.arraycopy(file, span[0], out, at, span[1] - span[0]);
            at += span[1] - span[0];
        }
        return out;
    }

    private static int length(int[] span) {
        return span == null ? 0 : span[1] - span[0];
    }

    private static final java.util.regex.Pattern PRODUCER = java.util.regex.Pattern.compile("LLVM(\\d{1,4})\\..*");

    /**
     * The LLVM major version a producer string names ({@code LLVM22.1.8},
     * {@code LLVM22.1.2-rust-1.95.0-stable}), or 0 when it names none.
     */
    public static int producerMajor(String producer) {
        java.util.regex.Matcher m = PRODUCER.matcher(producer);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The IDENTIFICATION block's STRING record. */
    static String producer(byte[] file, int[] span) throws BitcodeException {
        BlockReader blocks = BlockReader.entered(file, span[0], span[1], "the identification block");
        Record r = new Record();
        String producer = "";
        for (int code; (code = blocks.next()) != BlockReader.END; ) {
            if (code == BlockReader.SUB_BLOCK) throw blocks.error("unexpected sub-block in the identification block", blocks.cursor().position());
            if (code == IDENTIFICATION_CODE_STRING) {
                blocks.read(r, code);
                producer = r.chars(0, StandardCharsets.ISO_8859_1);
            } else {
                blocks.skip();
            }
        }
        return producer;
    }

    private static boolean allZero(byte[] file, int from, int to) {
        for (int i = from; i < to; i++) if (file[i] != 0) return false;
        return true;
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
