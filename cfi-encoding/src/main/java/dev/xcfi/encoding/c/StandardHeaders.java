package dev.xcfi.encoding.c;

import dev.xcfi.types.BuiltinType.Kind;
import dev.xcfi.types.Target;

import java.util.Map;

/**
 * The freestanding headers xcfi knows per target without reading system files, and clang's
 * predefined macros. They are produced as C text and parsed like any header, so there is one path
 * for every declaration.
 */
final class StandardHeaders {
    private StandardHeaders() {}

    /** The text of {@code <name>} for {@code target}, or null if xcfi does not know that header. */
    static String text(String name, Target target) {
        Map<String, Kind> t = target.standardTypedefs();
        StringBuilder sb = new StringBuilder();
        switch (name) {
            case "stddef.h" -> {
                typedefs(sb, t, "size_t", "ptrdiff_t", "wchar_t");
                sb.append(target.maxAlignIsLongDouble() ? "typedef long double max_align_t;\n"
                        : "typedef struct { long long __clang_max_align_nonce1; long double __clang_max_align_nonce2; } max_align_t;\n");
                sb.append("#define NULL ((void*)0)\n");
            }
            case "stdint.h" -> {
                for (String n : t.keySet()) if (n.startsWith("int") || n.startsWith("uint")) typedefs(sb, t, n);
                limits(sb, "INT8", 8, true);
                limits(sb, "INT16", 16, true);
                limits(sb, "INT32", 32, true);
                limits(sb, "INT64", 64, true);
                sb.append("#define SIZE_MAX ").append(max(target.dataModel().pointerBits(), false)).append('\n');
            }
            case "stdbool.h" -> sb.append("#define bool _Bool\n#define true 1\n#define false 0\n#define __bool_true_false_are_defined 1\n");
            case "stdarg.h" -> {
                return STDARG;
            }
            case "uchar.h" -> typedefs(sb, t, "size_t", "char8_t", "char16_t", "char32_t");
            case "wchar.h" -> typedefs(sb, t, "size_t", "wchar_t", "wint_t");
            case "limits.h" -> {
                sb.append("#define CHAR_BIT 8\n");
                limits(sb, "SCHAR", 8, true);
                sb.append("#define UCHAR_MAX 255\n");
                sb.append(target.charSigned() ? "#define CHAR_MIN (-128)\n#define CHAR_MAX 127\n" : "#define CHAR_MIN 0\n#define CHAR_MAX 255\n");
                limits(sb, "SHRT", 16, true);
                sb.append("#define USHRT_MAX 65535\n");
                limits(sb, "INT", target.dataModel().intBits(), true);
                sb.append("#define UINT_MAX ").append(max(target.dataModel().intBits(), false)).append("U\n");
                limits(sb, "LONG", target.dataModel().longBits(), true);
                sb.append("#define ULONG_MAX ").append(max(target.dataModel().longBits(), false)).append("UL\n");
                limits(sb, "LLONG", 64, true);
                sb.append("#define ULLONG_MAX 18446744073709551615ULL\n");
            }
            default -> {
                return null;
            }
        }
        // Included once, as by a guard: these have no __need_ parts (a glibc header asking for
        // size_t alone gets all of <stddef.h>, which declares nothing that could clash).
        String guard = "__XCFI_" + name.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
        return "#ifndef " + guard + "\n#define " + guard + "\n" + sb + "#endif\n";
    }

    /**
     * clang 22's {@code <stdarg.h>}: a header that defines {@code __need___va_list} first (glibc's
     * {@code <err.h>}, {@code <stdio.h>}) gets only {@code __gnuc_va_list} and the
     * {@code __GNUC_VA_LIST} guard it then tests; without that guard, {@code <err.h>} defines
     * {@code __gnuc_va_list} as {@code void *} and its functions' ids change. Each part has its
     * own guard, so the header can be included again for another part, as clang's can.
     */
    private static final String STDARG = """
            #if !defined(__need___va_list) && !defined(__need_va_list) && !defined(__need_va_arg) \\
                && !defined(__need___va_copy) && !defined(__need_va_copy)
            #define __need___va_list
            #define __need_va_list
            #define __need_va_arg
            #define __need___va_copy
            #define __need_va_copy
            #ifndef __STDARG_H
            #define __STDARG_H
            #endif
            #endif
            #ifdef __need___va_list
            #ifndef __GNUC_VA_LIST
            #define __GNUC_VA_LIST
            typedef __builtin_va_list __gnuc_va_list;
            #endif
            #undef __need___va_list
            #endif
            #ifdef __need_va_list
            #ifndef _VA_LIST
            #define _VA_LIST
            typedef __builtin_va_list va_list;
            #endif
            #undef __need_va_list
            #endif
            #ifdef __need_va_arg
            #ifndef va_arg
            #define va_start(ap, param) __builtin_va_start(ap, param)
            #define va_end(ap) __builtin_va_end(ap)
            #define va_arg(ap, type) __builtin_va_arg(ap, type)
            #endif
            #undef __need_va_arg
            #endif
            #ifdef __need___va_copy
            #ifndef __va_copy
            #define __va_copy(d, s) __builtin_va_copy(d, s)
            #endif
            #undef __need___va_copy
            #endif
            #ifdef __need_va_copy
            #ifndef va_copy
            #define va_copy(dest, src) __builtin_va_copy(dest, src)
            #endif
            #undef __need_va_copy
            #endif
            """;

    /**
     * clang 22's predefined macros for {@code target}, as {@code clang -dM -E} lists them (all of
     * them: headers test {@code __BYTE_ORDER__}, {@code __LDBL_MANT_DIG__}, {@code __SIZEOF_*__}
     * … to choose what they declare). Generated from clang-22 by {@code fixtures/c/regenerate}
     * into this package's resources.
     */
    static String predefined(Target target) {
        String name = "predefined/" + target.shortName() + ".h";
        try (java.io.InputStream in = StandardHeaders.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("no predefined macros for " + target.shortName() + " (" + name + ")");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void typedefs(StringBuilder sb, Map<String, Kind> t, String... names) {
        for (String n : names) sb.append("typedef ").append(t.get(n).spelling()).append(' ').append(n).append(";\n");
    }

    private static void limits(StringBuilder sb, String prefix, int bits, boolean signed) {
        sb.append("#define ").append(prefix).append("_MAX ").append(max(bits, true)).append('\n');
        sb.append("#define ").append(prefix).append("_MIN (-").append(max(bits, true)).append("-1)\n");
        if (prefix.startsWith("INT") && bits <= 64 && prefix.length() > 3) {
            sb.append("#define U").append(prefix).append("_MAX ").append(max(bits, false)).append('\n');
        }
    }

    private static String max(int bits, boolean signed) {
        java.math.BigInteger v = java.math.BigInteger.ONE.shiftLeft(signed ? bits - 1 : bits).subtract(java.math.BigInteger.ONE);
        return v.toString();
    }
}
