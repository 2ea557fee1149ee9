package dev.xcfi.types.rust;

import dev.xcfi.types.Target;

import java.util.List;
import java.util.Map;

/**
 * The parts of Rust's standard library that matter to CFI ids: the {@code core::ffi} C aliases per
 * target, {@code c_void}, and the std ADTs FFI signatures commonly use, with where they are
 * defined (the defining crate is what rustc encodes: {@code Option} is {@code core}, {@code Box} is
 * {@code alloc}).
 */
public final class RustStd {
    private RustStd() {}

    /** {@code core::ffi::c_void}: rustc's encoder turns it into {@code ()}. */
    public static final Alias C_VOID = new Alias("core::ffi::c_void", RustType.UNIT);

    /**
     * core::ffi's C integer aliases by the Itanium code of the C type each stands for ({@code l}:
     * {@code c_long}): how a {@code #[cfi_encoding]} builtin code and C's spelling of an integer
     * are named on the Rust side.
     */
    public static final Map<Character, String> C_INTEGER_ALIASES = Map.ofEntries(Map.entry('c', "c_char"), Map.entry('a', "c_schar"),
            Map.entry('h', "c_uchar"), Map.entry('s', "c_short"), Map.entry('t', "c_ushort"), Map.entry('i', "c_int"), Map.entry('j', "c_uint"),
            Map.entry('l', "c_long"), Map.entry('m', "c_ulong"), Map.entry('x', "c_longlong"), Map.entry('y', "c_ulonglong"));

    /** The C alias {@code name} ({@code c_long}, …) for {@code target}, or null if there is none of that name. */
    public static Alias cAlias(String name, Target target) {
        int intBits = target.dataModel().intBits(), longBits = target.dataModel().longBits();
        RustType t = switch (name) {
            case "c_char" -> target.charSigned() ? Scalar.I8 : Scalar.U8;
            case "c_schar" -> Scalar.I8;
            case "c_uchar" -> Scalar.U8;
            case "c_short" -> Scalar.I16;
            case "c_ushort" -> Scalar.U16;
            case "c_int" -> Scalar.integer(intBits, true);
            case "c_uint" -> Scalar.integer(intBits, false);
            case "c_long" -> Scalar.integer(longBits, true);
            case "c_ulong" -> Scalar.integer(longBits, false);
            case "c_longlong" -> Scalar.I64;
            case "c_ulonglong" -> Scalar.U64;
            case "c_float" -> Scalar.F32;
            case "c_double" -> Scalar.F64;
            case "c_void" -> null;
            default -> null;
        };
        if (name.equals("c_void")) return C_VOID;
        return t == null ? null : new Alias("core::ffi::" + name, t);
    }

    private static final AdtDef.GenericParam T = new AdtDef.GenericParam("T", AdtDef.GenericParam.TYPE);

