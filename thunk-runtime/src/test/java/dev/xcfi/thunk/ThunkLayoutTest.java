package dev.xcfi.thunk;

import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.types.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each x86_64 thunk layout against the bytes clang-22 writes in front of and at the entry of a
 * KCFI function built with the matching flags: padding, {@code mov eax, hash}, the patchable
 * prefix's nops, and {@code endbr64}.
 */
class ThunkLayoutTest {
    @TempDir
    static Path dir;

    @ParameterizedTest(name = "prefix {0}, endbr {1}")
    @CsvSource({"0, false", "0, true", "2, false", "2, true", "5, true", "11, false", "16, true"})
    void theTagIsWhereClangPutsIt(int prefix, boolean endbr) throws Exception {
        Compilers.requireClang();
        Path c = dir.resolve("f.c"), o = dir.resolve("f" + prefix + endbr + ".o"), bin = dir.resolve("f" + prefix + endbr + ".bin");
        Files.writeString(c, "void f(long x) { }\n");
        Compilers.run(List.of("clang-22", "-O2", "-c", "-fsanitize=kcfi", "-fpatchable-function-entry=" + (prefix + 4) + "," + prefix,
                endbr ? "-fcf-protection=branch" : "-fcf-protection=none", "-o", o.toString(), c.toString()));
        Compilers.run(List.of("llvm-objcopy-22", "-O", "binary", "--only-section=.text", o.toString(), bin.toString()));
        byte[] clang = Files.readAllBytes(bin);

        ThunkLayout layout = new ThunkLayout(prefix, endbr);
        int hash = new CfiScheme(Target.X86_64_LINUX_GNU, dev.xcfi.encoding.CfiMode.PLAIN, dev.xcfi.encoding.KcfiHash.XXHASH64)
                .kcfi(dev.xcfi.encoding.c.HeaderParser.parsePrototype(Target.X86_64_LINUX_GNU, "void (long)"));
        byte[] thunk = new byte[layout.slot];
        layout.write(MemorySegment.ofArray(thunk), hash, MemorySegment.ofAddress(0x1122334455667788L));

        // The check reads the hash at entry-(prefix+4), and the entry is 16-byte aligned as clang's.
        assertThat(layout.entry % 16).isZero();
        int through = layout.entry + (endbr ? 4 : 0);
        assertThat(Arrays.copyOf(thunk, through)).as("preamble, prefix and entry").isEqualTo(Arrays.copyOf(clang, through));
        assertThat(layout.slot % 16).isZero();
        assertThat(layout.sharedSlot).isGreaterThanOrEqualTo(layout.slot);
    }
}
