package dev.xcfi.types;

import dev.xcfi.types.BuiltinType.Kind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.xcfi.types.BuiltinType.Kind.*;

/**
 * What clang 22 decides per target when it forms CFI ids: integer widths (the {@link DataModel}),
 * {@code char} signedness, the manglings of the floating types that vary, which types exist at all,
 * and what the standard typedefs ({@code size_t}, {@code wchar_t}, {@code int64_t}, {@code va_list},
 * …) are. Every fact here was read off clang-22, and the golden corpora check them on every target.
 *
 * @param triple              clang's normalized triple, e.g. {@code x86_64-unknown-linux-gnu}
 * @param longDouble          mangling of {@code long double}
 * @param float128            mangling of {@code __float128}, or null where clang rejects it
 * @param bfloat16            mangling of {@code __bf16}, or null where clang rejects it
 * @param int128              whether the {@code __int128} keyword and {@code __int128_t} exist (the type
 *                            itself exists on every target: GCC's {@code mode(TI)} makes it)
 * @param halfArguments       whether {@code __fp16} may be passed and returned by value (ARM)
 * @param standardTypedefs    the integer typedefs of {@code <stddef.h> <stdint.h> <uchar.h> <wchar.h>}
 */
public record Target(String triple, Arch arch, Os os, DataModel dataModel, boolean charSigned,
                     String longDouble, String float128, boolean ibm128, boolean float16, String bfloat16,
                     boolean int128, boolean halfArguments, VaList vaList, boolean maxAlignIsLongDouble,
                     Map<String, Kind> standardTypedefs) {

    public enum Arch { X86_64, I686, AARCH64, ARM, RISCV64, PPC64LE, WASM32 }

    public enum Os { LINUX, ANDROID, DARWIN, WINDOWS, UNKNOWN }

    /** How {@code __builtin_va_list} is defined. */
    public enum VaList {
        /** {@code struct __va_list_tag[1]} (x86-64 SysV). */
        X86_64_TAG_ARRAY,
        /** {@code char *}. */
        CHAR_POINTER,
        /** {@code void *}. */
        VOID_POINTER,
        /** {@code struct std::__va_list} (AAPCS). */
        AAPCS_STRUCT
    }

    public Target {
        standardTypedefs = Collections.unmodifiableMap(new LinkedHashMap<>(standardTypedefs));
    }

    // Written out rather than generated: a record's generated equals and hashCode are bootstrapped
    // through method handles on first use, classes the AOT cache does not keep (the header parser
    // keys its per-target tables by target: ≈ 3 ms of a short encode run).
    @Override
    public boolean equals(Object o) {
        return o instanceof Target t && triple.equals(t.triple) && arch == t.arch && os == t.os && dataModel == t.dataModel
                && charSigned == t.charSigned && java.util.Objects.equals(longDouble, t.longDouble) && java.util.Objects.equals(float128, t.float128)
                && ibm128 == t.ibm128 && float16 == t.float16 && java.util.Objects.equals(bfloat16, t.bfloat16) && int128 == t.int128
                && halfArguments == t.halfArguments && vaList == t.vaList && maxAlignIsLongDouble == t.maxAlignIsLongDouble
                && standardTypedefs.equals(t.standardTypedefs);
    }

    @Override
    public int hashCode() {
        return triple.hashCode();
    }

    // --- the known targets -------------------------------------------------------------------

    public static final Target X86_64_LINUX_GNU = builder("x86_64-unknown-linux-gnu", Arch.X86_64, Os.LINUX, DataModel.LP64)
            .signedChar().floats("e", "g", false, true, "DF16b").int128().vaList(VaList.X86_64_TAG_ARRAY)
            .types(UNSIGNED_LONG, LONG, INT, LONG, LONG, UNSIGNED_INT).build();
    public static final Target I686_LINUX_GNU = builder("i686-unknown-linux-gnu", Arch.I686, Os.LINUX, DataModel.ILP32)
            .signedChar().floats("e", "g", false, false, null).vaList(VaList.CHAR_POINTER)
            .types(UNSIGNED_INT, INT, INT, LONG_LONG, INT, UNSIGNED_INT).intmax(LONG_LONG).build();
    public static final Target AARCH64_LINUX_GNU = builder("aarch64-unknown-linux-gnu", Arch.AARCH64, Os.LINUX, DataModel.LP64)
            .floats("e", null, false, true, "u6__bf16").int128().halfArguments().vaList(VaList.AAPCS_STRUCT)
            .types(UNSIGNED_LONG, LONG, UNSIGNED_INT, LONG, LONG, UNSIGNED_INT).build();
    public static final Target ARMV7_LINUX_GNUEABIHF = builder("armv7-unknown-linux-gnueabihf", Arch.ARM, Os.LINUX, DataModel.ILP32)
            .floats("e", null, false, true, "u6__bf16").halfArguments().vaList(VaList.AAPCS_STRUCT)
            .types(UNSIGNED_INT, INT, UNSIGNED_INT, LONG_LONG, INT, UNSIGNED_INT).intmax(LONG_LONG).build();
    public static final Target RISCV64_LINUX_GNU = builder("riscv64-unknown-linux-gnu", Arch.RISCV64, Os.LINUX, DataModel.LP64)
            .floats("e", null, false, true, "DF16b").int128().vaList(VaList.VOID_POINTER)
            .types(UNSIGNED_LONG, LONG, INT, LONG, LONG, UNSIGNED_INT).build();
    public static final Target POWERPC64LE_LINUX_GNU = builder("powerpc64le-unknown-linux-gnu", Arch.PPC64LE, Os.LINUX, DataModel.LP64)
            .floats("g", null, true, false, null).int128().vaList(VaList.CHAR_POINTER)
            .types(UNSIGNED_LONG, LONG, INT, LONG, LONG, UNSIGNED_INT).build();
    public static final Target AARCH64_APPLE_DARWIN = builder("arm64-apple-darwin", Arch.AARCH64, Os.DARWIN, DataModel.LP64)
            .signedChar().floats("e", null, false, true, "u6__bf16").int128().halfArguments().vaList(VaList.CHAR_POINTER)
            .types(UNSIGNED_LONG, LONG, INT, LONG_LONG, LONG, INT).maxAlignIsLongDouble().build();
    public static final Target X86_64_APPLE_DARWIN = builder("x86_64-apple-darwin", Arch.X86_64, Os.DARWIN, DataModel.LP64)
            .signedChar().floats("e", null, false, true, "DF16b").int128().vaList(VaList.X86_64_TAG_ARRAY)
            .types(UNSIGNED_LONG, LONG, INT, LONG_LONG, LONG, INT).maxAlignIsLongDouble().build();
    public static final Target WASM32 = builder("wasm32-unknown-unknown", Arch.WASM32, Os.UNKNOWN, DataModel.ILP32)
            .signedChar().floats("e", "g", false, false, null).int128().vaList(VaList.VOID_POINTER)
            .types(UNSIGNED_LONG, LONG, INT, LONG_LONG, LONG, INT).intmax(LONG_LONG).build();
    public static final Target X86_64_WINDOWS_GNU = builder("x86_64-unknown-windows-gnu", Arch.X86_64, Os.WINDOWS, DataModel.LLP64)
            .signedChar().floats("e", "g", false, true, "DF16b").int128().vaList(VaList.CHAR_POINTER)
            .types(UNSIGNED_LONG_LONG, LONG_LONG, UNSIGNED_SHORT, LONG_LONG, LONG_LONG, UNSIGNED_SHORT).build();
    public static final Target X86_64_LINUX_ANDROID = builder("x86_64-unknown-linux-android", Arch.X86_64, Os.ANDROID, DataModel.LP64)
            .signedChar().floats("g", "g", false, true, "DF16b").int128().vaList(VaList.X86_64_TAG_ARRAY)
            .types(UNSIGNED_LONG, LONG, INT, LONG, LONG, UNSIGNED_INT).build();

    private static final List<Target> KNOWN = List.of(X86_64_LINUX_GNU, I686_LINUX_GNU, AARCH64_LINUX_GNU,
            ARMV7_LINUX_GNUEABIHF, RISCV64_LINUX_GNU, POWERPC64LE_LINUX_GNU, AARCH64_APPLE_DARWIN,
            X86_64_APPLE_DARWIN, WASM32, X86_64_WINDOWS_GNU, X86_64_LINUX_ANDROID);

    public static List<Target> known() {
        return KNOWN;
    }

    /**
     * This target under clang's {@code -fshort-wchar} (Linux's EFI code, UEFI firmware): wchar_t is
     * {@code unsigned short}, as on Windows, where the option changes nothing. The predefined
     * {@code __WCHAR_*} macros follow (the header parser derives them from this typedef).
     */
    public Target withShortWchar() {
        if (standardTypedefs.get("wchar_t") == UNSIGNED_SHORT) return this;
        Map<String, Kind> typedefs = new LinkedHashMap<>(standardTypedefs);
        typedefs.put("wchar_t", UNSIGNED_SHORT);
        return new Target(triple, arch, os, dataModel, charSigned, longDouble, float128, ibm128, float16, bfloat16, int128, halfArguments,
                vaList, maxAlignIsLongDouble, typedefs);
    }

    /** A short, conventional spelling: {@code x86_64-linux-gnu}, {@code aarch64-apple-darwin}. */
    public String shortName() {
        return switch (this.os) {
            case DARWIN -> (arch == Arch.AARCH64 ? "aarch64" : "x86_64") + "-apple-darwin";
            case UNKNOWN -> triple;
            default -> triple.replace("-unknown-", "-");
        };
    }

    // --- lookup --------------------------------------------------------------------------------

    /**
     * The target named by a triple in any of the usual spellings ({@code x86_64-linux-gnu},
     * {@code x86_64-pc-linux-gnu}, {@code arm64-apple-macos}, {@code x86_64-w64-mingw32}, …).
     *
     * @throws IllegalArgumentException naming the known targets, or explaining that MSVC targets
     *                                  use Microsoft mangling, which xcfi does not produce yet
     */
    public static Target of(String spelling) {
        String s = spelling.trim().toLowerCase(Locale.ROOT);
        if (s.contains("msvc") || (s.contains("windows") && !s.contains("gnu"))) {
            throw new IllegalArgumentException("target '" + spelling + "' uses the Microsoft C++ ABI, whose CFI ids are "
                    + "Microsoft-mangled (?6AXJ@Z); xcfi produces Itanium ids only. Use a *-windows-gnu (MinGW) target.");
        }
        String[] parts = s.split("-");
        String arch = switch (parts[0]) {
            case "arm64", "aarch64" -> "aarch64";
            case "i386", "i486", "i586", "i686", "x86" -> "i686";
            case "amd64", "x86_64" -> "x86_64";
            case "armv7", "armv7a", "armv7l", "armv7hl" -> "armv7";
            case "ppc64le", "powerpc64le" -> "powerpc64le";
            default -> parts[0];
        };
        boolean darwin = s.contains("darwin") || s.contains("macos") || s.contains("apple");
        boolean windows = s.contains("windows") || s.contains("mingw");
        boolean android = s.contains("android");
        for (Target t : KNOWN) {
            String tArch = t.arch == Arch.ARM ? "armv7" : t.triple.substring(0, t.triple.indexOf('-'));
            if (t.arch == Arch.AARCH64) tArch = "aarch64";
            if (!tArch.equals(arch)) continue;
            boolean match = switch (t.os) {
                case DARWIN -> darwin;
                case WINDOWS -> windows;
                case ANDROID -> android;
                case LINUX -> s.contains("linux") && !android
                        && (t.arch != Arch.ARM || s.endsWith("gnueabihf"));
                case UNKNOWN -> !darwin && !windows && !s.contains("linux");
            };
            if (match) return t;
        }
        throw new IllegalArgumentException("unknown target '" + spelling + "'; known targets: "
                + String.join(", ", KNOWN.stream().map(Target::shortName).toList()));
    }

    /** The machine this JVM runs on. */
    public static Target host() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i686" -> "i686";
            case "arm" -> "armv7";
            case "riscv64" -> "riscv64";
            case "ppc64le" -> "powerpc64le";
            default -> arch;
        };
        String o = os.contains("mac") ? "apple-darwin" : os.contains("win") ? "windows-gnu"
                : a.equals("armv7") ? "linux-gnueabihf" : "linux-gnu";
        return of(a + "-" + o);
    }

    // --- facts the encoder asks for --------------------------------------------------------------

    /** Width in bits of an integer builtin. */
    public int bits(Kind kind) {
        return switch (kind) {
            case BOOL, CHAR, SIGNED_CHAR, UNSIGNED_CHAR -> 8;
            case SHORT, UNSIGNED_SHORT -> 16;
            case INT, UNSIGNED_INT -> dataModel.intBits();
            case LONG, UNSIGNED_LONG -> dataModel.longBits();
            case LONG_LONG, UNSIGNED_LONG_LONG -> 64;
            case INT128, UNSIGNED_INT128 -> 128;
            default -> throw new IllegalArgumentException(kind + " is not an integer type");
        };
    }

    /**
     * {@code sizeof(long double)}: the x87 format in 12 bytes on i686 and 16 on x86_64, IEEE quad
     * (16) on the other 64-bit targets but Apple's ARM, where it is {@code double} (8) as on ARMv7.
     */
    public int longDoubleBytes() {
        return switch (arch) {
            case I686 -> 12;
            case ARM -> 8;
            case AARCH64 -> os == Os.DARWIN ? 8 : 16;
            case X86_64, RISCV64, PPC64LE, WASM32 -> 16;
        };
    }

    /** {@code sizeof} a builtin in bytes; empty for {@code void}. */
    public OptionalInt sizeBytes(Kind kind) {
        return switch (kind) {
            case VOID -> OptionalInt.empty();
            case FLOAT -> OptionalInt.of(4);
            case DOUBLE -> OptionalInt.of(8);
            case FLOAT16, BFLOAT16, HALF -> OptionalInt.of(2);
            case LONG_DOUBLE -> OptionalInt.of(longDoubleBytes());
            case FLOAT128, IBM128 -> OptionalInt.of(16);
            case NULLPTR -> OptionalInt.of(dataModel.pointerBits() / 8);
            default -> OptionalInt.of(bits(kind) / 8);
        };
    }

    /**
     * {@code _Alignof} a builtin, which is also where a struct puts it: its size, but 4 for i686's
     * 8-byte integers and doubles and its 12-byte long double (the System V i386 ABI), as clang 22
     * lays them out; empty for {@code void}.
     */
    public OptionalInt alignmentBytes(Kind kind) {
        OptionalInt size = sizeBytes(kind);
        if (size.isEmpty()) return size;
        return arch == Arch.I686 && (size.getAsInt() == 8 || kind == Kind.LONG_DOUBLE) ? OptionalInt.of(4) : size;
    }

    /**
     * GNU's {@code __alignof__} of a builtin, the alignment a variable of it gets: i686 prefers 8
     * for its 8-byte integers and doubles (which its structs put at 4); elsewhere the ABI's.
     */
    public OptionalInt preferredAlignmentBytes(Kind kind) {
        OptionalInt size = sizeBytes(kind);
        return arch == Arch.I686 && size.isPresent() && size.getAsInt() == 8 ? size : alignmentBytes(kind);
    }

    /** Signedness of an integer builtin ({@code _Bool} is unsigned; {@code char} per target). */
    public boolean isSigned(Kind kind) {
        return switch (kind) {
            case CHAR -> charSigned;
            case SIGNED_CHAR, SHORT, INT, LONG, LONG_LONG, INT128 -> true;
            case BOOL, UNSIGNED_CHAR, UNSIGNED_SHORT, UNSIGNED_INT, UNSIGNED_LONG, UNSIGNED_LONG_LONG, UNSIGNED_INT128 -> false;
            default -> throw new IllegalArgumentException(kind + " is not an integer type");
        };
    }

    /**
     * Why clang-22 rejects {@code kind} on this target, in clang's words, or empty if it accepts it.
     * ({@code __fp16} by value is checked separately: see {@link #halfArguments()}. __int128 is a
     * type on every target — {@code mode(TI)} makes it — and only its keyword needs {@link #int128()}.)
     */
    public Optional<String> rejects(Kind kind) {
        boolean ok = switch (kind) {
            case FLOAT16 -> float16;
            case BFLOAT16 -> bfloat16 != null;
            case FLOAT128 -> float128 != null;
            case IBM128 -> ibm128;
            default -> true;
        };
        return ok ? Optional.empty() : Optional.of(kind.spelling() + " is not supported on this target (" + shortName() + ")");
    }

    /** The type {@code __builtin_va_list} stands for. */
    public CType builtinVaList() {
        return switch (vaList) {
            case X86_64_TAG_ARRAY -> new ArrayType(TagType.declared(TagType.Kind.STRUCT, "__va_list_tag"), new ArrayType.Size.Fixed(1));
            case CHAR_POINTER -> PointerType.to(BuiltinType.CHAR);
            case VOID_POINTER -> PointerType.to(BuiltinType.VOID);
            case AAPCS_STRUCT -> TagType.std(TagType.Kind.STRUCT, "__va_list");
        };
    }

    /** {@code max_align_t} as {@code <stddef.h>} defines it for this target. */
    public CType maxAlignT() {
        return maxAlignIsLongDouble ? BuiltinType.of(LONG_DOUBLE) : TagType.named(TagType.Kind.STRUCT, "max_align_t");
    }

    // --- builder, private: the table above is the only place targets are made ------------------

    private static Builder builder(String triple, Arch arch, Os os, DataModel model) {
        return new Builder(triple, arch, os, model);
    }

    private static final class Builder {
        final String triple;
        final Arch arch;
        final Os os;
        final DataModel model;
        boolean signedChar, ibm128, float16, int128, half, maxAlignLd;
        String longDouble, float128, bf16;
        VaList vaList;
        Kind size, ptrdiff, wchar, int64, intptr, wint, intmax;

        Builder(String triple, Arch arch, Os os, DataModel model) {
            this.triple = triple;
            this.arch = arch;
            this.os = os;
            this.model = model;
        }

        Builder signedChar() { signedChar = true; return this; }
        Builder int128() { int128 = true; return this; }
        Builder halfArguments() { half = true; return this; }
        Builder maxAlignIsLongDouble() { maxAlignLd = true; return this; }
        Builder vaList(VaList v) { vaList = v; return this; }
        Builder intmax(Kind k) { intmax = k; return this; }

        Builder floats(String ld, String f128, boolean ibm, boolean f16, String bf) {
            longDouble = ld; float128 = f128; ibm128 = ibm; float16 = f16; bf16 = bf;
            return this;
        }

        Builder types(Kind size, Kind ptrdiff, Kind wchar, Kind int64, Kind intptr, Kind wint) {
            this.size = size; this.ptrdiff = ptrdiff; this.wchar = wchar; this.int64 = int64;
            this.intptr = intptr; this.wint = wint;
            return this;
        }

        Target build() {
            Map<String, Kind> t = new LinkedHashMap<>();
            t.put("size_t", size);
            t.put("ptrdiff_t", ptrdiff);
            t.put("wchar_t", wchar);
            t.put("wint_t", wint);
            t.put("char8_t", UNSIGNED_CHAR);
            t.put("char16_t", UNSIGNED_SHORT);
            t.put("char32_t", UNSIGNED_INT);
            Kind i64 = int64;
            Kind[][] exact = {{SIGNED_CHAR, UNSIGNED_CHAR}, {SHORT, UNSIGNED_SHORT}, {INT, UNSIGNED_INT}, {i64, unsigned(i64)}};
            int[] widths = {8, 16, 32, 64};
            // clang's own <stdint.h> (__INT_FAST16_TYPE__ …) makes the least and fast types the exact ones.
            // Hosted glibc differs: its int_fast16/32_t are long on 64-bit targets (see docs/encoding.md).
            for (int i = 0; i < 4; i++) {
                int w = widths[i];
                t.put("int" + w + "_t", exact[i][0]);
                t.put("uint" + w + "_t", exact[i][1]);
                t.put("int_least" + w + "_t", exact[i][0]);
                t.put("uint_least" + w + "_t", exact[i][1]);
                t.put("int_fast" + w + "_t", exact[i][0]);
                t.put("uint_fast" + w + "_t", exact[i][1]);
            }
            t.put("intptr_t", intptr);
            t.put("uintptr_t", unsigned(intptr));
            Kind im = intmax != null ? intmax : (model.longBits() == 64 ? LONG : LONG_LONG);
            t.put("intmax_t", im);
            t.put("uintmax_t", unsigned(im));
            return new Target(triple, arch, os, model, signedChar, longDouble, float128, ibm128, float16, bf16,
                    int128, half, vaList, maxAlignLd, t);
        }

        static Kind unsigned(Kind k) {
            return switch (k) {
                case SIGNED_CHAR, CHAR -> UNSIGNED_CHAR;
                case SHORT -> UNSIGNED_SHORT;
                case INT -> UNSIGNED_INT;
                case LONG -> UNSIGNED_LONG;
                case LONG_LONG -> UNSIGNED_LONG_LONG;
                default -> k;
            };
        }
    }

    @Override
    public String toString() {
        return shortName();
    }
}
