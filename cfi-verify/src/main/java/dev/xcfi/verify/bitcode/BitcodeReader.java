package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.facts.ModuleFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * The pure-Java reader: the facts of every module of a bitcode file, equal to what libLLVM gives
 * ({@code LlvmReader}), for bitcode written by LLVM 15 to 22 (clang and rustc). Needs no native
 * library and cannot crash the JVM: malformed input is a {@link BitcodeException} with its bit
 * offset and block path; well-formed input it does not read is an {@link UnsupportedBitcodeException}.
 */
public final class BitcodeReader {
    public static final int OLDEST_LLVM = 15, NEWEST_LLVM = 22;
    /**
     * A module's first bodies are read on the caller's thread alone, the rest side by side: while
     * the reader's code is cold, the JIT compiler needs the other core more than a second reading
     * thread does (docs/performance.md), and fewer bodies are not worth the threads.
     */
    public static final int READ_ALONE_FIRST = 256;
    private static final int STRTAB_BLOB = 1;

    private BitcodeReader() {}

    public static List<ModuleFacts> readFile(String path, byte[] file) throws BitcodeException {
        return readFile(path, file, READ_ALONE_FIRST);
    }

    /**
     * As {@link #readFile(String, byte[])}; a module's first {@code aloneFirst} function bodies are
     * read on the caller's thread, the rest on several threads (the common fork-join pool and the
     * caller; {@link Integer#MAX_VALUE}: all on the caller's).
     */
    public static List<ModuleFacts> readFile(String path, byte[] file, int aloneFirst) throws BitcodeException {
        if (!BitcodeFile.isBitcode(file)) throw new UnsupportedBitcodeException("textual IR: the pure-Java reader reads bitcode only", -1, "");
        BitcodeFile.Layout layout = BitcodeFile.layout(file);
        int[] strtab = layout.strtab() == null ? new int[] {0, 0} : strtab(file, layout.strtab());
        List<ModuleFacts> out = new ArrayList<>();
        for (int i = 0; i < layout.modules().size(); i++) {
            int[] ident = layout.identifications().get(i);
            String producer = ident == null ? "" : BitcodeFile.producer(file, ident);
            checkVersion(producer, layout.modules().get(i)[0] * 8L);
            int[] span = layout.modules().get(i);
            out.add(new ModuleReader(file, span[0], span[1], strtab[0], strtab[1], aloneFirst).read(path, i, producer));
        }
        return out;
    }

    private static void checkVersion(String producer, long bit) throws UnsupportedBitcodeException {
        int major = BitcodeFile.producerMajor(producer);
        if (major == 0) return;   // no or foreign producer string: the records decide
        if (major < OLDEST_LLVM || major > NEWEST_LLVM) {
            throw new UnsupportedBitcodeException("bitcode from " + producer + "; the pure-Java reader reads LLVM " + OLDEST_LLVM
                    + " to " + NEWEST_LLVM, bit, "");
        }
    }

    /** The STRTAB block's blob: byte offset and length in the file. */
    private static int[] strtab(byte[] file, int[] span) throws BitcodeException {
        BlockReader blocks = BlockReader.entered(file, span[0], span[1], "the string table block");
        Record r = new Record();
        int[] blob = {0, 0};
        for (int code; (code = blocks.nextRecord()) != BlockReader.END; ) {
            if (code == STRTAB_BLOB) {
                blocks.read(r, code);
                if (r.blobOffset < 0) throw blocks.error("string table without a blob", r.position);
                blob = new int[] {r.blobOffset, r.blobLength};
            } else {
                blocks.skip();
            }
        }
        return blob;
    }
}
