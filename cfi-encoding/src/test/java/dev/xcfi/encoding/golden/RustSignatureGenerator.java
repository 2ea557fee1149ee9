package dev.xcfi.encoding.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random Rust signatures, deterministic by seed, written as a crate rustc compiles: each case is a
 * {@code type} alias of a fn pointer with a {@code #[no_mangle]} caller (whose {@code llvm.type.test}
 * and {@code "kcfi"} bundle are the alias's ids), a function in an {@code extern} block, an
 * {@code extern "C"} definition, or a Rust-ABI definition. The row names, in source order, are the
 * manifest the oracle reads ids for; the generator shares nothing with xcfi's parser.
 */
public final class RustSignatureGenerator {
    /** The crate and the names of its rows in source order. */
    public record Crate(String source, List<String> rows) {}

    static final String PRELUDE = """
            #![feature(cfi_encoding, extern_types, f16, f128)]
            #![allow(unused, dead_code, non_snake_case, non_camel_case_types, improper_ctypes, improper_ctypes_definitions)]
            use std::ffi::{c_char, c_schar, c_uchar, c_short, c_ushort, c_int, c_uint, c_long, c_ulong, c_longlong, c_ulonglong, c_float, c_double, c_void};
            use std::ptr::NonNull;
            use std::marker::PhantomData;
            use std::mem::ManuallyDrop;
            use std::panic::{UnwindSafe, RefUnwindSafe};

            pub trait MyTrait {}
            pub trait Gen<T> {}
            pub trait Assoc { type Out; }
            pub mod traits { pub trait Inner {} pub trait Forever: 'static {} }

            #[repr(C)] pub struct CPoint { pub x: i32, pub y: i32 }
            pub struct RPoint(pub i32);
            #[repr(C)] pub union CUnion { pub a: i32, pub b: f32 }
            #[repr(C)] pub enum CEnum { A, B }
            pub enum REnum { A, B }
            #[repr(C, u8)] pub enum CTagged { A(u8), B(u16) }
            #[repr(transparent)] pub struct Wrap(pub u64);
            #[repr(transparent)] pub struct WrapGen<T>(pub T, pub PhantomData<u8>);
            #[repr(transparent)] pub struct WrapZst(pub ());
            pub struct Pair<T, U>(pub T, pub U);
            #[repr(C)] pub struct CGeneric<T>(pub T);
            pub struct Unit;
            pub struct Lt<'a>(pub &'a u8);
            pub struct Arr<const N: usize>(pub [u8; N]);
            pub struct _Priv(pub u8);
            pub mod m1 { pub mod m2 { pub struct Inner<T>(pub T); } }
            #[repr(transparent)] #[cfi_encoding = "c"] pub struct c_char_t(pub i8);
            #[repr(transparent)] #[cfi_encoding = "a"] pub struct c_schar_t(pub i8);
            #[repr(transparent)] #[cfi_encoding = "h"] pub struct c_uchar_t(pub u8);
            #[repr(transparent)] #[cfi_encoding = "s"] pub struct c_short_t(pub i16);
            #[repr(transparent)] #[cfi_encoding = "t"] pub struct c_ushort_t(pub u16);
            #[repr(transparent)] #[cfi_encoding = "i"] pub struct c_int_t(pub i32);
            #[repr(transparent)] #[cfi_encoding = "j"] pub struct c_uint_t(pub u32);
            #[repr(transparent)] #[cfi_encoding = "l"] pub struct c_long_t(pub i64);
            #[repr(transparent)] #[cfi_encoding = "m"] pub struct c_ulong_t(pub u64);
            #[repr(transparent)] #[cfi_encoding = "x"] pub struct c_longlong_t(pub i64);
            #[repr(transparent)] #[cfi_encoding = "y"] pub struct c_ulonglong_t(pub u64);
            #[cfi_encoding = "3Foo"] #[repr(transparent)] pub struct Foo(pub i32);
            extern "C" {
                pub type Opaque;
                #[cfi_encoding = "9OpaqueEnc"] pub type OpaqueEnc;
            }
            """;

    private static final String[] SCALARS = {"i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
            "f32", "f64", "f16", "f128", "bool", "char"};
    private static final String[] C_ALIASES = {"c_char", "c_schar", "c_uchar", "c_short", "c_ushort", "c_int", "c_uint", "c_long",
            "c_ulong", "c_longlong", "c_ulonglong", "c_float", "c_double"};
    private static final String[] NEWTYPES = {"c_char_t", "c_schar_t", "c_uchar_t", "c_short_t", "c_ushort_t", "c_int_t", "c_uint_t",
            "c_long_t", "c_ulong_t", "c_longlong_t", "c_ulonglong_t", "Foo"};
    private static final String[] ABIS = {"C", "C", "C", "system", "C-unwind", "Rust", "sysv64", "win64"};

    private final SplittableRandom rnd;
    private int depth;
    /** Inside a return type references need a lifetime that is not elided: they get 'static. */
    private boolean inReturn;
    /**
     * Inside a non-Rust-ABI fn pointer type no dyn types: rustc 1.95's improper_ctypes lint panics on
     * a dyn type with late-bound regions there ("has escaping bound vars"), even when allowed.
     */
    private int foreignFnPointers;

    public RustSignatureGenerator(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    public Crate crate(int cases) {
        StringBuilder src = new StringBuilder(PRELUDE);
        List<String> rows = new ArrayList<>();
        List<String> externs = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            String n = String.format("%04d", i);
            int kind = rnd.nextInt(4);
            // A type alias is a fn pointer type itself: of a non-Rust ABI, its types must hold no dyn.
            String abi = kind == 0 ? ABIS[rnd.nextInt(ABIS.length)] : "Rust";
            boolean foreign = kind == 0 && !abi.equals("Rust");
            if (foreign) foreignFnPointers++;
            List<String> params = new ArrayList<>();
            String ret;
            try {
                int count = rnd.nextInt(10) == 0 ? 6 + rnd.nextInt(8) : rnd.nextInt(5);
                for (int k = 0; k < count; k++) params.add(value());
                ret = rnd.nextInt(3) == 0 ? "" : rnd.nextInt(20) == 0 ? "!" : returnValue();
            } finally {
                if (foreign) foreignFnPointers--;
            }
            String arrow = ret.isEmpty() ? "" : " -> " + ret;
            StringBuilder named = new StringBuilder();
            for (int k = 0; k < params.size(); k++) named.append(k > 0 ? ", " : "").append("a").append(k).append(": ").append(params.get(k));
            switch (kind) {
                case 0 -> {
                    boolean variadic = abi.equals("C") && !params.isEmpty() && rnd.nextInt(6) == 0;
                    boolean unsafe = variadic || rnd.nextBoolean();
                    String alias = "T" + n;
                    src.append("pub type ").append(alias).append(" = ").append(unsafe ? "unsafe " : "")
                            .append(abi.equals("Rust") ? "" : "extern \"" + abi + "\" ").append("fn(")
                            .append(String.join(", ", params)).append(variadic ? ", ..." : "").append(")").append(arrow).append(";\n");
                    StringBuilder args = new StringBuilder();
                    for (int k = 0; k < params.size(); k++) args.append(k > 0 ? ", " : "").append("a").append(k);
                    src.append("#[no_mangle] pub unsafe fn call_").append(alias).append("(f: ").append(alias)
                            .append(params.isEmpty() ? "" : ", ").append(named).append(")").append(arrow)
                            .append(" { f(").append(args).append(") }\n");
                    rows.add(alias);
                    rows.add("call_" + alias);
                }
                case 1 -> {
                    String blockAbi = new String[] {"C", "C", "C-unwind", "system"}[rnd.nextInt(4)];
                    boolean variadic = blockAbi.equals("C") && !params.isEmpty() && rnd.nextInt(6) == 0;
                    src.append("extern \"").append(blockAbi).append("\" { pub fn e").append(n).append("(").append(named)
                            .append(variadic ? ", ..." : "").append(")").append(arrow).append("; }\n");
                    rows.add("e" + n);
                    externs.add("e" + n);
                }
                case 2 -> {
                    src.append("#[no_mangle] pub ").append(rnd.nextBoolean() ? "unsafe " : "").append("extern \"C\" fn d").append(n)
                            .append("(").append(named).append(")").append(arrow).append(" { loop {} }\n");
                    rows.add("d" + n);
                }
                default -> {
                    src.append("#[no_mangle] pub fn r").append(n).append("(").append(named).append(")").append(arrow).append(" { loop {} }\n");
                    rows.add("r" + n);
                }
            }
        }
        // Declarations reach the IR only when used: take every extern function's address.
        src.append("#[no_mangle] pub fn xcfi_taken() -> [*const (); ").append(externs.size()).append("] { [");
        for (int k = 0; k < externs.size(); k++) src.append(k > 0 ? ", " : "").append(externs.get(k)).append(" as *const ()");
        src.append("] }\n");
        rows.add("xcfi_taken");
        return new Crate(src.toString(), rows);
    }

    /** A sized type that can be passed by value. */
    private String value() {
        depth++;
        try {
            int r = rnd.nextInt(depth > 2 ? 12 : 30);
            if (r < 5) return SCALARS[rnd.nextInt(SCALARS.length)];
            if (r < 8) return C_ALIASES[rnd.nextInt(C_ALIASES.length)];
            if (r < 10) return NEWTYPES[rnd.nextInt(NEWTYPES.length)];
            if (r < 12) return pointer();
            return switch (r) {
                case 12, 13 -> reference();
                case 14 -> fnPointer();
                case 15 -> "(" + value() + ", " + value() + (rnd.nextBoolean() ? ", " + value() : "") + ")";
                case 16 -> "[" + value() + "; " + rnd.nextInt(5) + "]";
                case 17 -> "()";
                case 18 -> new String[] {"CPoint", "RPoint", "CUnion", "CEnum", "REnum", "CTagged", "Wrap", "Unit", "_Priv", "WrapZst"}[rnd.nextInt(10)];
                case 19 -> "Pair<" + value() + ", " + value() + ">";
                case 20 -> "CGeneric<" + value() + ">";
                case 21 -> "WrapGen<" + value() + ">";
                case 22 -> "m1::m2::Inner<" + value() + ">";
                case 23 -> "Option<" + reference() + ">";
                case 24 -> "Option<" + fnPointer() + ">";
                case 25 -> rnd.nextBoolean() ? "Option<NonNull<" + value() + ">>" : "NonNull<" + value() + ">";
                case 26 -> "PhantomData<" + value() + ">";
                case 27 -> "ManuallyDrop<" + value() + ">";
                case 28 -> rnd.nextBoolean() ? "Lt<'static>" : "Arr<" + rnd.nextInt(9) + ">";
                default -> pointer();
            };
        } finally {
            depth--;
        }
    }

    private String pointee() {
        return switch (rnd.nextInt(12)) {
            case 10, 11 -> foreignFnPointers > 0 ? value() : dyn();
            case 0 -> "c_void";
            case 1 -> "str";
            case 2 -> "[" + value() + "]";
            case 3 -> rnd.nextBoolean() ? "Opaque" : "OpaqueEnc";
            default -> value();
        };
    }

    private static final String[] AUTOS = {"Send", "Sync", "Unpin", "UnwindSafe", "RefUnwindSafe"};

    /** A dyn type: a principal (user, generic, with an associated type, Fn family or std) and/or auto traits. */
    private String dyn() {
        List<String> bounds = new ArrayList<>();
        switch (rnd.nextInt(9)) {
            case 0 -> bounds.add("MyTrait");
            case 1 -> bounds.add("Gen<" + value() + ">");
            case 2 -> bounds.add("Assoc<Out = " + value() + ">");
            case 3 -> bounds.add(new String[] {"Fn", "FnMut", "FnOnce"}[rnd.nextInt(3)] + "(" + (rnd.nextBoolean() ? value() : "")
                    + ")" + (rnd.nextBoolean() ? " -> " + returnValue() : ""));
            case 4 -> bounds.add(new String[] {"std::any::Any", "std::fmt::Debug", "std::fmt::Display"}[rnd.nextInt(3)]);
            case 5 -> bounds.add(rnd.nextBoolean() ? "traits::Inner" : "traits::Forever");
            default -> { }
        }
        for (int k = rnd.nextInt(bounds.isEmpty() ? 3 : 2) + (bounds.isEmpty() ? 1 : 0); k > 0; k--) bounds.add(AUTOS[rnd.nextInt(AUTOS.length)]);
        java.util.Collections.shuffle(bounds, new java.util.Random(rnd.nextLong()));
        // duplicated auto traits are an error in Rust
        List<String> unique = new ArrayList<>(new java.util.LinkedHashSet<>(bounds));
        return "(dyn " + String.join(" + ", unique) + ")";
    }

    private String pointer() {
        return (rnd.nextBoolean() ? "*const " : "*mut ") + pointee();
    }

    private String returnValue() {
        boolean was = inReturn;
        inReturn = true;
        try {
            return value();
        } finally {
            inReturn = was;
        }
    }

    private String reference() {
        return "&" + (inReturn || rnd.nextInt(8) == 0 ? "'static " : "") + (rnd.nextInt(3) == 0 ? "mut " : "") + pointee();
    }

    private String fnPointer() {
        String abi = ABIS[rnd.nextInt(ABIS.length)];
        boolean foreign = !abi.equals("Rust");
        if (foreign) foreignFnPointers++;
        try {
            return fnPointer(abi);
        } finally {
            if (foreign) foreignFnPointers--;
        }
    }

    private String fnPointer(String abi) {
        List<String> ps = new ArrayList<>();
        for (int k = rnd.nextInt(3); k > 0; k--) ps.add(rnd.nextInt(4) == 0 ? reference() : value());
        boolean variadic = abi.equals("C") && !ps.isEmpty() && rnd.nextInt(8) == 0;
        String ret = rnd.nextBoolean() ? "" : " -> " + returnValue();
        return (variadic || rnd.nextInt(3) == 0 ? "unsafe " : "") + (abi.equals("Rust") ? "" : "extern \"" + abi + "\" ") + "fn("
                + String.join(", ", ps) + (variadic ? ", ..." : "") + ")" + ret;
    }
}
