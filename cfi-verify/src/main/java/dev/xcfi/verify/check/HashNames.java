package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.HashedTypeId;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.RustcEncoder;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.CType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.RawPointer;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.types.rust.RustType;
import dev.xcfi.types.rust.Scalar;
import dev.xcfi.verify.facts.Signature;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Names a KCFI hash by the type id it was computed from, when that id is one of the usual spellings
 * of the function's IR signature. A hash cannot be turned back into an id, but an IR {@code void(i64)}
 * leaves few types behind it — C's {@code long}, {@code long long} and their unsigned forms, Rust's
 * {@code i64}, {@code u64}, {@code isize}, {@code usize} — and the one whose hash matches is the type
 * (among the at most {@value #MAX_CANDIDATES} ids tried per hash, a chance match of another 32-bit
 * hash is about one in ten million). Pointers are tried as {@code void *} and {@code char *} (and
 * Rust's {@code c_void}, {@code u8}, {@code i8} pointers) and as callbacks of no parameter or of one
 * of the function's other parameters' types: a pointer to a struct, or to another function type,
 * is not guessed, and its hash stays a bare number.
 */
final class HashNames {
    static final int MAX_CANDIDATES = 512;
    private final Target target;
    private final CfiMode mode;
    private final KcfiHash algorithm;
    // Each language's candidates are made only when asked: clang writes C encodings only, so a C
    // program's hashes never pay for Rust's spellings (half the encodings, all in cold code).
    private final Map<String, Map<Integer, String>> cBySignature = new HashMap<>();
    private final Map<String, Map<Integer, String>> rustBySignature = new HashMap<>();

    HashNames(Target target, CfiMode mode, KcfiHash algorithm) {
        this.target = target;
        this.mode = mode;
        this.algorithm = algorithm;
    }

    /**
     * The type id whose hash {@code hash} is, among the spellings of {@code signature} in the
     * language of the compiler that wrote it ({@code rustc}: rustc's, then C's — a type with
     * {@code #[cfi_encoding]} is spelled as C spells it — else C's alone).
     */
    Optional<String> idOf(int hash, String signature, boolean rustc) {
        if (rustc) {
            String id = rustBySignature.computeIfAbsent(signature, this::rustCandidates).get(hash);
            if (id != null) return Optional.of(id);
        }
        return Optional.ofNullable(cBySignature.computeIfAbsent(signature, this::cCandidates).get(hash));
    }

    /** Every C candidate id of a signature by its hash. */
    private Map<Integer, String> cCandidates(String signature) {
        Map<Integer, String> ids = new HashMap<>();
        List<String> types = types(signature);
        if (types == null) return ids;
        boolean variadic = signature.endsWith("...)");
        List<List<CType>> choices = choices(types, this::cTypes, result -> PointerType.to(FunctionType.of(result)),
                (result, operand) -> PointerType.to(FunctionType.of(result, operand)), List.of(BuiltinType.of(Kind.VOID), BuiltinType.of(Kind.INT)));
        ClangEncoder clang = ClangEncoder.of(target);
        for (List<CType> combination : product(choices)) {
            CType[] parameters = combination.subList(1, combination.size()).toArray(CType[]::new);
            FunctionType f = variadic ? FunctionType.variadic(combination.getFirst(), parameters) : FunctionType.of(combination.getFirst(), parameters);
            put(ids, () -> clang.encode(f, mode, algorithm));
        }
        return ids;
    }

    /** Every Rust candidate id of a signature by its hash (a Rust fn pointer is variadic only in extern blocks' C-variadic functions: not guessed). */
    private Map<Integer, String> rustCandidates(String signature) {
        Map<Integer, String> ids = new HashMap<>();
        List<String> types = types(signature);
        if (types == null || signature.endsWith("...)")) return ids;
        List<List<RustType>> choices = choices(types, this::rustTypes, result -> new FnPointer(FnSig.of(Abi.C, result)),
                (result, operand) -> new FnPointer(FnSig.of(Abi.C, result, operand)), List.of(RustType.UNIT, (RustType) Scalar.I32));
        RustcEncoder rustc = RustcEncoder.of(target, Map.of());
        for (List<RustType> combination : product(choices)) {
            FnSig sig = FnSig.of(Abi.C, combination.getFirst(), combination.subList(1, combination.size()).toArray(RustType[]::new));
            put(ids, () -> rustc.encode(sig, mode, algorithm));
        }
        return ids;
    }

    /** The signature's return and parameter scalars, without the variadic mark; null when a part is unknown. */
    private static List<String> types(String signature) {
        List<String> scalars = Signature.parts(signature);
        if (scalars.isEmpty() || scalars.contains(Signature.UNKNOWN)) return null;
        return scalars.getLast().equals("...") ? scalars.subList(0, scalars.size() - 1) : scalars;
    }

    /**
     * Each position's spellings. A pointer may also be a callback taking what the function itself
     * takes (a registration function's usual shape: {@code void (*)(long)} beside a {@code long}):
     * tried as functions of each result in {@code results}, of no parameter or of one of the other
     * parameters' spellings.
     */
    private static <T> List<List<T>> choices(List<String> types, java.util.function.BiFunction<String, Boolean, List<T>> spellings,
                                             java.util.function.Function<T, T> callbackOfNothing, java.util.function.BinaryOperator<T> callbackOf,
                                             List<T> results) {
        List<List<T>> choices = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) choices.add(new ArrayList<>(spellings.apply(types.get(i), i == 0)));
        for (int i = 1; i < types.size(); i++) {
            if (!types.get(i).equals("ptr")) continue;
            List<T> operands = new ArrayList<>();
            for (int j = 1; j < types.size(); j++) {
                if (j != i && !types.get(j).equals("ptr")) operands.addAll(spellings.apply(types.get(j), false));
            }
            for (T result : results) {
                choices.get(i).add(callbackOfNothing.apply(result));
                for (T operand : operands) choices.get(i).add(callbackOf.apply(result, operand));
            }
        }
        return choices;
    }

    /** Adds the id {@code encode} makes under its hash; a type the encoder refuses adds nothing. */
    static void put(Map<Integer, String> ids, Supplier<HashedTypeId> encode) {
        try {
            HashedTypeId id = encode.get();
            ids.putIfAbsent(id.kcfi(), id.id().string());
        } catch (RuntimeException e) {
            // a combination the encoder refuses (a type the target lacks): not a candidate
        }
    }

    /**
     * All combinations of one choice per list; when there are more than {@link #MAX_CANDIDATES}, the
     * most likely ones: each list is in order of likelihood, and combinations are taken by the sum
     * of their choices' positions (every first choice, then one second choice, …) up to the bound.
     */
    static <T> List<List<T>> product(List<List<T>> choices) {
        long count = 1;
        int worst = 0;
        for (List<T> c : choices) {
            count *= c.size();
            worst += c.size() - 1;
        }
        if (count == 0) return List.of();
        List<List<T>> out = new ArrayList<>((int) Math.min(count, MAX_CANDIDATES));
        if (count <= MAX_CANDIDATES) {
            combine(choices, 0, new ArrayList<>(choices.size()), -1, out);
            return out;
        }
        for (int rank = 0; rank <= worst && out.size() < MAX_CANDIDATES; rank++) combine(choices, 0, new ArrayList<>(choices.size()), rank, out);
        return out;
    }

    /** Appends the combinations that extend {@code prefix} with positions summing to {@code rank} (any, when negative). */
    private static <T> void combine(List<List<T>> choices, int at, List<T> prefix, int rank, List<List<T>> out) {
        if (out.size() >= MAX_CANDIDATES) return;
        if (at == choices.size()) {
            if (rank <= 0) out.add(List.copyOf(prefix));
            return;
        }
        List<T> c = choices.get(at);
        for (int i = 0; i < c.size() && (rank < 0 || i <= rank); i++) {
            prefix.add(c.get(i));
            combine(choices, at + 1, prefix, rank < 0 ? -1 : rank - i, out);
            prefix.removeLast();
        }
    }

    private List<CType> cTypes(String scalar, boolean isReturn) {
        List<Kind> kinds = switch (scalar) {
            case "void" -> isReturn ? List.of(Kind.VOID) : List.of();
            case "i1" -> List.of(Kind.BOOL);
            case "i8" -> List.of(Kind.CHAR, Kind.SIGNED_CHAR, Kind.UNSIGNED_CHAR);
            case "i16" -> List.of(Kind.SHORT, Kind.UNSIGNED_SHORT);
            case "i32", "i64" -> integers(Integer.parseInt(scalar.substring(1)));
            case "i128" -> List.of(Kind.INT128, Kind.UNSIGNED_INT128);
            case "half" -> List.of(Kind.FLOAT16);
            case "bfloat" -> List.of(Kind.BFLOAT16);
            case "float" -> List.of(Kind.FLOAT);
            case "double" -> target.longDoubleBytes() == 8 ? List.of(Kind.DOUBLE, Kind.LONG_DOUBLE) : List.of(Kind.DOUBLE);
            case "x86_fp80" -> List.of(Kind.LONG_DOUBLE);
            case "fp128" -> List.of(Kind.LONG_DOUBLE, Kind.FLOAT128);
            case "ppc_fp128" -> List.of(Kind.LONG_DOUBLE, Kind.IBM128);
            default -> List.of();
        };
        List<CType> out = new ArrayList<>();
        for (Kind k : kinds) out.add(BuiltinType.of(k));
        if (scalar.equals("ptr")) {
            for (Kind k : List.of(Kind.VOID, Kind.CHAR)) {
                out.add(PointerType.to(BuiltinType.of(k)));
                out.add(PointerType.to(QualifiedType.of(BuiltinType.of(k), Qualifiers.CONST)));
            }
        }
        return out;
    }

    /** The C integer types of a width on this target, signed and unsigned. */
    private List<Kind> integers(int bits) {
        List<Kind> out = new ArrayList<>();
        for (Kind k : List.of(Kind.INT, Kind.UNSIGNED_INT, Kind.LONG, Kind.UNSIGNED_LONG, Kind.LONG_LONG, Kind.UNSIGNED_LONG_LONG)) {
            if (target.bits(k) == bits) out.add(k);
        }
        return out;
    }

    private List<RustType> rustTypes(String scalar, boolean isReturn) {
        int pointerBits = target.dataModel().pointerBits();
        return switch (scalar) {
            case "void" -> isReturn ? List.of(RustType.UNIT) : List.of();
            case "i1" -> List.of(Scalar.BOOL);
            case "i8" -> List.of(Scalar.I8, Scalar.U8);
            case "i16" -> List.of(Scalar.I16, Scalar.U16);
            case "i32" -> pointerBits == 32 ? List.of(Scalar.I32, Scalar.U32, Scalar.CHAR, Scalar.ISIZE, Scalar.USIZE) : List.of(Scalar.I32, Scalar.U32, Scalar.CHAR);
            case "i64" -> pointerBits == 64 ? List.of(Scalar.I64, Scalar.U64, Scalar.ISIZE, Scalar.USIZE) : List.of(Scalar.I64, Scalar.U64);
            case "i128" -> List.of(Scalar.I128, Scalar.U128);
            case "half" -> List.of(Scalar.F16);
            case "float" -> List.of(Scalar.F32);
            case "double" -> List.of(Scalar.F64);
            case "fp128" -> List.of(Scalar.F128);
            case "ptr" -> List.of(new RawPointer(RustStd.C_VOID, true), new RawPointer(RustStd.C_VOID, false),
                    new RawPointer(Scalar.U8, false), new RawPointer(Scalar.U8, true), new RawPointer(Scalar.I8, false), new RawPointer(Scalar.I8, true));
            default -> List.of();
        };
    }
}
