package dev.xcfi.verify.check;

import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.TypeIdRef;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which checks are indirect calls that some function in the program must be able to pass — what
 * the rules that look for a check's carrier (unsatisfiable-check, the orphaned checks
 * table-entry-mismatch pairs) may consider. Not every check is one:
 * <ul>
 * <li>C++'s virtual-call, cast and cfi-mfcall checks test class ids ({@code _ZTS4Base}) and member
 * ids ({@code _ZTSM4BaseFiiE.virtual}), which vtables carry, not functions ({@link
 * TypeIdRef.Named#isFunctionType});</li>
 * <li>rustc's drop glue for a {@code dyn} value calls the vtable's drop entry through a check for
 * {@code fn(*mut dyn Drop)}, but tests the entry for null first, and rustc leaves it null for a type
 * without drop glue: when no function carries that id, nothing is called. Its id names core's path
 * (any disambiguator); under KCFI it is known by its hash with rustc 1.95's core, plain and
 * normalized.</li>
 * </ul>
 */
final class CallChecks {
    private static final String DROP_GLUE_START = "_ZTSFvPu3dynI";
    private static final Pattern RUST_DROP_GLUE = Pattern.compile("_ZTSFvPu3dynIu\\d+NtNtNtC\\w+_4core3ops4drop4Dropu6regionEE(\\.normalized)?");
    private static final String RUST_1_95_DROP_GLUE = "_ZTSFvPu3dynIu39NtNtNtC" + RustStd.RUSTC_1_95_CRATES.get("core") + "4core3ops4drop4Dropu6regionEE";
    private static final Set<Integer> RUST_DROP_GLUE_HASHES = Set.of(KcfiHash.XXHASH64.hash(RUST_1_95_DROP_GLUE),
            KcfiHash.XXHASH64.hash(RUST_1_95_DROP_GLUE + ".normalized"));

    private CallChecks() {}

    /** Whether a type test of {@code m} against {@code id} is a call some function must be able to pass. */
    static boolean needsCarrier(ModuleFacts m, TypeIdRef.Named id) {
        return id.isFunctionType() && !(id.id().startsWith(DROP_GLUE_START) && Site.isRust(m) && RUST_DROP_GLUE.matcher(id.id()).matches());
    }

    /** Whether a KCFI-checked call of {@code m} is one some function must be able to pass. */
    static boolean needsCarrier(ModuleFacts m, KcfiCall k) {
        return !(Site.isRust(m) && RUST_DROP_GLUE_HASHES.contains(k.hash()));
    }
}
