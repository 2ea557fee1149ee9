package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.Compiler;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.RustIdDecoder;
import dev.xcfi.encoding.RustcEncoder;
import dev.xcfi.encoding.TypeId;
import dev.xcfi.encoding.TypeIdDecoder;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One C type, written by each compiler, reads back as that type only by its writer's dictionary
 * rules. Every id clang wrote for the golden headers (plain and normalized, on the targets whose
 * ids are unambiguous) that Rust can express is read as a Rust signature (C builtins as their
 * {@code #[cfi_encoding]} codes, records as {@code #[repr(C)]} names); rustc's encoder writes that
 * signature, and rustc's id must read as C to the very type clang's did. Arrays aside (rustc
 * writes no {@code _} after the length), two plain ids differ only when a function pointer is in them.
 */
class CrossCompilerNumberingTest {
    private static final java.util.regex.Pattern ARRAY = java.util.regex.Pattern.compile("A\\d");

    @Test
    void rustcsSpellingOfEachClangIdReadsAsTheSameCType() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0, renumbered = 0, renumberedWithoutFnPointer = 0;
        for (Target target : Fixtures.unambiguousTargets()) {
            RustcEncoder rustc = RustcEncoder.of(target, Map.of());
            for (String header : Fixtures.GOLDEN_HEADERS) {
                for (CfiMode mode : new CfiMode[] {CfiMode.PLAIN, CfiMode.NORMALIZED}) {
                    for (String line : Files.readAllLines(Fixtures.golden(target, header, mode, KcfiHash.XXHASH64))) {
                        String clangId = GoldenRow.parse(line).typeId();
                        if (clangId.equals(TypeId.INTERNAL)) continue;
                        RustIdDecoder.Decoded asRust;
                        try {
                            asRust = RustIdDecoder.decode(clangId, Compiler.CLANG);
                        } catch (IllegalArgumentException e) {
                            continue;   // a C type Rust cannot write: volatile, a vector, _Complex, a calling convention …
                        }
                        String c = TypeIdDecoder.decode(clangId, target, Compiler.CLANG).c();
                        if (c.contains("()")) continue;   // K&R's unprototyped functions: Rust has no such type
                        String rustcId = rustc.encode(asRust.sig(), mode).string();
                        String again = TypeIdDecoder.decode(rustcId, target, Compiler.RUSTC).c();
                        if (!again.equals(c)) failures.add(target + ": " + clangId + " (" + c + ") -> rustc " + rustcId + " -> " + again);
                        // Arrays aside (rustc writes A<n><T>, clang A<n>_<T>), and plain ids only: under
                        // normalization clang keeps long * and long long * apart in its dictionary, Rust cannot.
                        boolean arrays = ARRAY.matcher(clangId).find();
                        if (!rustcId.equals(clangId) && !arrays && mode == CfiMode.PLAIN) {
                            if (clangId.contains("PF")) renumbered++;
                            else renumberedWithoutFnPointer++;
                        }
                        checked++;
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isGreaterThan(3_000);
        assertThat(renumbered).as("plain ids whose numbering differs").isGreaterThan(30);
        assertThat(renumberedWithoutFnPointer).as("renumbered without a function pointer").isZero();
    }
}
