package dev.xcfi.verify.bitcode;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Bitcode embedded in a native object file: the module the object was compiled from, kept for
 * link-time optimization. rustc puts it into every object of an rlib by default
 * ({@code -Cembed-bitcode=yes}), clang with {@code -fembed-bitcode}; ELF and COFF call the section
 * {@code .llvmbc}, Mach-O {@code __LLVM,__bitcode}, a WebAssembly object has a custom section
 * {@code .llvmbc}. So a KCFI crate built without any LTO flag can
 * still be verified from its rlib. Headers are read with every offset and count checked against
 * the object, as for bitcode; a malformation is a {@link BitcodeException} at its bit offset.
 */
public final class EmbeddedBitcode {
    /** Where the embedded module is, in the bytes given. */
    public record Section(int offset, int length) {}

    private static final int SHT_NOBITS = 8;
    private static final int SHN_XINDEX = 0xffff;
    private static final int LC_SEGMENT = 0x1, LC_SEGMENT_64 = 0x19;
    /** The section and segment names, as the headers hold them. */
    private static final byte[] LLVMBC = ascii(".llvmbc"), BITCODE = ascii("__bitcode"), LLVM = ascii("__LLVM");

    private EmbeddedBitcode() {}

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code length} bytes at {@code from} are an ELF, Mach-O, COFF or WebAssembly object (with or without bitcode). */
    public static boolean isObject(byte[] file, int from, int length) {
        return elfClass(file, from, length) != 0 || machO(file, from, length) != 0 || isCoff(file, from, length) || isWasm(file, from, length);
    }

    /** The embedded module of the object at {@code from}, or empty when it has none. */
    public static Optional<Section> find(byte[] file, int from, int length) throws BitcodeException {
        ObjectFile o = new ObjectFile(file, from, length);
        int elf = elfClass(file, from, length);
        if (elf != 0) return o.elf(elf == 2, file[from + 5] == 2);
        int macho = machO(file, from, length);
        if (macho != 0) return o.machO(macho == 64);
        if (isCoff(file, from, length)) return o.coff();
        if (isWasm(file, from, length)) return o.wasm();
        throw new BitcodeException("not an ELF, Mach-O, COFF or WebAssembly object", 0);
    }

    /** {@code \0asm} and binary format version 1. */
    private static boolean isWasm(byte[] f, int at, int length) {
        return length >= 8 && f[at] == 0 && f[at + 1] == 'a' && f[at + 2] == 's' && f[at + 3] == 'm'
                && f[at + 4] == 1 && f[at + 5] == 0 && f[at + 6] == 0 && f[at + 7] == 0;
    }

    /** 1 (ELFCLASS32) or 2 (ELFCLASS64) for an ELF object, else 0. */
    private static int elfClass(byte[] f, int at, int length) {
        if (length < 16 || f[at] != 0x7f || f[at + 1] != 'E' || f[at + 2] != 'L' || f[at + 3] != 'F') return 0;
        int cls = f[at + 4], data = f[at + 5];
        return (cls == 1 || cls == 2) && (data == 1 || data == 2) ? cls : 0;
    }

    /** 32 or 64 for a little-endian Mach-O object (the only byte order of Apple's current targets), else 0. */
    private static int machO(byte[] f, int at, int length) {
        if (length < 4 || (f[at + 1] & 0xff) != 0xfa || (f[at + 2] & 0xff) != 0xed || (f[at + 3] & 0xff) != 0xfe) return 0;
        int first = f[at] & 0xff;
        return first == 0xcf ? 64 : first == 0xce ? 32 : 0;
    }

    /**
     * A COFF object (Windows targets, MinGW's included) has no magic: its header starts with the
     * machine, and an object has no optional header. x86-64, i386, arm64 and ARMv7 are known.
     */
    private static boolean isCoff(byte[] f, int at, int length) {
        if (length < 20) return false;
        int machine = (f[at] & 0xff) | (f[at + 1] & 0xff) << 8;
        int optional = (f[at + 16] & 0xff) | (f[at + 17] & 0xff) << 8;
        return (machine == 0x8664 || machine == 0x14c || machine == 0xaa64 || machine == 0x1c4) && optional == 0;
    }

    /** One object's bytes, read with bounds checks in the object's own byte order. */
    private static final class ObjectFile {
        private final byte[] file;
        private final int from, length;
        private boolean bigEndian;

        ObjectFile(byte[] file, int from, int length) {
            this.file = file;
            this.from = from;
            this.length = length;
        }

        Optional<Section> elf(boolean is64, boolean bigEndian) throws BitcodeException {
            this.bigEndian = bigEndian;
            long shoff = is64 ? u64(0x28) : u32(0x20);
            int entry = u16(is64 ? 0x3a : 0x2e);
            long count = u16(is64 ? 0x3c : 0x30);
            long names = u16(is64 ? 0x3e : 0x32);
            if (shoff == 0) return Optional.empty();   // no section headers at all
            if (entry < (is64 ? 64 : 40)) throw error("ELF section header size " + entry + " is too small", is64 ? 0x3a : 0x2e);
            // More than 0xff00 sections: the real count and name-table index are in section 0.
            if (count == 0) count = is64 ? u64(at(shoff, 0, entry) + 0x20) : u32(at(shoff, 0, entry) + 0x14);
            if (names == SHN_XINDEX) names = u32(at(shoff, 0, entry) + (is64 ? 0x28 : 0x18));
            if (count > length / entry) throw error("ELF section count " + count + " does not fit in the object", is64 ? 0x3c : 0x30);
            if (names >= count) throw error("ELF section name table index " + names + " is not a section", is64 ? 0x3e : 0x32);
            long namesAt = at(shoff, names, entry);
            long strtab = is64 ? u64(namesAt + 0x18) : u32(namesAt + 0x10);
            long strtabSize = is64 ? u64(namesAt + 0x20) : u32(namesAt + 0x14);
            checkSpan(strtab, strtabSize, namesAt);
            for (long i = 0; i < count; i++) {
                long header = at(shoff, i, entry);
                long name = u32(header);
                if (name >= strtabSize) throw error("ELF section name offset " + name + " is outside the name table", header);
                if (!named(strtab + name, strtab + strtabSize, LLVMBC)) continue;
                if (u32(header + 4) == SHT_NOBITS) return Optional.empty();
                long offset = is64 ? u64(header + 0x18) : u32(header + 0x10);
                long size = is64 ? u64(header + 0x20) : u32(header + 0x14);
                checkSpan(offset, size, header);
                return Optional.of(new Section(from + (int) offset, (int) size));
            }
            return Optional.empty();
        }

        Optional<Section> machO(boolean is64) throws BitcodeException {
            long commands = u32(16);
            long at = is64 ? 32 : 28;
            for (long c = 0; c < commands; c++) {
                long cmd = u32(at), size = u32(at + 4);
                if (size < 8 || size > length - at) throw error("Mach-O load command " + c + " runs past the end of the object", at);
                if (cmd == (is64 ? LC_SEGMENT_64 : LC_SEGMENT)) {
                    long sections = u32(at + (is64 ? 64 : 48));
                    long first = at + (is64 ? 72 : 56), each = is64 ? 80 : 68;
                    if (sections > (size - (first - at)) / each) throw error("Mach-O segment lists more sections than its command holds", at);
                    for (long s = 0; s < sections; s++) {
                        long section = first + s * each;
                        if (!fixedName(section, BITCODE, 16) || !fixedName(section + 16, LLVM, 16)) continue;
                        long bytes = is64 ? u64(section + 40) : u32(section + 36);
                        long offset = u32(section + (is64 ? 48 : 40));
                        checkSpan(offset, bytes, section);
                        return Optional.of(new Section(from + (int) offset, (int) bytes));
                    }
                }
                at += size;
            }
            return Optional.empty();
        }

        Optional<Section> coff() throws BitcodeException {
            long sections = u16(2);
            if (sections > (length - 20) / 40) throw error("COFF section count " + sections + " does not fit in the object", 2);
            for (long i = 0; i < sections; i++) {
                long header = 20 + i * 40;
                if (!fixedName(header, LLVMBC, 8)) continue;   // names of up to 8 bytes stand in the header itself
                long size = u32(header + 16), offset = u32(header + 20);
                checkSpan(offset, size, header);
                return Optional.of(new Section(from + (int) offset, (int) size));
            }
            return Optional.empty();
        }

        /** Sections: an id byte and a LEB128 size; a custom section (id 0) starts with its LEB128-length name. */
        Optional<Section> wasm() throws BitcodeException {
            long at = 8;
            while (at < length) {
                int id = file[from + (int) at] & 0xff;
                long[] size = leb128(at + 1);
                long body = size[1];
                checkSpan(body, size[0], at);
                if (id == 0) {
                    long[] name = leb128(body);
                    if (name[0] > body + size[0] - name[1]) throw error("a WebAssembly section's name runs past the section", at);
                    if (name[0] == LLVMBC.length && fixedName(name[1], LLVMBC, LLVMBC.length)) {
                        long data = name[1] + name[0];
                        return Optional.of(new Section(from + (int) data, (int) (body + size[0] - data)));
                    }
                }
                at = body + size[0];
            }
            return Optional.empty();
        }

        /** An unsigned LEB128 of at most 32 bits at {@code at}: its value and the position after it. */
        private long[] leb128(long at) throws BitcodeException {
            long value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = (int) unsigned(at++, 1);
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) return new long[] {value, at};
            }
            throw error("a WebAssembly number longer than 32 bits", at);
        }

        /** The file position of section header {@code index}. */
        private long at(long table, long index, int entry) throws BitcodeException {
            long header = table + index * entry;
            if (table < 0 || header < 0 || header > length - entry) throw error("ELF section header " + index + " is outside the object", 0x20);
            return header;
        }

        private void checkSpan(long offset, long size, long describedAt) throws BitcodeException {
            if (offset < 0 || size < 0 || offset > length || size > length - offset) {
                throw error("a section's data (" + size + " bytes at " + offset + ") runs past the end of the object", describedAt);
            }
        }

        /** Whether the NUL-terminated name at {@code at} (before {@code end}) is {@code name}. */
        private boolean named(long at, long end, byte[] n) {
            if (end - at < n.length + 1) return false;
            for (int k = 0; k < n.length; k++) if (file[from + (int) at + k] != n[k]) return false;
            return file[from + (int) at + n.length] == 0;
        }

        /** Whether the NUL-padded name of {@code width} bytes at {@code at} (Mach-O's 16, COFF's 8) is {@code name}. */
        private boolean fixedName(long at, byte[] n, int width) throws BitcodeException {
            if (at < 0 || at > length - width) throw error("a section header runs past the end of the object", at);
            for (int k = 0; k < width; k++) {
                byte expected = k < n.length ? n[k] : 0;
                if (file[from + (int) at + k] != expected) return false;
            }
            return true;
        }

        private int u16(long at) throws BitcodeException {
            return (int) unsigned(at, 2);
        }

        private long u32(long at) throws BitcodeException {
            return unsigned(at, 4);
        }

        /** A 64-bit field; one past what a Java array can hold is as good as "too large" for the checks. */
        private long u64(long at) throws BitcodeException {
            long v = unsigned(at, 8);
            return v < 0 ? Long.MAX_VALUE : v;
        }

        private long unsigned(long at, int bytes) throws BitcodeException {
            if (at < 0 || at > length - bytes) throw error("the object's headers are cut short", at);
            long v = 0;
            for (int k = 0; k < bytes; k++) {
                long b = file[from + (int) at + (bigEndian ? k : bytes - 1 - k)] & 0xff;
                v = (v << 8) | b;
            }
            return v;
        }

        private BitcodeException error(String message, long at) {
            return new BitcodeException(message, (from + Math.min(length, Math.max(0, at))) * 8L);
        }
    }
}
