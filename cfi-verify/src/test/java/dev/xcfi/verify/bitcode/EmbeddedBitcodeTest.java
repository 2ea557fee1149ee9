package dev.xcfi.verify.bitcode;

import dev.xcfi.encoding.golden.Compilers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The module embedded in native objects, found in objects clang-22 writes for ELF (32- and 64-bit,
 * both byte orders), Mach-O and COFF, and compared byte for byte with what {@code llvm-objcopy-22
 * --dump-section} extracts; then the same objects damaged.
 */
class EmbeddedBitcodeTest {
    private static final String SOURCE = "typedef void (*cb)(long);\nvoid call(cb f, long x) { f(x); }\nvoid target(long x) {}\n";

    @TempDir
    Path dir;

    /** clang-22 -fembed-bitcode for a target, and the section as llvm-objcopy dumps it. */
    private record Built(byte[] object, byte[] section) {}

    private Built build(String target, String sectionName, String... flags) throws Exception {
        Compilers.requireClang();
        Path c = Files.writeString(dir.resolve("x.c"), SOURCE);
        Path o = dir.resolve(target + ".o"), dump = dir.resolve(target + ".section");
        List<String> command = new java.util.ArrayList<>(List.of("clang-22", "--target=" + target, "-O1", "-c", "-fembed-bitcode", "-ffreestanding"));
        command.addAll(List.of(flags));
        command.addAll(List.of(c.toString(), "-o", o.toString()));
        Compilers.run(command);
        Compilers.run(List.of("llvm-objcopy-22", "--dump-section=" + sectionName + "=" + dump, o.toString(), dir.resolve("copy.o").toString()));
        return new Built(Files.readAllBytes(o), Files.readAllBytes(dump));
    }

    private static byte[] found(byte[] object) throws BitcodeException {
        EmbeddedBitcode.Section s = EmbeddedBitcode.find(object, 0, object.length).orElseThrow();
        return Arrays.copyOfRange(object, s.offset(), s.offset() + s.length());
    }

    @Test
    void findsTheModuleInElfAndMachOObjectsAsObjcopyDoes() throws Exception {
        for (String target : List.of("x86_64-linux-gnu", "i686-linux-gnu", "aarch64-linux-gnu", "powerpc64-linux-gnu", "armv7-linux-gnueabihf",
                "x86_64-windows-gnu", "i686-windows-gnu", "aarch64-windows-gnu")) {
            Built b = build(target, ".llvmbc", "-w");
            assertThat(EmbeddedBitcode.isObject(b.object(), 0, b.object().length)).as(target).isTrue();
            assertThat(found(b.object())).as(target).isEqualTo(b.section());
            assertThat(BitcodeFile.isBitcode(found(b.object()))).as(target).isTrue();
        }
        Built wasm = build("wasm32-unknown-unknown", ".llvmbc", "-w");   // a custom section
        assertThat(EmbeddedBitcode.isObject(wasm.object(), 0, wasm.object().length)).isTrue();
        assertThat(found(wasm.object())).isEqualTo(wasm.section());
        Built macho = build("arm64-apple-macos13", "__LLVM,__bitcode", "-w");
        assertThat(found(macho.object())).isEqualTo(macho.section());
        // and in the middle of a larger buffer, as an archive member is
        byte[] padded = new byte[macho.object().length + 10];
        System.arraycopy(macho.object(), 0, padded, 6, macho.object().length);
        EmbeddedBitcode.Section s = EmbeddedBitcode.find(padded, 6, macho.object().length).orElseThrow();
        assertThat(Arrays.copyOfRange(padded, s.offset(), s.offset() + s.length())).isEqualTo(macho.section());
    }

    @Test
    void theEmbeddedModuleIsTheCompiledOne() throws Exception {
        Built b = build("x86_64-linux-gnu", ".llvmbc", "-fsanitize=kcfi");
        var modules = BitcodeReader.readFile("x.o", found(b.object()));
        assertThat(modules).hasSize(1);
        assertThat(modules.get(0).functions()).extracting(f -> f.name()).contains("call", "target");
        assertThat(modules.get(0).kcfiCalls()).hasSize(1);
        assertThat(modules.get(0).flags().kcfi()).isTrue();
    }

    @Test
    void anObjectWithoutEmbeddedBitcodeHasNone() throws Exception {
        Compilers.requireClang();
        Path c = Files.writeString(dir.resolve("n.c"), SOURCE), o = dir.resolve("n.o");
        Compilers.run(List.of("clang-22", "-O1", "-c", c.toString(), "-o", o.toString()));
        byte[] object = Files.readAllBytes(o);
        assertThat(EmbeddedBitcode.isObject(object, 0, object.length)).isTrue();
        assertThat(EmbeddedBitcode.find(object, 0, object.length)).isEqualTo(Optional.empty());
    }

