package dev.xcfi.verify.check;

import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.Adt;
import dev.xcfi.types.rust.AdtDef;
import dev.xcfi.types.rust.ArrayType;
import dev.xcfi.types.rust.DefPath;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.RawPointer;
import dev.xcfi.types.rust.Reference;
import dev.xcfi.types.rust.Region;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.types.rust.RustType;
import dev.xcfi.types.rust.Scalar;
import dev.xcfi.verify.facts.DebugType;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a function type from a rustc module's debug information back as the Rust signatures it may
 * have been, so that a KCFI hash of a Rust function can be named without a C module to twin it
 * with ({@link RustTwins}). rustc's debug information spells scalars by name ({@code i32},
 * {@code usize}), pointers and references with their Rust spelling ({@code *mut ctx_binding::Ctx},
 * {@code &mut u8}) over the pointee's type, fn pointers with their ABI ({@code extern "C" fn(i32)})
 * and {@code c_void} as an enum. It does not say how a struct is represented, nor which ABI the
 * function itself has: a struct is read as {@code #[repr(C)]} (rustc then spells it by its name
 * alone, as FFI bindings need), the function as {@code extern "C"} and as Rust's ABI, and a name is
 * believed only when its hash is the one rustc wrote ({@link KcfiNames}). Records are named as
 * Rust spells their types ({@code Option<unsafe extern "C" fn(i32)>}), which is read back
 * ({@link Spelling}); other generic records, slices, {@code str}, {@code dyn} and
 * {@code #[repr(transparent)]} or {@code #[cfi_encoding]} types are not read (their ids need the
 * definition or the crate's disambiguator, which debug information does not carry).
 */
final class DebugRustTypes {
    private static final List<Abi> FUNCTION_ABIS = List.of(Abi.C, Abi.RUST);

    private DebugRustTypes() {}

    /** The Rust signatures {@code f} may be; empty when some part is not read. */
    static List<FnSig> of(DebugType.Function f) {
        List<FnSig> out = new ArrayList<>(FUNCTION_ABIS.size());
        try {
            for (Abi abi : FUNCTION_ABIS) out.add(signature(f, abi, false));
        } catch (NotRead e) {
            return List.of();
        }
        return out;
    }

    /** rustc's function types have no "more arguments" marker of DWARF's kind: C-variadic declarations are left out. */
    private static FnSig signature(DebugType.Function f, Abi abi, boolean unsafe) throws NotRead {
        List<DebugType> types = f.types();
        if (types.isEmpty() || (types.size() > 1 && types.getLast() instanceof DebugType.None)) throw new NotRead();
        RustType output = types.getFirst() instanceof DebugType.None ? RustType.UNIT : type(types.getFirst());
        List<RustType> inputs = new ArrayList<>(types.size() - 1);
        for (DebugType t : types.subList(1, types.size())) inputs.add(type(t));
        return new FnSig(inputs, output, false, abi, unsafe, 0);
    }

    private static RustType type(DebugType t) throws NotRead {
        if (t instanceof DebugType.Basic b) return basic(b.name());
        if (t instanceof DebugType.Derived d && d.tag() == DebugType.POINTER) return pointer(d);
        if (t instanceof DebugType.Composite c) return composite(c);
        throw new NotRead();
    }

    private static RustType basic(String name) throws NotRead {
        if (name.equals("()")) return RustType.UNIT;
        Scalar s = Scalar.ofSpelling(name);
        if (s == null) throw new NotRead();
        return s;
    }

    /** A thin pointer: its name says which kind ({@code *mut}, {@code *const}, {@code &mut}, {@code &}, or a fn pointer's type). */
    private static RustType pointer(DebugType.Derived d) throws NotRead {
        String name = d.name();
        if (d.base() instanceof DebugType.Function f) return new FnPointer(fnPointer(name, f));
        if (name.startsWith("*mut ")) return new RawPointer(pointee(d.base()), true);
        if (name.startsWith("*const ")) return new RawPointer(pointee(d.base()), false);
        if (name.startsWith("&mut ")) return new Reference(pointee(d.base()), true, Region.ERASED);
        if (name.startsWith("&")) return new Reference(pointee(d.base()), false, Region.ERASED);
        throw new NotRead();
    }

    /** A fn pointer's ABI and safety are in its name only ({@code unsafe extern "C" fn(i32)}); its types are in the node. */
    private static FnSig fnPointer(String name, DebugType.Function f) throws NotRead {
        if (name.contains("...")) throw new NotRead();
        Spelling.Head head = new Spelling(name).head();
        return signature(f, head.abi(), head.unsafe());
    }

    private static RustType pointee(DebugType t) throws NotRead {
        if (t instanceof DebugType.Composite c && c.tag() == DebugType.ENUMERATION && c.name().equals("c_void")) return RustStd.C_VOID;
        return type(t);
    }

    private static RustType composite(DebugType.Composite c) throws NotRead {
        if (c.tag() == DebugType.ARRAY) {
            if (c.counts().size() != 1 || c.counts().getFirst() < 0) throw new NotRead();
            return new ArrayType(type(c.element()), c.counts().getFirst());
        }
        if (c.tag() != DebugType.STRUCTURE && c.tag() != DebugType.UNION && c.tag() != DebugType.ENUMERATION) throw new NotRead();
        // rustc names a struct, union or enum as Rust spells the type: "Ctx", "Option<&u8>", "(i32, u8)", "*const str"
        Spelling s = new Spelling(c.name());
        RustType t = s.type(c.tag());
        if (!s.atEnd()) throw new NotRead();
        return t;
    }

    /**
     * A type as rustc's debug information names it, read back: scalars, {@code c_void}, pointers,
     * references, arrays, tuples, fn pointers, core's generic wrappers ({@code Option},
     * {@code NonNull}, {@code ManuallyDrop}, {@code PhantomData}, {@code MaybeUninit}) and
     * non-generic records, taken as {@code #[repr(C)]}. {@code str}, slices, {@code dyn} and other
     * generic records are not read.
     */
    private static final class Spelling {
        /** Deeper than any real type: a name from a corrupt module must not exhaust the stack. */
        private static final int MAX_DEPTH = 64;
        private final String text;
        private int at, depth;

        Spelling(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at == text.length();
        }

        /** A type; {@code recordTag} is the DWARF tag of the record the whole name belongs to (a struct where nothing says). */
        RustType type(int recordTag) throws NotRead {
            if (++depth > MAX_DEPTH) throw new NotRead();
            try {
                return unlimitedType(recordTag);
            } finally {
                depth--;
            }
        }

        private RustType unlimitedType(int recordTag) throws NotRead {
            if (eat("*mut ")) return new RawPointer(type(DebugType.STRUCTURE), true);
            if (eat("*const ")) return new RawPointer(type(DebugType.STRUCTURE), false);
            if (eat("&mut ")) return new Reference(type(DebugType.STRUCTURE), true, Region.ERASED);
            if (eat("&")) return new Reference(type(DebugType.STRUCTURE), false, Region.ERASED);
            if (eat("[")) {
                RustType element = type(DebugType.STRUCTURE);
                expect("; ");
                int from = at;
                while (at < text.length() && Character.isDigit(text.charAt(at))) at++;
                if (from == at || at - from > 18) throw new NotRead();
                long length = Long.parseLong(text, from, at, 10);
                expect("]");
                return new ArrayType(element, length);
            }
            if (eat("(")) {
                List<RustType> elements = new ArrayList<>();
                while (!eat(")")) {
                    elements.add(type(DebugType.STRUCTURE));
                    if (!eat(", ") && !eat(",") && !text.startsWith(")", at)) throw new NotRead();
                }
                return elements.isEmpty() ? RustType.UNIT : new dev.xcfi.types.rust.Tuple(elements);
            }
            if (text.startsWith("unsafe ", at) || text.startsWith("extern \"", at) || text.startsWith("fn(", at)) return new FnPointer(fn());
            return path(recordTag);
        }

        /** What comes before a fn type's parameters. */
        record Head(Abi abi, boolean unsafe) {}

        /** {@code [unsafe ][extern "ABI" ]fn(}. */
        Head head() throws NotRead {
            boolean unsafe = eat("unsafe ");
            Abi abi = Abi.RUST;
            if (eat("extern \"")) {
                int end = text.indexOf('"', at);
                if (end < 0) throw new NotRead();
                try {
                    abi = Abi.parse(text.substring(at, end));
                } catch (IllegalArgumentException e) {
                    throw new NotRead();
                }
                at = end + 1;
                expect(" ");
            }
            expect("fn(");
            return new Head(abi, unsafe);
        }

        private FnSig fn() throws NotRead {
            Head head = head();
            List<RustType> inputs = new ArrayList<>();
            while (!eat(")")) {
                inputs.add(type(DebugType.STRUCTURE));
                if (!eat(", ") && !text.startsWith(")", at)) throw new NotRead();
            }
            RustType output = eat(" -> ") ? type(DebugType.STRUCTURE) : RustType.UNIT;
            return new FnSig(inputs, output, false, head.abi(), head.unsafe(), 0);
        }

        /** {@code a::b::Name<args>}: a scalar, {@code c_void}, one of core's wrappers, or a record taken as {@code #[repr(C)]}. */
        private RustType path(int recordTag) throws NotRead {
            List<String> segments = new ArrayList<>();
            do {
                int from = at;
                while (at < text.length() && (Character.isJavaIdentifierPart(text.charAt(at)))) at++;
                if (from == at || !Character.isJavaIdentifierStart(text.charAt(from))) throw new NotRead();
                segments.add(text.substring(from, at));
            } while (eat("::"));
            List<RustType> args = new ArrayList<>();
            if (eat("<")) {
                do {
                    args.add(type(DebugType.STRUCTURE));
                } while (eat(", "));
                expect(">");
            }
            String name = segments.getLast();
            String crate = segments.size() > 1 ? segments.getFirst() : null;
            if (args.isEmpty()) {
                if (segments.size() == 1 || crate.equals("core") || crate.equals("std")) {
                    if (name.equals("c_void")) return RustStd.C_VOID;
                    if (segments.size() == 1 && !name.equals("str")) {
                        Scalar scalar = Scalar.ofSpelling(name);
                        if (scalar != null) return scalar;
                    }
                }
                if (name.equals("str")) throw new NotRead();
                return record(recordTag, name);
            }
            AdtDef std = RustStd.ADTS.get(name);
            if (std == null || (crate != null && !crate.equals("core") && !crate.equals("std")) || std.generics().size() != args.size()) {
                throw new NotRead();   // another generic record: its id needs its path, not in the name
            }
            return Adt.of(std, args.toArray(RustType[]::new));
        }

        private static RustType record(int tag, String name) throws NotRead {
            AdtDef.Kind kind = switch (tag) {
                case DebugType.STRUCTURE -> AdtDef.Kind.STRUCT;
                case DebugType.UNION -> AdtDef.Kind.UNION;
                case DebugType.ENUMERATION -> AdtDef.Kind.ENUM;
                default -> throw new NotRead();
            };
            return Adt.of(new AdtDef(kind, DefPath.of("crate", name), true, false, null, List.of()));
        }

        private boolean eat(String s) {
            if (!text.startsWith(s, at)) return false;
            at += s.length();
            return true;
        }

        private void expect(String s) throws NotRead {
            if (!eat(s)) throw new NotRead();
        }
    }

    /** A part rustc's debug information spells that is not read here. */
    private static final class NotRead extends Exception {
        NotRead() {
            super(null, null, false, false);
        }
    }
}
