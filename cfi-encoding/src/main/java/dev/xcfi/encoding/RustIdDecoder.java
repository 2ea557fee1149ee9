package dev.xcfi.encoding;

import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.Adt;
import dev.xcfi.types.rust.NonZero;
import dev.xcfi.types.rust.AdtDef;
import dev.xcfi.types.rust.ArrayType;
import dev.xcfi.types.rust.DefPath;
import dev.xcfi.types.rust.DynTrait;
import dev.xcfi.types.rust.ExistentialPredicate;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.Foreign;
import dev.xcfi.types.rust.GenericArg;
import dev.xcfi.types.rust.RawPointer;
import dev.xcfi.types.rust.Reference;
import dev.xcfi.types.rust.Region;
import dev.xcfi.types.rust.RustType;
import dev.xcfi.types.rust.Scalar;
import dev.xcfi.types.rust.Slice;
import dev.xcfi.types.rust.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a type id as rustc forms them back into a Rust signature ({@code _ZTSFvu3i64E} →
 * {@code extern "C" fn(i64)}), rebuilding rustc's dictionary (a fn pointer is one entry,
 * {@code *const T} adds {@code K T} and {@code PK T}, {@code &mut T} adds {@code &T} and the
 * {@code U3mut} form, integers are entries). C builtin codes (from {@code #[cfi_encoding]} or a
 * clang id) read as the matching {@code core::ffi} names; a clang id is read by clang's dictionary
 * rules ({@link Compiler}). Ids carry no ABI: the view assumes {@code extern "C"}, the case that
 * matters across languages.
 */
public final class RustIdDecoder extends IdReader {
    /** The decoded signature, its mode, and the Rust-syntax view. */
    public record Decoded(FnSig sig, CfiMode mode) {
        public String rust() {
            return dev.xcfi.encoding.rust.RustTypePrinter.print(sig);
        }
    }

    /** A {@code K T} dictionary entry: the const-qualified pointee of a {@code *const T}, never a type by itself. */
    private record ConstQualified(RustType pointee) {}

    /** A function type as an entry of its own, as clang registers it before the pointer to it; never a type by itself. */
    private record FunctionEntry(FnSig sig) {}

    /** The dictionary in the writer's order: types, {@link ConstQualified} and {@link FunctionEntry} entries. */
    private final List<Object> dictionary = new ArrayList<>();
    private final Compiler writer;

    private RustIdDecoder(String s, Compiler writer, int[] splits) {
        super(s, 5, splits);
        this.writer = writer;
    }

    /** An id rustc wrote. @throws IllegalArgumentException naming the offset where the id stops being a rustc id */
    public static Decoded decode(String id) {
        return decode(id, Compiler.RUSTC);
    }

    /** An id {@code writer} wrote, read as a Rust signature. @throws IllegalArgumentException naming the offset where it stops being one */
    public static Decoded decode(String id, Compiler writer) {
        CfiMode mode = CfiMode.ofSuffixes(id);
        String mangling = id.substring(0, id.length() - mode.suffix().length());
        if (!mangling.startsWith("_ZTSF")) throw new IllegalArgumentException("'" + id + "' is not a function type id");
        FnSig sig = null;
        int[] splits = LONGEST;
        for (int attempt = 0; sig == null; attempt++) {
            RustIdDecoder d = new RustIdDecoder(mangling, writer, splits);
            try {
                FnSig read = d.signature(true);
                if (d.pos != mangling.length()) throw d.error("unexpected text after the type");
                sig = read;
            } catch (IllegalArgumentException e) {
                splits = d.retry(e, attempt);   // an array length can be split otherwise
            }
        }
        // Only win64 keeps zero-sized arguments in an id: one at the top level reveals that ABI.
        boolean keepsZeroSized = sig.inputs().stream().anyMatch(t -> t instanceof Tuple tu && tu.isUnit()
                || t instanceof ArrayType a && a.length() == 0);
        if (keepsZeroSized) sig = new FnSig(sig.inputs(), sig.output(), sig.cVariadic(), Abi.WIN64, sig.unsafe(), 0);
        return new Decoded(sig, mode);
    }

    /** Nested fn pointer depth: references inside one carry regions bound by it. */
    private int nesting;
    private int boundRegions;
    private int spelledNames;

    private FnSig signature(boolean topLevel) {
        if (!topLevel) nesting++;
        try {
            return signatureBody();
        } finally {
            if (!topLevel) nesting--;
        }
    }

    private FnSig signatureBody() {
        RustType ret = type();
        List<RustType> params = new ArrayList<>();
        boolean variadic = false;
        if (s.startsWith("vE", pos)) {
            pos += 2;
            return new FnSig(params, ret, false, Abi.C, false, 0);
        }
        while (peek() != 'E') {
            if (peek() == 'z') {
                pos++;
                variadic = true;
                continue;
            }
            params.add(type());
        }
        pos++;
        return new FnSig(params, ret, variadic, Abi.C, variadic, 0);
    }

    private RustType type() {
        return nested(this::unnestedType);
    }

    private RustType unnestedType() {
        char c = peek();
        switch (c) {
            case 'S' -> {
                if (substitution() instanceof RustType t) return t;
                throw error("a K-qualified entry or a function type cannot stand alone");
            }
            case 'v' -> {
                pos++;
                return RustType.UNIT;
            }
            case 'b' -> {
                pos++;
                return Scalar.BOOL;
            }
            case 'f' -> {
                pos++;
                return Scalar.F32;
            }
            case 'd' -> {
                pos++;
                return Scalar.F64;
            }
            case 'g' -> {
                pos++;
                return Scalar.F128;
            }
            case 'P' -> {
                pos++;
                if (peek() == 'F') {   // rustc: one entry for the whole fn pointer; clang: the function type first
                    pos++;
                    FnSig sig = signature(false);
                    if (writer.registersFunctionTypes()) dictionary.add(new FunctionEntry(sig));
                    return remember(new FnPointer(sig));
                }
                if (peek() == 'K') {   // *const T: K T is an entry of its own, then P K T
                    pos++;
                    ConstQualified k = new ConstQualified(type());
                    dictionary.add(k);
                    return remember(new RawPointer(k.pointee(), false));
                }
                if (peek() == 'S') {
                    Object entry = substitution();
                    if (entry instanceof ConstQualified k) return remember(new RawPointer(k.pointee(), false));
                    if (entry instanceof FunctionEntry f) return remember(new FnPointer(f.sig()));
                    if (entry instanceof RustType t) return remember(new RawPointer(t, true));
                    throw error("a pointer to an entry that is not a type");
                }
                return remember(new RawPointer(type(), true));
            }
            case 'A' -> {
                pos++;
                return remember(array());
            }
            case 'U' -> {
                if (!s.startsWith("U3mut", pos)) throw error("unknown vendor qualifier");
                pos += 5;
                RustType shared = type();
                if (!(shared instanceof Reference r)) throw error("U3mut must qualify a reference");
                return remember(new Reference(r.pointee(), true, r.region()));
            }
            case 'u' -> {
                pos++;
                return vendor();
            }
            case 'D' -> {
                if (s.startsWith("Dh", pos)) {
                    pos += 2;
                    return Scalar.F16;
                }
                throw error("unknown type code D");
            }
            default -> {
                if (Character.isDigit(c)) {   // a repr(C) name in a C signature, or a cfi_encoding like 3Foo
                    // Spelled out again rather than substituted, so a different type (CGeneric<u8> vs
                    // CGeneric<u16>): each occurrence gets an identity of its own.
                    String name = sourceName();
                    DefPath path = new DefPath("?", List.of(new DefPath.Segment('t', name, ++spelledNames)));
                    return remember(new Foreign(path, null));
                }
                String cName = RustStd.C_INTEGER_ALIASES.get(c);
                if (cName == null) throw error("unknown type code '" + c + "'");
                pos++;   // a builtin cfi_encoding: not a dictionary entry
                return new Foreign(DefPath.of("core", "ffi", cName), String.valueOf(c));
            }
        }
    }

    /** {@code A<n><T>} as rustc writes it ({@link #unseparatedArray}), {@code A<n>_<T>} as clang does. */
    private ArrayType array() {
        if (writer == Compiler.CLANG) {
            long length = number();
            expect('_');
            return new ArrayType(type(), length);
        }
        return unseparatedArray(length -> new ArrayType(type(), length));
    }

    @Override
    protected long mark() {
        return (long) dictionary.size() << 32 | boundRegions;
    }

    @Override
    protected void reset(long mark) {
        int entries = (int) (mark >>> 32);
        while (dictionary.size() > entries) dictionary.remove(dictionary.size() - 1);
        boundRegions = (int) mark;
    }

    private RustType vendor() {
        String name = sourceName();
        switch (name) {
            case "ref" -> {
                expect('I');
                RustType pointee = type();
                expect('E');
                // Inside a nested fn pointer a spelled-out reference has its own bound region: had it
                // been equal to an earlier one, rustc would have written a substitution instead.
                Region region = nesting > 0 ? Region.bound(0, boundRegions++) : Region.ERASED;
                return remember(new Reference(pointee, false, region));
            }
            case "slice" -> {
                expect('I');
                RustType e = type();
                expect('E');
                return remember(new Slice(e));
            }
            case "tuple" -> {
                expect('I');
                List<RustType> es = new ArrayList<>();
                while (peek() != 'E') es.add(type());
                pos++;
                return remember(new Tuple(es));
            }
            case "never" -> {
                return remember(Scalar.NEVER);
            }
            case "dyn" -> {
                return remember(dyn());
            }
            case "param" -> {
                return remember(RustType.UNIT);
            }
            case "pat" -> {
                // u3patI <integer> <pattern as rustc prints it> E: the pattern of NonZero<T>, no other
                expect('I');
                RustType t = type();
                if (!(t instanceof Scalar integer) || !integer.isInteger()) throw error("a pattern type over " + t + ", not an integer");
                NonZero n = new NonZero(integer);
                if (!s.startsWith(n.pattern(), pos)) throw error("a pattern other than NonZero<" + integer.spelling() + ">'s " + n.pattern());
                pos += n.pattern().length();
                expect('E');
                return remember(n);
            }
            default -> {
                Scalar sc = Scalar.ofSpelling(name);
                if (sc != null) return remember(sc);
                if (name.startsWith("N")) return path(name);
                throw error("unknown vendor type u" + name.length() + name);
            }
        }
    }

    /**
     * {@code u3dynI <predicates> <region> E}. Predicates come principal, projections, auto traits; a
     * known auto trait is recognized by its path, and after the principal any other path is a
     * projection, whose term type follows its arguments.
     */
    private DynTrait dyn() {
        expect('I');
        List<ExistentialPredicate> predicates = new ArrayList<>();
        while (!s.startsWith("u6region", pos) && !(peek() == 'S' && substitutionPeek() instanceof Region)) {
            if (peek() == 'S') {
                if (!(substitution() instanceof ExistentialPredicate e)) throw error("expected a predicate");
                predicates.add(e);
                continue;
            }
            expect('u');
            DefPath path = pathOnly(sourceName());
            List<GenericArg> args = pos < s.length() && peek() == 'I' ? genericArgs() : List.of();
            ExistentialPredicate e;
            if (RustStd.isAutoTrait(path)) e = new ExistentialPredicate.AutoTrait(path);
            else if (predicates.isEmpty()) e = new ExistentialPredicate.Trait(path, args);
            else e = new ExistentialPredicate.Projection(path, args, type());
            dictionary.add(e);
            predicates.add(e);
        }
        Region region = regionArg();
        expect('E');
        return new DynTrait(predicates, region);
    }

    /** {@code N<ns>…C<dis><len><crate><segments>}. */
    private DefPath pathOnly(String text) {
        int i = 0;
        int nesting = 0;
        while (i < text.length() && text.charAt(i) == 'N') {
            i += 2;
            nesting++;
        }
        if (i >= text.length() || text.charAt(i) != 'C') throw error("malformed path " + text);
        i = afterUnderscore(text, i);
        List<String> segs = new ArrayList<>();
        String crate = null;
        while (i < text.length()) {
            if (text.charAt(i) == 's') i = afterUnderscore(text, i);
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
            if (start == i || i - start > 6) throw error("expected a segment length in path " + text);
            int len = Integer.parseInt(text, start, i, 10);
            if (i < text.length() && text.charAt(i) == '_' && crate != null) i++;
            if (i + len > text.length()) throw error("segment length " + len + " runs past the end of path " + text);
            String seg = text.substring(i, i + len);
            i += len;
            if (crate == null) crate = seg;
            else segs.add(seg);
        }
        if (segs.size() != nesting) throw error("path " + text + " does not match its nesting");
        return new DefPath(crate, segs.stream().map(DefPath.Segment::type).toList());
    }

    /** Skips a disambiguator ({@code C<dis>_} or {@code s<dis>_}) starting at {@code i}. */
    private int afterUnderscore(String text, int i) {
        int end = text.indexOf('_', i);
        if (end < 0) throw error("unterminated disambiguator in path " + text);
        return end + 1;
    }

    private RustType path(String text) {
        DefPath p = pathOnly(text);
        List<GenericArg> args = pos < s.length() && peek() == 'I' ? genericArgs() : List.of();
        AdtDef def = new AdtDef(AdtDef.Kind.STRUCT, p, false, false, null, List.of());
        return remember(new Adt(def, args));
    }

    /** A region: {@code u6region}, {@code u6regionI[s<d>_]<index>E}, or a substitution naming one. */
    private Region regionArg() {
        if (peek() == 'S') {
            if (substitution() instanceof Region r) return r;
            throw error("expected a region");
        }
        if (!s.startsWith("u6region", pos)) throw error("expected a region");
        pos += "u6region".length();
        Region r = Region.ERASED;
        if (pos < s.length() && peek() == 'I') {
            pos++;
            int debruijn = 0;
            if (peek() == 's') {
                pos++;
                debruijn = 1 + (int) number();
                expect('_');
            }
            r = Region.bound(debruijn, (int) number());
            expect('E');
        }
        dictionary.add(r);
        return r;
    }

    private List<GenericArg> genericArgs() {
        List<GenericArg> args = new ArrayList<>();
        if (pos < s.length() && peek() == 'I') {
            pos++;
            while (peek() != 'E') {
                if (s.startsWith("u6region", pos) || (peek() == 'S' && substitutionPeek() instanceof Region)) {
                    args.add(new GenericArg.Lifetime(regionArg()));
                } else if (peek() == 'L') {
                    pos++;
                    RustType t = type();
                    int start = pos;
                    while (peek() != 'E') pos++;
                    String v = s.substring(start, pos);
                    pos++;
                    GenericArg.Const k = new GenericArg.Const(t, v.startsWith("n") ? v.substring(1) : v);
                    dictionary.add(k);   // rustc compresses a const argument as a whole
                    args.add(k);
                } else if (peek() == 'S' && substitutionPeek() instanceof GenericArg.Const k) {
                    substitution();
                    args.add(k);
                } else {
                    args.add(new GenericArg.Type(type()));
                }
            }
            pos++;
        }
        return args;
    }

    /** {@code S_} / {@code S<base36>_}: the dictionary entry it names. */
    private Object substitution() {
        return dictionary.get(substitutionIndex(dictionary.size()));
    }

    private Object substitutionPeek() {
        int save = pos;
        try {
            return substitution();
        } finally {
            pos = save;
        }
    }

    private RustType remember(RustType t) {
        dictionary.add(t);
        return t;
    }
}
