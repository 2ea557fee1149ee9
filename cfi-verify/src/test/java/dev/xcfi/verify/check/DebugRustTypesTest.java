package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.RustcEncoder;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.verify.facts.DebugType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading rustc's debug-information spellings of records back as Rust types. What rustc makes of
 * them is measured in {@link DebugNamesTest} against rustc itself; here, that the spellings a
 * corrupt module may hold are read or refused without an exception or a deep recursion.
 */
class DebugRustTypesTest {
    private static final RustcEncoder RUSTC = RustcEncoder.of(Target.X86_64_LINUX_GNU, RustStd.RUSTC_1_95_CRATES);

    /** The ids of {@code fn(record named name)} as the extern "C" and the Rust-ABI candidate; empty when not read. */
    private static List<String> ids(String name) {
        DebugType.Function f = new DebugType.Function(List.of(DebugType.NONE, new DebugType.Composite(DebugType.STRUCTURE, name, DebugType.NONE, List.of(), false)));
        List<String> out = new ArrayList<>();
        for (FnSig sig : DebugRustTypes.of(f)) {
            try {
                out.add(RUSTC.encode(sig, CfiMode.of(false, false)).string());
            } catch (RuntimeException e) {
                out.add("-");   // a candidate rustc's encoder refuses (a repr(C) record under Rust's ABI needs its path)
            }
        }
        return out;
    }

    @Test
    void recordsAreReadAsRustSpellsTheirTypes() {
        assertThat(ids("Ctx")).containsExactly("_ZTSFv3CtxE", "-");
        assertThat(ids("Option<&u64>").getFirst()).isEqualTo("_ZTSFvu37NtNtCsgEmfK2I1SDT_4core6option6OptionIu3refIu3u64EEE");
        assertThat(ids("Option<unsafe extern \"C\" fn(i32) -> *mut core::ffi::c_void>").getFirst())
                .isEqualTo("_ZTSFvu37NtNtCsgEmfK2I1SDT_4core6option6OptionIPFPvu3i32EEE");
        // arrays as rustc spells them in the golden corpus (d0000: "u5tupleIxA2fE")
        assertThat(ids("(i32, [u8; 4])").getFirst()).isEqualTo("_ZTSFvu5tupleIu3i32A4u2u8EE");
        // not read: str, dyn, slices, other generic records, a C-variadic fn pointer
        for (String name : List.of("*const str", "&dyn core::marker::Sync", "*mut [bool]", "Pair<u8, u8>", "CGeneric<f64>",
                "Option<u8, u8>", "Option<unsafe extern \"C\" fn(i32, ...)>", "Option<extern \"nonsense\" fn()>")) {
            assertThat(ids(name)).as(name).isEmpty();
        }
    }

    @Test
    void malformedSpellingsAreRefusedWithoutAnException() {
        for (String name : List.of("", "Option<", "[u8; ", "[u8; 99999999999999999999]", "((((", "fn(", "extern \"", "*mut ", "&",
                "Option<u8", "::", "a::", "<u8>", "fn(u8) -> ", "(u8,,)", "\u0000", "9abc")) {
            assertThat(ids(name)).as(name).isEmpty();
        }
        assertThat(ids("*mut ".repeat(100_000) + "u8")).isEmpty();
        assertThat(ids("Option<".repeat(50_000))).isEmpty();
        // random spellings from the grammar's own pieces
        String[] pieces = {"*mut ", "*const ", "&", "&mut ", "[", "; ", "4", "]", "(", ")", ", ", "fn(", " -> ", "unsafe ", "extern \"C\" ",
                "Option", "<", ">", "::", "core", "u8", "i32", "Ctx", "c_void", "str", "dyn "};
        Random random = new Random(7);
        int read = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int n = random.nextInt(12); n >= 0; n--) name.append(pieces[random.nextInt(pieces.length)]);
            if (!ids(name.toString()).isEmpty()) read++;
        }
        assertThat(read).isPositive();   // some random spellings are types, and were read
    }
}
