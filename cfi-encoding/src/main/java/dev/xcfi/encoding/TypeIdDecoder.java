package dev.xcfi.encoding;

import dev.xcfi.types.ArrayType;
import dev.xcfi.types.AtomicType;
import dev.xcfi.types.BitIntType;
import dev.xcfi.types.BlockPointerType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.CType;
import dev.xcfi.types.CallingConvention;
import dev.xcfi.types.ComplexType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.TagType;
import dev.xcfi.types.Target;
import dev.xcfi.types.TypedefType;
import dev.xcfi.types.VectorType;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CFI type id back into a function type, so reports can say {@code void (void (*)(long), long)}
 * instead of {@code _ZTSFvPFvlElE}. It rebuilds the substitution dictionary in the same post-order
 * the encoders fill it, so {@code S_}…{@code S<n>_} resolve — by clang's rules or rustc's, which number
 * entries after a function pointer differently ({@link Compiler}). Fixed-width vendor integers
 * ({@code u3i64}, from integer normalization or rustc) print by their Rust names ({@code i64}).
 */
public final class TypeIdDecoder extends IdReader {
    /** The decoded id: the function type, its mode suffixes, and its mangling without them. */
    public record Decoded(FunctionType type, CfiMode mode, String mangling) {
        /** The type in C syntax. */
        public String c() {
            return CTypePrinter.print(type);
        }
    }

    private final Target target;
    private final Compiler writer;
    private final List<CType> dictionary = new ArrayList<>();
    private TypeIdDecoder(String s, Target target, Compiler writer, int[] splits) {
        super(s, 4, splits);
        this.target = target;
        this.writer = writer;
    }

    /**
     * An id clang wrote.
     *
     * @throws IllegalArgumentException naming the offset where {@code id} stops being a type id
     */
    public static Decoded decode(String id, Target target) {
        return decode(id, target, Compiler.CLANG);
    }

    /**
     * An id {@code writer} wrote, read as a C type (a rustc id of an FFI signature reads as the C
     * type it spells).
     *
     * @throws IllegalArgumentException naming the offset where {@code id} stops being a type id
     */
    public static Decoded decode(String id, Target target, Compiler writer) {
        CfiMode mode = CfiMode.ofSuffixes(id);
        String mangling = id.substring(0, id.length() - mode.suffix().length());
        if (!mangling.startsWith("_ZTS")) throw new IllegalArgumentException("'" + id + "' is not a CFI type id (no _ZTS prefix)");
        int[] splits = LONGEST;
        for (int attempt = 0; ; attempt++) {
            TypeIdDecoder d = new TypeIdDecoder(mangling, target, writer, splits);
            try {
                CType t = d.type();
                if (d.pos != mangling.length()) throw d.error("unexpected text after the type");
                if (!(t instanceof FunctionType f)) throw new IllegalArgumentException("'" + id + "' is not a function type id");
                return new Decoded(f, mode, mangling);
            } catch (IllegalArgumentException e) {
                splits = d.retry(e, attempt);   // rustc's array lengths can be split otherwise
            }
        }
    }

    private CType type() {
        return nested(this::unnestedType);
    }

    private CType unnestedType() {
        char c = peek();
        switch (c) {
            case 'S' -> {
                if (s.startsWith("St", pos)) {
                    pos += 2;
                    return remember(TagType.std(TagType.Kind.STRUCT, sourceName()));
                }
                return substitution();
            }
            case 'P' -> {
                pos++;
                if (peek() == 'F' && !writer.registersFunctionTypes()) {   // rustc: the fn pointer is one entry
                    pos++;
                    return remember(new PointerType(function(CallingConvention.C)));
                }
                return remember(new PointerType(type()));
            }
            case 'r', 'V', 'K' -> {
                return qualified(Qualifiers.NONE);
            }
            case 'U' -> {
                pos++;
                String name = sourceName();
                CallingConvention cc = callingConvention(name);
                if (cc != null) {
                    if (peek() != 'F') throw error("expected a function type after U" + name.length() + name);
                    pos++;
                    return remember(function(cc));
                }
                if (name.equals("_Atomic")) return remember(new AtomicType(type()));
                if (name.equals("block_pointer")) {
                    int at = pos;
                    if (!(type() instanceof FunctionType f)) {
                        pos = at;
                        throw error("expected a function type after U13block_pointer");
                    }
                    return remember(new BlockPointerType(f));
                }
                if (name.startsWith("AS")) return qualified(Qualifiers.addressSpace(Integer.parseInt(name.substring(2))));
                throw error("unknown vendor qualifier U" + name.length() + name);
            }
            case 'F' -> {
                pos++;
                return remember(function(CallingConvention.C));
            }
            case 'A' -> {
                pos++;
                if (writer == Compiler.RUSTC) return remember(unseparatedArray(n -> new ArrayType(type(), new ArrayType.Size.Fixed(n))));
                ArrayType.Size size = Character.isDigit(peek()) ? new ArrayType.Size.Fixed(number()) : ArrayType.Size.INCOMPLETE;
                expect('_');
                return remember(new ArrayType(type(), size));
            }
            case 'C' -> {
                pos++;
                return remember(new ComplexType(type()));
            }
            case 'D' -> {
                return dType();
            }
            case 'Z' -> {
                pos++;
                String function = sourceName();
                expect('E');
                return remember(TagType.local(TagType.Kind.STRUCT, sourceName(), function));
            }
            case 'u' -> {
                pos++;
                return vendorType(sourceName());
            }
            default -> {
                if (Character.isDigit(c)) return remember(TagType.named(TagType.Kind.STRUCT, sourceName()));
                pos++;
                return BuiltinType.of(builtin(c));
            }
        }
    }

