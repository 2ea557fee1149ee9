package dev.xcfi.thunk;

import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aarch64 thunks run: {@link Aarch64ThunkLayout}'s bytes are linked into a small freestanding
 * aarch64 program whose C code calls them through a KCFI-checked function pointer (clang-22
 * {@code -fsanitize=kcfi}, the check clang emits, not one written here), and the program runs
 * under qemu's user-mode emulator. The right hash passes and reaches the target; a wrong hash
 * traps in clang's check; with branch target identification enforced ({@code -mbranch-protection=bti},
 * {@code -cpu max}) the BTI thunk passes and the plain one faults on its first instruction.
 */
class Aarch64ThunkEmulationTest {
    private static final int SIGILL = 4, SIGTRAP = 5;

    /** Calls the thunk as {@code int (*)(int)} with 41; exits 0 when the target's 42 comes back. */
    private static final String MAIN = """
            typedef int (*fn_t)(int);
            extern char thunk_entry[];
            __attribute__((used, noinline)) int target(int x) { return x + 1; }
            __attribute__((noinline)) int call(fn_t f, int x) { return f(x); }
            static void sys_exit(int code) {
              register long x0 __asm__("x0") = code;
              register long x8 __asm__("x8") = 93;
              __asm__ volatile("svc #0" : : "r"(x0), "r"(x8) : "memory");
              __builtin_unreachable();
            }
            void _start(void) { sys_exit(call((fn_t) (void *) thunk_entry, 41) == 42 ? 0 : 1); }
            """;

    private static int hashOfIntToInt() {
        return ClangEncoder.of(Target.AARCH64_LINUX_GNU).kcfi(HeaderParser.parsePrototype(Target.AARCH64_LINUX_GNU, "int f(int)"),
                CfiMode.PLAIN, KcfiHash.XXHASH64);
    }

    @Test
    void theRightHashReachesTheTargetAndAWrongOneTraps(@TempDir Path dir) throws Exception {
        int hash = hashOfIntToInt();
        assertThat(run(dir, "plain", hash, false, false)).isEqualTo(0);
        assertThat(run(dir, "plain-wrong", hash ^ 1, false, false)).isEqualTo(128 + SIGTRAP);
    }

    @Test
    void withBranchTargetIdentificationOnlyTheBtiThunkIsALandingPad(@TempDir Path dir) throws Exception {
        int hash = hashOfIntToInt();
        assertThat(run(dir, "bti", hash, true, true)).isEqualTo(0);
        assertThat(run(dir, "bti-wrong", hash ^ 1, true, true)).isEqualTo(128 + SIGTRAP);
        assertThat(run(dir, "plain-under-bti", hash, false, true)).isEqualTo(128 + SIGILL);
    }

    /**
     * Builds and runs the program with the thunk's bytes; returns its exit status (128 + signal).
     * Linked twice: first to learn where {@code target} is (the thunk holds its address), then with
     * the real address in the same number of bytes, so nothing moves.
     */
    private static int run(Path dir, String name, int hash, boolean btiThunk, boolean enforceBti) throws Exception {
        Compilers.requireClang();
        Compilers.requireQemuAarch64();
        Path c = dir.resolve(name + ".c"), elf = dir.resolve(name + ".elf");
        Files.writeString(c, MAIN);
        link(dir, name, c, elf, Aarch64ThunkLayout.thunk(hash, 0, btiThunk), enforceBti);
        long target = symbol(elf, "target");
        link(dir, name, c, elf, Aarch64ThunkLayout.thunk(hash, target, btiThunk), enforceBti);
        assertThat(symbol(elf, "target")).isEqualTo(target);
        List<String> command = new ArrayList<>(List.of(Compilers.QEMU_AARCH64));
        if (enforceBti) command.addAll(List.of("-cpu", "max"));
        command.add(elf.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private static void link(Path dir, String name, Path c, Path elf, byte[] thunk, boolean bti) throws Exception {
        StringBuilder s = new StringBuilder("  .section .text.thunk,\"ax\",@progbits\n  .balign 8\n  .globl thunk_start\nthunk_start:\n");
        for (byte b : thunk) s.append("  .byte ").append(b & 0xff).append('\n');
        s.append("  .globl thunk_entry\n  .set thunk_entry, thunk_start + 16\n");
        Path asm = Files.writeString(dir.resolve(name + ".s"), s);
        List<String> command = new ArrayList<>(List.of("clang-22", "--target=aarch64-linux-gnu", "-fsanitize=kcfi", "-O1", "-ffreestanding",
                "-nostdlib", "-static", "-fno-pic", "-fuse-ld=lld", "-Wno-unused-command-line-argument"));
        if (bti) command.addAll(List.of("-mbranch-protection=bti", "-Wl,-z,force-bti", "-Wl,--no-warnings"));
        command.addAll(List.of(c.toString(), asm.toString(), "-o", elf.toString()));
        Compilers.run(command);
    }

    private static long symbol(Path elf, String name) throws Exception {
        Process p = new ProcessBuilder("llvm-nm-22", elf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals(name)) return Long.parseUnsignedLong(f[0], 16);
        }
        throw new AssertionError(name + " not in " + elf + ":\n" + out);
    }
}