    @Test
    void recognisesObjectsByTheirMagic() {
        byte[] elf = new byte[64];
        elf[0] = 0x7f; elf[1] = 'E'; elf[2] = 'L'; elf[3] = 'F'; elf[4] = 2; elf[5] = 1;
        assertThat(EmbeddedBitcode.isObject(elf, 0, 64)).isTrue();
        assertThat(EmbeddedBitcode.isObject(elf, 0, 15)).isFalse();
        elf[4] = 3;
        assertThat(EmbeddedBitcode.isObject(elf, 0, 64)).isFalse();
        assertThat(EmbeddedBitcode.isObject(new byte[] {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe}, 0, 4)).isTrue();
        assertThat(EmbeddedBitcode.isObject(new byte[] {'B', 'C', (byte) 0xC0, (byte) 0xDE}, 0, 4)).isFalse();
        assertThatThrownBy(() -> EmbeddedBitcode.find(new byte[] {'B', 'C', (byte) 0xC0, (byte) 0xDE}, 0, 4))
                .isInstanceOf(BitcodeException.class).hasMessageContaining("not an ELF, Mach-O, COFF or WebAssembly object");
        assertThat(EmbeddedBitcode.isObject(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, 0, 8)).isTrue();
        assertThat(EmbeddedBitcode.isObject(new byte[] {0, 'a', 's', 'm', 2, 0, 0, 0}, 0, 8)).isFalse();   // another binary format version
    }

    @Test
    void headersThatPointOutsideTheObjectAreErrorsAtThem() throws Exception {
        byte[] o = build("x86_64-linux-gnu", ".llvmbc", "-w").object();
        byte[] cut = Arrays.copyOf(o, 0x40);   // the whole ELF header, whose e_shoff names section headers past the end
        assertThatThrownBy(() -> EmbeddedBitcode.find(cut, 0, cut.length)).isInstanceOf(BitcodeException.class)
                .hasMessageContaining("ELF section count 8 does not fit in the object")
                .satisfies(e -> assertThat(((BitcodeException) e).bitOffset()).isEqualTo(0x3c * 8L));
        byte[] badNames = o.clone();
        badNames[0x3e] = (byte) 0xfe;   // e_shstrndx past the section count
        badNames[0x3f] = 0;
        assertThatThrownBy(() -> EmbeddedBitcode.find(badNames, 0, badNames.length)).isInstanceOf(BitcodeException.class)
                .hasMessageContaining("name table index 254 is not a section")
                .satisfies(e -> assertThat(((BitcodeException) e).bitOffset()).isEqualTo(0x3e * 8L));
    }

    /** Bit flips, truncations and overwritten header fields of real objects: a BitcodeException or a section inside the bytes, nothing else. */
    @Test
    void damagedObjectsNeverEscapeTheirBytes() throws Exception {
        List<byte[]> objects = List.of(build("x86_64-linux-gnu", ".llvmbc", "-w").object(), build("i686-linux-gnu", ".llvmbc", "-w").object(),
                build("powerpc64-linux-gnu", ".llvmbc", "-w").object(), build("arm64-apple-macos13", "__LLVM,__bitcode", "-w").object(),
                build("x86_64-windows-gnu", ".llvmbc", "-w").object(), build("wasm32-unknown-unknown", ".llvmbc", "-w").object());
        Random random = new Random(11);
        int sections = 0, errors = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] m = objects.get(random.nextInt(objects.size())).clone();
            switch (random.nextInt(3)) {
                case 0 -> m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> m = Arrays.copyOf(m, random.nextInt(m.length + 1));
                default -> m[random.nextInt(Math.min(m.length, 128))] = (byte) random.nextInt(256);   // the headers
            }
            if (!EmbeddedBitcode.isObject(m, 0, m.length)) continue;
            try {
                Optional<EmbeddedBitcode.Section> s = EmbeddedBitcode.find(m, 0, m.length);
                if (s.isPresent()) {
                    assertThat(s.get().offset()).isBetween(0, m.length);
                    assertThat(s.get().length()).isBetween(0, m.length - s.get().offset());
                    sections++;
                }
            } catch (BitcodeException e) {
                assertThat(e.bitOffset()).isBetween(0L, m.length * 8L);
                errors++;
            }
        }
        assertThat(sections).isGreaterThan(1000);
        assertThat(errors).isGreaterThan(1000);
    }
}
