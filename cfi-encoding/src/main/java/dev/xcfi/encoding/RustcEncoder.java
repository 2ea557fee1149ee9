package dev.xcfi.encoding;

import dev.xcfi.types.Target;
import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.Adt;
import dev.xcfi.types.rust.AdtDef;
import dev.xcfi.types.rust.NonZero;
import dev.xcfi.types.rust.Alias;
import dev.xcfi.types.rust.ArrayType;
import dev.xcfi.types.rust.DefPath;
import dev.xcfi.types.rust.DynTrait;
import dev.xcfi.types.rust.ExistentialPredicate;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.Foreign;
import dev.xcfi.types.rust.GenericArg;
import dev.xcfi.types.rust.Param;
import dev.xcfi.types.rust.RawPointer;
import dev.xcfi.types.rust.Reference;
import dev.xcfi.types.rust.Region;
import dev.xcfi.types.rust.RustType;
import dev.xcfi.types.rust.Scalar;
import dev.xcfi.types.rust.Slice;
import dev.xcfi.types.rust.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CFI type ids for Rust signatures exactly as rustc 1.95 forms them ({@code rustc_sanitizers}'
 * Itanium encoder): the same {@code _ZTS F … E} frame and {@link Mangler} as clang, with rustc's
 * differences made explicit here —
 * <ul>
 * <li>integers, {@code char}, {@code str} and {@code !} are vendor types ({@code u3i64}) and
 *     dictionary entries; {@code bool}, floats and {@code ()} are not;</li>
 * <li>a fn pointer is one entry ({@code PF…E}), not two as in clang; {@code *const T} adds
 *     {@code K T} then {@code PK T}; {@code &mut T} adds {@code &T} then {@code U3mut &T};</li>
 * <li>ADTs are {@code u<len><path>[I<args>E]} with crate disambiguators, except {@code #[repr(C)]}
 *     ones in a C signature (bare name) and {@code #[cfi_encoding]} ones (verbatim);</li>
 * <li>before encoding: {@code c_void} → {@code ()}, {@code #[repr(transparent)]} structs unwrap,
 *     and the mode's normalization / generalization (fn pointers → {@code *const ()}) at every depth;</li>
 * <li>top-level zero-sized arguments are dropped (FnAbi "ignore"); nested signatures keep them.</li>
 * </ul>
 * Not thread-safe; cheap to create.
 */
public final class RustcEncoder {
    /** {@code K T}: the const-qualified pointee of a {@code *const T}, a dictionary entry of its own. */
    private record ConstQualified(RustType pointee) {}

    /** Itanium builtin codes: a {@code cfi_encoding} equal to one of these is not a dictionary entry. */
    private static final Set<String> BUILTIN_CODES = Set.of("v", "w", "b", "c", "a", "h", "s", "t", "i", "j", "l", "m", "x",
            "y", "n", "o", "f", "d", "e", "g", "z", "Dh");

    private final Target target;
    private final Map<String, String> crates;
    private final Mangler m = new Mangler();
    /**
     * Encoded paths, which depend only on the path and the crate disambiguators: built once each.
     * Keyed by identity (definitions share their DefPath), so a hit costs no record hashing.
     */
    private final java.util.Map<DefPath, String> paths = new java.util.IdentityHashMap<>();
    private boolean normalize;
    private boolean generalize;

    private RustcEncoder(Target target, Map<String, String> crateDisambiguators) {
        this.target = target;
        this.crates = Map.copyOf(crateDisambiguators);
    }

    /**
     * @param crateDisambiguators crate name → the text between {@code C} and the name's length in
     *                            an id ({@code core} → {@code sgEmfK2I1SDT_}); it depends on the
     *                            toolchain and {@code -Cmetadata}, so it is an input
     */
    public static RustcEncoder of(Target target, Map<String, String> crateDisambiguators) {
        return new RustcEncoder(target, crateDisambiguators);
    }

    /** The id rustc attaches to a function with this signature, and tests at calls through a pointer to it. */
    public TypeId encode(FnSig sig, CfiMode mode) {
        mangle(sig, mode);
        return new TypeId(m.text(), mode, "", false);
    }

    public HashedTypeId encode(FnSig sig, CfiMode mode, KcfiHash algorithm) {
        mangle(sig, mode);
        int end = m.length();
        m.append(mode.suffix());
        int hash = m.hash(algorithm);
        m.truncate(end);
        return new HashedTypeId(new TypeId(m.text(), mode, "", false), hash);
    }

    // --- the signature ---------------------------------------------------------------------------

    private void mangle(FnSig sig, CfiMode mode) {
        normalize = mode.normalizeIntegers();
        generalize = mode.generalizePointers();
        m.begin();
        boolean c = isCAtTopLevel(sig.abi());
        m.append('F');
        RustType ret = transform(sig.output());
        type(ret, c);
        int written = 0;
        boolean win64 = sig.abi() == Abi.WIN64;
        for (RustType input : sig.inputs()) {
            // FnAbi passes zero-sized arguments as "ignore" (not under win64): they are not in the id.
            if (!win64 && isZeroSized(input)) continue;
            type(transform(input), c);
            written++;
        }
        if (sig.cVariadic()) m.append('z');
        else if (written == 0) m.append('v');
        m.append('E');
    }

    /** The top-level signature is "C" when its calling convention lowers to C: "C", "C-unwind", and "system" off Windows x86. */
    private boolean isCAtTopLevel(Abi abi) {
        return switch (abi) {
            case C, C_UNWIND -> true;
            case SYSTEM, SYSTEM_UNWIND -> !(target.os() == Target.Os.WINDOWS && target.arch() == Target.Arch.I686);
            default -> false;
        };
    }

    /** A nested fn pointer is "C" only when its written ABI is "C" or "C-unwind" ("system" does not count there). */
    private static boolean isCNested(Abi abi) {
        return abi == Abi.C || abi == Abi.C_UNWIND;
    }

    // --- transformations applied before encoding (rustc's TransformTy) ---------------------------

    private RustType transform(RustType t) {
        return transform(t, null);
    }

    /*
     * Rebuilds only what changes: most types come out as the same instance, so the hot path
     * allocates little (the generalized forms are shared constants).
     */
    private RustType transform(RustType t, Set<Adt> unwrapping) {
        return switch (t) {
            case Alias a -> transform(a.target(), unwrapping);
            case Scalar s -> normalize ? normalized(s) : s;
            case Tuple tu -> {
                List<RustType> es = transformAll(tu.elements(), unwrapping);
                yield es == tu.elements() ? tu : new Tuple(es);
            }
            case ArrayType a -> {
                RustType e = transform(a.element(), unwrapping);
                yield e == a.element() ? a : new ArrayType(e, a.length());
            }
            case Slice s -> {
                RustType e = transform(s.element(), unwrapping);
                yield e == s.element() ? s : new Slice(e);
            }
            case RawPointer p -> {
                if (generalize) yield p.mutable() ? MUT_UNIT_POINTER : CONST_UNIT_POINTER;
                RustType e = transform(p.pointee(), unwrapping);
                yield e == p.pointee() ? p : new RawPointer(e, p.mutable());
            }
            case Reference r -> {
                if (generalize) yield r.mutable() ? MUT_UNIT_REFERENCE : UNIT_REFERENCE;
                RustType e = transform(r.pointee(), unwrapping);
                yield e == r.pointee() ? r : new Reference(e, r.mutable(), r.region());
            }
            case FnPointer f -> {
                if (generalize) yield CONST_UNIT_POINTER;
                FnSig s = transformSig(f.sig(), unwrapping);
                yield s == f.sig() ? f : new FnPointer(s);
            }
            case Adt a -> adt(a, unwrapping);
            case Foreign f -> f;
            case Param p -> p;
            case DynTrait d -> dyn(d, unwrapping);
            // normalization renames the integer, and with it the pattern (isize::MIN becomes i64::MIN)
            case NonZero n -> normalize && normalized(n.integer()) != n.integer() ? new NonZero(normalized(n.integer())) : n;
        };
    }

    /** Transforms reach into a dyn type's predicates (their arguments and projection terms). */
    private DynTrait dyn(DynTrait d, Set<Adt> unwrapping) {
        List<ExistentialPredicate> out = new ArrayList<>(d.predicates().size());
        for (ExistentialPredicate p : d.predicates()) {
            out.add(switch (p) {
                case ExistentialPredicate.Trait t -> new ExistentialPredicate.Trait(t.trait(), transformArgs(t.args(), unwrapping));
                case ExistentialPredicate.Projection pr -> new ExistentialPredicate.Projection(pr.item(),
                        transformArgs(pr.args(), unwrapping), transform(pr.term(), unwrapping));
                case ExistentialPredicate.AutoTrait a -> a;
            });
        }
        return out.equals(d.predicates()) ? d : new DynTrait(out, d.region());
    }

    private List<GenericArg> transformArgs(List<GenericArg> args, Set<Adt> unwrapping) {
        List<GenericArg> out = new ArrayList<>(args.size());
        for (GenericArg g : args) out.add(g instanceof GenericArg.Type ty ? new GenericArg.Type(transform(ty.type(), unwrapping)) : g);
        return out;
    }

    private static final RawPointer CONST_UNIT_POINTER = new RawPointer(RustType.UNIT, false);
    private static final RawPointer MUT_UNIT_POINTER = new RawPointer(RustType.UNIT, true);
    private static final Reference UNIT_REFERENCE = new Reference(RustType.UNIT, false, Region.ERASED);
    private static final Reference MUT_UNIT_REFERENCE = new Reference(RustType.UNIT, true, Region.ERASED);

    private FnSig transformSig(FnSig s, Set<Adt> unwrapping) {
        RustType out = transform(s.output(), unwrapping);
        List<RustType> in = transformAll(s.inputs(), unwrapping);
        return out == s.output() && in == s.inputs() ? s : new FnSig(in, out, s.cVariadic(), s.abi(), s.unsafe(), s.boundRegions());
    }

    /** Copy-on-write: the same list when no element changes, else a new list with each element transformed once. */
    private List<RustType> transformAll(List<RustType> types, Set<Adt> unwrapping) {
        List<RustType> out = null;
        for (int i = 0, n = types.size(); i < n; i++) {
            RustType t = types.get(i);
            RustType r = transform(t, unwrapping);
            if (out == null && r != t) {
                out = new ArrayList<>(n);
                out.addAll(types.subList(0, i));
            }
            if (out != null) out.add(r);
        }
        return out == null ? types : out;
    }

    private Scalar normalized(Scalar s) {
        int ptr = target.dataModel().pointerBits();
        return switch (s) {
            case ISIZE -> Scalar.integer(ptr, true);
            case USIZE -> Scalar.integer(ptr, false);
            case BOOL -> Scalar.U8;
            case CHAR -> Scalar.U32;
            default -> s;
        };
    }

    /**
     * {@code #[repr(transparent)]} structs become their non-ZST field, recursively; others keep their
     * path. Like rustc, the field is chosen on the definition's own field types, before generic
     * arguments are substituted: a field of a generic type has no known layout and so counts as the
     * non-ZST one ({@code WrapGen<T>(T, PhantomData<u8>)} is always {@code T}). A type already being
     * unwrapped further out is kept as its path (a cycle through the transparent chain).
     */
    private RustType adt(Adt a, Set<Adt> unwrapping) {
        AdtDef def = a.def();
        if (def.reprTransparent() && def.kind() == AdtDef.Kind.STRUCT && def.cfiEncoding() == null
                && (unwrapping == null || !unwrapping.contains(a))) {
            Set<Adt> chain = unwrapping == null ? new HashSet<>() : unwrapping;
            chain.add(a);
            try {
                for (RustType field : def.fields()) {
                    if (knownZeroSized(field)) continue;
                    return transform(substitute(field, a.args()), chain);
                }
                return RustType.UNIT;
            } finally {
                chain.remove(a);
            }
        }
        List<GenericArg> args = null;   // copy-on-write, as transformAll
        for (int i = 0, n = a.args().size(); i < n; i++) {
            GenericArg g = a.args().get(i);
            GenericArg r = g;
            if (g instanceof GenericArg.Type ty) {
                RustType tt = transform(ty.type(), unwrapping);
                if (tt != ty.type()) r = new GenericArg.Type(tt);
            }
            if (args == null && r != g) {
                args = new ArrayList<>(n);
                args.addAll(a.args().subList(0, i));
            }
            if (args != null) args.add(r);
        }
        return args == null ? a : new Adt(def, args);
    }

    /** A field type with the ADT's generic parameters replaced by its arguments. */
    private static RustType substitute(RustType t, List<GenericArg> args) {
        return switch (t) {
            case Param p -> p.index() < args.size() && args.get(p.index()) instanceof GenericArg.Type ty ? ty.type() : p;
            case RawPointer p -> new RawPointer(substitute(p.pointee(), args), p.mutable());
            case Reference r -> new Reference(substitute(r.pointee(), args), r.mutable(), r.region());
            case ArrayType a -> new ArrayType(substitute(a.element(), args), a.lengthParam() < 0 ? a.length()
                    : a.lengthParam() < args.size() && args.get(a.lengthParam()) instanceof GenericArg.Const k ? Long.parseLong(k.value()) : a.length());
            case Slice s -> new Slice(substitute(s.element(), args));
            case Tuple tu -> new Tuple(tu.elements().stream().map(e -> substitute(e, args)).toList());
            case Adt a -> new Adt(a.def(), a.args().stream().map(g -> g instanceof GenericArg.Type ty
                    ? (GenericArg) new GenericArg.Type(substitute(ty.type(), args)) : g).toList());
            default -> t;
        };
    }

    /** Zero-sized by the definition alone; a generic parameter (or a length given by one) is not known to be. */
    private boolean knownZeroSized(RustType field) {
        return switch (field) {
            case Alias a -> knownZeroSized(a.target());
            case Param p -> false;
            case ArrayType a when a.lengthParam() >= 0 -> false;
            default -> isZeroSized(field);
        };
    }

    /** Zero-sized (as far as the size is known here): unit, empty arrays, tuples and structs of ZSTs. */
    private boolean isZeroSized(RustType t) {
        return switch (t) {
            case Alias a -> isZeroSized(a.target());
            case Tuple tu -> allZeroSized(tu.elements(), null);
            case ArrayType a when a.length() == 0 -> true;
            case ArrayType a when a.lengthParam() < 0 -> isZeroSized(a.element());
            case Adt a when a.def().kind() == AdtDef.Kind.STRUCT && a.def().cfiEncoding() == null && a.def().fieldsKnown() ->
                    allZeroSized(a.def().fields(), a.args());
            default -> false;
        };
    }

    private boolean allZeroSized(List<RustType> fields, List<GenericArg> args) {
        for (RustType f : fields) {
            if (!isZeroSized(args == null ? f : substitute(f, args))) return false;
        }
        return true;
    }

    // --- encoding, one method per kind of type -------------------------------------------------

    /*
     * Dispatch by instanceof, most frequent kinds first (as in ClangEncoder: measured faster than a
     * pattern switch on this hot path). Unlike clang, rustc writes a component's children *before*
     * it looks the whole component up, so children that were never written (the arguments of an
     * ADT first seen as a repr(C) bare name) become entries even when the whole is then a
     * back-reference: the component is written, then replaced by the back-reference if known.
     */
    private void type(RustType t, boolean c) {
        if (t instanceof Scalar s) {
            scalar(s);
            return;
        }
        if (t instanceof Tuple tu && tu.isUnit()) {
            m.append('v');
            return;
        }
        String builtinEncoding = builtinCfiEncoding(t);
        if (builtinEncoding != null) {
            m.append(builtinEncoding);
            return;
        }
        int start = m.length();
        if (t instanceof RawPointer p) rawPointer(p, c);
        else if (t instanceof Reference r) reference(r, c);
        else if (t instanceof Adt a) adt(a, c);
        else if (t instanceof FnPointer f) fnPointer(f.sig());
        else if (t instanceof Slice s) {
            m.append("u5sliceI");
            type(s.element(), c);
            m.append('E');
        } else if (t instanceof ArrayType a) {
            m.append('A').append(a.length());
            type(a.element(), c);
        } else if (t instanceof Tuple tu) tuple(tu, c);
        else if (t instanceof Foreign f) {
            if (f.cfiEncoding() != null) m.append(f.cfiEncoding());
            else m.sourceName(f.path().name());
        } else if (t instanceof DynTrait d) dyn(d, c);
        else if (t instanceof Param) m.append("u5param");
        else if (t instanceof NonZero n) {
            m.append("u3patI");
            type(n.integer(), c);
            m.append(n.pattern()).append('E');
        }
        else throw new AssertionError("aliases are resolved before encoding: " + t);
        if (!m.substituteWritten(t, start)) m.remember(t);
    }

    /** A {@code #[cfi_encoding]} that is an Itanium builtin code: written as is, never a dictionary entry. */
    private static String builtinCfiEncoding(RustType t) {
        String enc = t instanceof Adt a ? a.def().cfiEncoding() : t instanceof Foreign f ? f.cfiEncoding() : null;
        return enc != null && BUILTIN_CODES.contains(enc) ? enc : null;
    }

    /** Vendor types for integers, char, str and never (dictionary entries); b, floats are builtins. */
    private void scalar(Scalar s) {
        String code = switch (s) {
            case BOOL -> "b";
            case F16 -> "Dh";
            case F32 -> "f";
            case F64 -> "d";
            case F128 -> "g";
            default -> null;
        };
        if (code != null) {
            m.append(code);
            return;
        }
        if (m.substitute(s)) return;   // no children: checking first is the same as rustc's order
        m.append('u').sourceName(s == Scalar.NEVER ? "never" : s.spelling());
        m.remember(s);
    }

    private void tuple(Tuple tu, boolean c) {
        m.append("u5tupleI");
        for (RustType e : tu.elements()) type(e, c);
        m.append('E');
    }

    /** {@code &T} is {@code u3refI T E}; {@code &mut T} is {@code U3mut} and the {@code &T} entry, so it adds both. */
    private void reference(Reference r, boolean c) {
        if (r.mutable()) {
            m.append("U3mut");
            type(new Reference(r.pointee(), false, r.region()), c);
        } else {
            m.append("u3refI");
            type(r.pointee(), c);
            m.append('E');
        }
    }

    /** {@code *mut T} is {@code P T}; {@code *const T} is {@code P K T} with {@code K T} an entry of its own. */
    private void rawPointer(RawPointer p, boolean c) {
        m.append('P');
        if (p.mutable()) {
            type(p.pointee(), c);
            return;
        }
        int start = m.length();
        m.append('K');
        type(p.pointee(), c);
        ConstQualified k = new ConstQualified(p.pointee());
        if (!m.substituteWritten(k, start)) m.remember(k);
    }

    /** A nested signature: encoded from the written signature (ZSTs kept), C-ness from its own ABI, no suffixes. */
    private void fnPointer(FnSig sig) {
        boolean c = isCNested(sig.abi());
        m.append("PF");
        type(sig.output(), c);
        for (RustType t : sig.inputs()) type(t, c);
        if (sig.cVariadic()) m.append('z');
        else if (sig.inputs().isEmpty()) m.append('v');
        m.append('E');
    }

    private void adt(Adt a, boolean c) {
        AdtDef def = a.def();
        if (def.cfiEncoding() != null) {
            m.append(def.cfiEncoding());
        } else if (c && def.reprC()) {
            m.sourceName(def.path().name());   // like a C struct tag: no path, no generic arguments
        } else {
            m.append('u').sourceName(encodedPath(def.path()));
            genericArgs(a.args(), c);
        }
    }

    /** {@code u3dynI <predicates> <region> E}; every predicate is a dictionary entry. */
    private void dyn(DynTrait d, boolean c) {
        m.append("u3dynI");
        for (ExistentialPredicate p : d.predicates()) {
            int start = m.length();
            switch (p) {
                case ExistentialPredicate.Trait t -> {
                    m.append('u').sourceName(encodedPath(t.trait()));
                    genericArgs(t.args(), c);
                }
                case ExistentialPredicate.Projection pr -> {
                    m.append('u').sourceName(encodedPath(pr.item()));
                    genericArgs(pr.args(), c);
                    type(pr.term(), c);
                }
                case ExistentialPredicate.AutoTrait a -> m.append('u').sourceName(encodedPath(a.trait()));
            }
            if (!m.substituteWritten(p, start)) m.remember(p);
        }
        region(d.region());
        m.append('E');
    }

    private void genericArgs(List<GenericArg> args, boolean c) {
        if (args.isEmpty()) return;
        m.append('I');
        for (GenericArg g : args) {
            switch (g) {
                case GenericArg.Type t -> type(t.type(), c);
                case GenericArg.Lifetime l -> region(l.region());
                case GenericArg.Const k -> constant(k, c);
            }
        }
        m.append('E');
    }

    private void region(Region r) {
        if (m.substitute(r)) return;
        if (r.isErased()) m.append("u6region");
        else m.append("u6regionI").append(r.debruijn() > 0 ? "s" + base62(r.debruijn() - 1) + "_" : "").append(r.index()).append('E');
        m.remember(r);
    }

    /** rustc 1.95's const arguments: unsigned decimal, {@code n} and the signed value, or the bool word. */
    private void constant(GenericArg.Const k, boolean c) {
        int start = m.length();
        m.append('L');
        type(transform(k.type()), c);
        String v = k.value();
        if (v.startsWith("-")) m.append('n').append(v);
        else if (k.type().resolved() instanceof Scalar s && s.isInteger() && s.isSigned()) m.append('n').append(v);
        else m.append(v);
        m.append('E');
        if (!m.substituteWritten(k, start)) m.remember(k);
    }

    private String encodedPath(DefPath p) {
        String encoded = paths.get(p);
        if (encoded == null) {
            encoded = path(p);
            paths.put(p, encoded);
        }
        return encoded;
    }

    /**
     * {@code N<ns>…C<crate-disambiguator><len><crate><segments>}: namespace tags innermost first,
     * then the crate, then each segment outermost first.
     */
    private String path(DefPath p) {
        String dis = crates.get(p.crate());
        if (dis == null) {
            throw new EncodingException("the crate disambiguator of '" + p.crate() + "' is unknown (needed for " + p
                    + "); pass --crate " + p.crate() + "=<disambiguator> or let xcfi learn it from rustc");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = p.segments().size() - 1; i >= 0; i--) sb.append('N').append(p.segments().get(i).namespace());
        sb.append('C').append(dis).append(p.crate().length()).append(p.crate());
        for (DefPath.Segment s : p.segments()) {
            if (s.disambiguator() > 0) sb.append('s').append(base62(s.disambiguator() - 1)).append('_');
            sb.append(s.name().length());
            if (!s.name().isEmpty() && (s.name().charAt(0) == '_' || Character.isDigit(s.name().charAt(0)))) sb.append('_');
            sb.append(s.name());
        }
        return sb.toString();
    }

    private static String base62(long v) {
        String digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        StringBuilder sb = new StringBuilder();
        do {
            sb.insert(0, digits.charAt((int) (v % 62)));
            v /= 62;
        } while (v > 0);
        return sb.toString();
    }
}
