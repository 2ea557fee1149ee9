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
    private final Map<String, Map<Integer, String>> bySignature = new HashMap<>();

    HashNames(Target target, CfiMode mode, KcfiHash algorithm) {
        this.target = target;
        this.mode = mode;
        this.algorithm = algorithm;
    }

    /** The type id whose hash {@code hash} is, among the spellings of {@code signature}. */
    Optional<String> idOf(int hash, String signature) {
        return Optional.ofNullable(bySignature.computeIfAbsent(signature, this::candidates).get(hash));
    }

    /** Every candidate id of a signature by its hash (ids of both languages; C's first where both give one hash). */
    private Map<Integer, String> candidates(String signature) {
        Map<Integer, String> ids = new HashMap<>();
        List<String> scalars = Signature.parts(signature);
        if (scalars.isEmpty() || scalars.contains(Signature.UNKNOWN)) return ids;
        boolean variadic = scalars.getLast().equals("...");
        List<String> types = variadic ? scalars.subList(0, scalars.size() - 1) : scalars;
        List<List<CType>> c = new ArrayList<>();
        List<List<RustType>> rust = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            c.add(new ArrayList<>(cTypes(types.get(i), i == 0)));
            rust.add(new ArrayList<>(rustTypes(types.get(i), i == 0)));
        }
        // A pointer may be a callback taking what the function itself takes (a registration
        // function's usual shape: void (*)(long) beside a long): tried as void or int functions of
        // no parameter or of one of the other parameters' spellings.
        for (int i = 1; i < types.size(); i++) {
            if (!types.get(i).equals("ptr")) continue;
            List<CType> cOperands = new ArrayList<>();
            List<RustType> rustOperands = new ArrayList<>();
            for (int j = 1; j < types.size(); j++) {
                if (j == i || types.get(j).equals("ptr")) continue;
                cOperands.addAll(cTypes(types.get(j), false));
                rustOperands.addAll(rustTypes(types.get(j), false));
            }
            for (CType result : List.of(BuiltinType.of(Kind.VOID), BuiltinType.of(Kind.INT))) {
                c.get(i).add(PointerType.to(FunctionType.of(result)));
                for (CType operand : cOperands) c.get(i).add(PointerType.to(FunctionType.of(result, operand)));
            }
            for (RustType result : List.of(RustType.UNIT, (RustType) Scalar.I32)) {
                rust.get(i).add(new FnPointer(FnSig.of(Abi.C, result)));
                for (RustType operand : rustOperands) rust.get(i).add(new FnPointer(FnSig.of(Abi.C, result, operand)));
            }
        }
        ClangEncoder clang = ClangEncoder.of(target);
        for (List<CType> combination : product(c)) {
            CType[] parameters = combination.subList(1, combination.size()).toArray(CType[]::new);
            FunctionType f = variadic ? FunctionType.variadic(combination.getFirst(), parameters) : FunctionType.of(combination.getFirst(), parameters);
            put(ids, () -> clang.encode(f, mode, algorithm));
        }
        if (!variadic) {   // a Rust fn pointer type is variadic only in extern blocks' C-variadic functions: not guessed
            RustcEncoder rustc = RustcEncoder.of(target, Map.of());
            for (List<RustType> combination : product(rust)) {
                FnSig sig = FnSig.of(Abi.C, combination.getFirst(), combination.subList(1, combination.size()).toArray(RustType[]::new));
                put(ids, () -> rustc.encode(sig, mode, algorithm));
            }
        }
        return ids;
    }

    private static void put(Map<Integer, String> ids, Supplier<HashedTypeId> encode) {
        try {
            HashedTypeId id = encode.get();
            ids.putIfAbsent(id.kcfi(), id.id().string());
        } catch (RuntimeException e) {
            // a combination the encoder refuses (a type the target lacks): not a candidate
        }
    }

    /** All combinations, or none when there would be more than {@link #MAX_CANDIDATES}. */
    private static <T> List<List<T>> product(List<List<T>> choices) {
        long count = 1;
        for (List<T> c : choices) count *= c.size();
        if (count == 0 || count > MAX_CANDIDATES) return List.of();
        List<List<T>> out = new ArrayList<>(List.of(List.of()));
        for (List<T> c : choices) {
            List<List<T>> next = new ArrayList<>();
            for (List<T> prefix : out) {
                for (T t : c) {
                    List<T> longer = new ArrayList<>(prefix);
                    longer.add(t);
                    next.add(longer);
                }
            }
            out = next;
        }
        return out;
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