    private CType qualified(Qualifiers initial) {
        Qualifiers q = initial;
        while (true) {
            char c = peek();
            if (c == 'r') q = q.with(Qualifiers.RESTRICT);
            else if (c == 'V') q = q.with(Qualifiers.VOLATILE);
            else if (c == 'K') q = q.with(Qualifiers.CONST);
            else break;
            pos++;
        }
        return remember(QualifiedType.of(type(), q));
    }

    private FunctionType function(CallingConvention cc) {
        CType ret = type();
        if (peek() == 'E') {   // K&R: no parameter list
            pos++;
            return FunctionType.unprototyped(ret);
        }
        List<FunctionType.Parameter> params = new ArrayList<>();
        boolean variadic = false;
        if (s.startsWith("vE", pos)) {
            pos++;
        } else {
            while (peek() != 'E') {
                if (peek() == 'z') {
                    pos++;
                    variadic = true;
                    continue;
                }
                boolean noEscape = s.startsWith("U8noescape", pos);
                if (noEscape) pos += "U8noescape".length();
                params.add(new FunctionType.Parameter(type(), noEscape));
            }
        }
        expect('E');
        return new FunctionType(ret, params, variadic, true, cc, false, "");
    }

    private CType dType() {
        pos++;
        char c = next();
        return switch (c) {
            case 'v' -> {
                long n = number();
                expect('_');
                yield remember(new VectorType(type(), (int) n));
            }
            case 'B', 'U' -> {
                long n = number();
                expect('_');
                yield remember(new BitIntType(c == 'B', (int) n));
            }
            case 'F' -> {
                if (s.startsWith("16_", pos)) {
                    pos += 3;
                    yield BuiltinType.of(Kind.FLOAT16);
                }
                if (s.startsWith("16b", pos)) {
                    pos += 3;
                    yield BuiltinType.of(Kind.BFLOAT16);
                }
                throw error("unknown DF type");
            }
            case 'h' -> BuiltinType.of(Kind.HALF);
            case 'n' -> BuiltinType.of(Kind.NULLPTR);
            default -> throw error("unknown type code D" + c);
        };
    }

    /** Fixed-width vendor integers keep their Rust names over the C integer of the same width and sign. */
    private CType vendorType(String name) {
        return switch (name) {
            case "__bf16" -> BuiltinType.of(Kind.BFLOAT16);
            case "__ieee128" -> BuiltinType.of(Kind.FLOAT128);
            case "i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128" -> {
                boolean signed = name.charAt(0) == 'i';
                int bits = Integer.parseInt(name.substring(1));
                yield remember(new TypedefType(name, integerOfWidth(bits, signed)));   // printed as Rust writes it: i64
            }
            // rustc's pointer-sized integers: C's integer of the target's pointer width (intptr_t's)
            case "isize", "usize" -> remember(new TypedefType(name, integerOfWidth(target.dataModel().pointerBits(), name.charAt(0) == 'i')));
            default -> throw error("unknown vendor type u" + name.length() + name);
        };
    }

    private CType integerOfWidth(int bits, boolean signed) {
        for (Kind k : new Kind[] {Kind.SIGNED_CHAR, Kind.SHORT, Kind.INT, Kind.LONG, Kind.LONG_LONG, Kind.INT128}) {
            if (target.bits(k) == bits) {
                Kind kind = signed ? k : Kind.values()[k.ordinal() + 1];
                return BuiltinType.of(kind);
            }
        }
        throw error("no " + bits + "-bit integer on " + target);
    }

    private Kind builtin(char c) {
        return switch (c) {
            case 'v' -> Kind.VOID;
            case 'b' -> Kind.BOOL;
            case 'c' -> Kind.CHAR;
            case 'a' -> Kind.SIGNED_CHAR;
            case 'h' -> Kind.UNSIGNED_CHAR;
            case 's' -> Kind.SHORT;
            case 't' -> Kind.UNSIGNED_SHORT;
            case 'i' -> Kind.INT;
            case 'j' -> Kind.UNSIGNED_INT;
            case 'l' -> Kind.LONG;
            case 'm' -> Kind.UNSIGNED_LONG;
            case 'x' -> Kind.LONG_LONG;
            case 'y' -> Kind.UNSIGNED_LONG_LONG;
            case 'n' -> Kind.INT128;
            case 'o' -> Kind.UNSIGNED_INT128;
            case 'f' -> Kind.FLOAT;
            case 'd' -> Kind.DOUBLE;
            case 'e' -> Kind.LONG_DOUBLE;
            case 'g' -> target.longDouble().equals("g") ? Kind.LONG_DOUBLE : Kind.FLOAT128;
            default -> {
                pos--;
                throw error("unknown type code '" + c + "'");
            }
        };
    }

    private static CallingConvention callingConvention(String name) {
        for (CallingConvention cc : CallingConvention.values()) if (name.equals(cc.mangledName())) return cc;
        return null;
    }

    private CType substitution() {
        return dictionary.get(substitutionIndex(dictionary.size()));
    }

    @Override
    protected long mark() {
        return dictionary.size();
    }

    @Override
    protected void reset(long mark) {
        while (dictionary.size() > mark) dictionary.remove(dictionary.size() - 1);
    }

    private CType remember(CType t) {
        dictionary.add(t);
        return t;
    }
}
