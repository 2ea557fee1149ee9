package dev.xcfi.thunk;

import dev.xcfi.encoding.golden.Compilers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The aarch64 thunk bytes equal what llvm-mc-22 assembles from the same instructions. */
class Aarch64ThunkLayoutTest {
    static byte[] assemble(Path dir, String name, String asm) throws Exception {
        Compilers.requireClang();
        Path s = dir.resolve(name + ".s"), o = dir.resolve(name + ".o"), bin = dir.resolve(name + ".bin");
        Files.writeString(s, asm);
        Compilers.run(List.of("llvm-mc-22", "-triple=aarch64-linux-gnu", "-mattr=+bti", "-filetype=obj", "-o", o.toString(), s.toString()));
        Compilers.run(List.of("llvm-objcopy-22", "-O", "binary", "--only-section=.text", o.toString(), bin.toString()));
        return Files.readAllBytes(bin);
    }

    @Test
    void plainThunkMatchesTheAssembler(@TempDir Path dir) throws Exception {
        byte[] expected = assemble(dir, "plain", """
                nop
                nop
                nop
                .word 0xbde2bfc8
                ldr x16, #8
                br x16
                .quad 0x0000ffff12345678
                """);
        assertThat(Aarch64ThunkLayout.thunk(0xbde2bfc8, 0x0000ffff12345678L, false)).isEqualTo(expected);
    }

    @Test
    void btiThunkMatchesTheAssembler(@TempDir Path dir) throws Exception {
        byte[] expected = assemble(dir, "bti", """
                nop
                nop
                nop
                .word 0x30e0a12f
                bti c
                ldr x16, #12
                br x16
                nop
                .quad 0x0000aaaa87654321
                .quad 0
                """);
        assertThat(Aarch64ThunkLayout.thunk(0x30e0a12f, 0x0000aaaa87654321L, true)).isEqualTo(expected);
        assertThat(Arrays.copyOfRange(expected, 12, 16)).containsExactly(0x2f, 0xa1, 0xe0, 0x30);   // the hash at entry−4
    }
}