    public static final AdtDef OPTION = new AdtDef(AdtDef.Kind.ENUM, DefPath.of("core", "option", "Option"), false, false, null, List.of(T));
    public static final AdtDef NON_NULL = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("core", "ptr", "non_null", "NonNull"), false, true, null, List.of(T))
            .withFields(List.of(new RawPointer(new Param(0, "T"), false)));
    public static final AdtDef PHANTOM_DATA = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("core", "marker", "PhantomData"), false, false, null, List.of(T))
            .withFields(List.of());
    public static final AdtDef MANUALLY_DROP = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("core", "mem", "manually_drop", "ManuallyDrop"), false, true, null, List.of(T))
            .withFields(List.of(new Param(0, "T")));
    public static final AdtDef MAYBE_UNINIT = new AdtDef(AdtDef.Kind.UNION, DefPath.of("core", "mem", "maybe_uninit", "MaybeUninit"), false, true, null, List.of(T));
    /** {@code Cell<T>} and {@code UnsafeCell<T>}: transparent, so rustc encodes the T they hold. */
    public static final AdtDef CELL = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("core", "cell", "Cell"), false, true, null, List.of(T))
            .withFields(List.of(new Param(0, "T")));
    public static final AdtDef UNSAFE_CELL = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("core", "cell", "UnsafeCell"), false, true, null, List.of(T))
            .withFields(List.of(new Param(0, "T")));

    /**
     * core::sync::atomic's types: {@code #[repr(C, align(N))]}, so rustc encodes each by its bare
     * name ({@code 9AtomicU32}; {@code AtomicPtr<T>} as {@code 9AtomicPtr}), never as C's
     * {@code _Atomic} type.
     */
    private static Map<String, AdtDef> atomics() {
        Map<String, AdtDef> out = new java.util.LinkedHashMap<>();
        for (String n : List.of("AtomicBool", "AtomicI8", "AtomicI16", "AtomicI32", "AtomicI64", "AtomicIsize", "AtomicU8", "AtomicU16",
                "AtomicU32", "AtomicU64", "AtomicUsize")) {
            out.put(n, new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("core", "sync", "atomic", n), true, false, null, List.of()).withFields(List.of()));
        }
        out.put("AtomicPtr", new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("core", "sync", "atomic", "AtomicPtr"), true, false, null, List.of(T))
                .withFields(List.of()));
        return out;
    }

    /** The allocator a {@code Box} names when none is written ({@code Box<T>} is {@code Box<T, Global>}, and rustc encodes both). */
    public static final AdtDef GLOBAL = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("alloc", "alloc", "Global"), false, false, null, List.of())
            .withFields(List.of());
    /** {@code Box<T, A = Global>}: FFI-safe for a sized T, and encoded by its path, not as the pointer C has. */
    public static final AdtDef BOX = new AdtDef(AdtDef.Kind.STRUCT, DefPath.of("alloc", "boxed", "Box"), false, false, null,
            List.of(T, new AdtDef.GenericParam("A", AdtDef.GenericParam.TYPE)));

    /**
     * The {@code T} of {@code def<T>} ({@code Option<T>}, {@code NonNull<T>} …) when {@code t} is
     * that std type, however it was made — parsed, read from debug information or decoded from an
     * id, so compared by path — or null.
     */
    public static RustType argumentOf(AdtDef def, RustType t) {
        return t instanceof Adt a && a.def().path().equals(def.path()) && a.args().size() == 1
                && a.args().getFirst() instanceof GenericArg.Type arg ? arg.type() : null;
    }

    /** The std ADTs by the names FFI code uses for them (also reachable as std::…/core::… paths). */
    public static final Map<String, AdtDef> ADTS = adts();

    private static Map<String, AdtDef> adts() {
        Map<String, AdtDef> all = new java.util.HashMap<>(Map.of(
                "Option", OPTION, "NonNull", NON_NULL, "PhantomData", PHANTOM_DATA,
                "ManuallyDrop", MANUALLY_DROP, "MaybeUninit", MAYBE_UNINIT, "Box", BOX, "Global", GLOBAL,
                "Cell", CELL, "UnsafeCell", UNSAFE_CELL));
        all.putAll(atomics());
        return Map.copyOf(all);
    }

    // --- traits a dyn type can name -----------------------------------------------------------

    public static final DefPath SEND = DefPath.of("core", "marker", "Send");
    public static final DefPath SYNC = DefPath.of("core", "marker", "Sync");
    public static final DefPath UNPIN = DefPath.of("core", "marker", "Unpin");
    public static final DefPath UNWIND_SAFE = DefPath.of("core", "panic", "unwind_safe", "UnwindSafe");
    public static final DefPath REF_UNWIND_SAFE = DefPath.of("core", "panic", "unwind_safe", "RefUnwindSafe");
    /** {@code core::any::Any}, declared {@code Any: 'static}: its dyn types default to {@code 'static}. */
    public static final DefPath ANY = DefPath.of("core", "any", "Any");
    public static final DefPath FN = DefPath.of("core", "ops", "function", "Fn");
    public static final DefPath FN_MUT = DefPath.of("core", "ops", "function", "FnMut");
    public static final DefPath FN_ONCE = DefPath.of("core", "ops", "function", "FnOnce");
    /** {@code FnOnce::Output}, the projection {@code Fn(A) -> R} sugar adds. */
    public static final DefPath FN_ONCE_OUTPUT = DefPath.of("core", "ops", "function", "FnOnce", "Output");

    /**
     * The order rustc 1.95 gives auto traits in a {@code dyn} type (by an internal stable hash, not by
     * name or source order), read off rustc: {@code dyn Send + Sync + Unpin + UnwindSafe + RefUnwindSafe}
     * is encoded Sync, Unpin, UnwindSafe, Send, RefUnwindSafe.
     */
    public static final List<DefPath> AUTO_TRAIT_ORDER = List.of(SYNC, UNPIN, UNWIND_SAFE, SEND, REF_UNWIND_SAFE);

    /** Std traits by the names code uses for them (prelude and std paths), and whether each is an auto trait. */
    public static final Map<String, DefPath> TRAITS = Map.ofEntries(
            Map.entry("Send", SEND), Map.entry("Sync", SYNC), Map.entry("Unpin", UNPIN),
            Map.entry("UnwindSafe", UNWIND_SAFE), Map.entry("RefUnwindSafe", REF_UNWIND_SAFE),
            Map.entry("Fn", FN), Map.entry("FnMut", FN_MUT), Map.entry("FnOnce", FN_ONCE),
            Map.entry("Any", ANY), Map.entry("Debug", DefPath.of("core", "fmt", "Debug")),
            Map.entry("Display", DefPath.of("core", "fmt", "Display")));

    public static boolean isAutoTrait(DefPath trait) {
        return AUTO_TRAIT_ORDER.contains(trait);
    }

    /** Crate disambiguators of rustc 1.95.0 (stable) as they appear in type ids: {@code C<these>4core}. */
    public static final Map<String, String> RUSTC_1_95_CRATES = Map.of("core", "sgEmfK2I1SDT_", "alloc", "slNYArtu3iFW_");
}
