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

    /**
     * Whether a declaration's file is one of these headers ({@code <stdatomic.h>} declares six
     * functions): their functions are the compiler's, not the input's, and are not listed, as
     * clang's own headers' are not in the ids a program's files get.
     */
    static boolean isOwn(String file) {
        // "<stddef.h>", not "<stdin>" (standard input, whose declarations are the input's own)
        return file.startsWith("<") && file.endsWith(".h>");
    }

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
            case "stdnoreturn.h" -> sb.append("#define noreturn _Noreturn\n#define __noreturn_is_defined 1\n");
            case "stdalign.h" -> sb.append("#define alignas _Alignas\n#define alignof _Alignof\n#define __alignas_is_defined 1\n#define __alignof_is_defined 1\n");
            case "iso646.h" -> sb.append(ISO646);
            case "float.h" -> floatMacros(sb);
            case "stdatomic.h" -> sb.append(STDATOMIC);
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

    /** The names C17 gives the floating types' limits, each clang's predefined {@code __FLT_…__} macro. */
    private static void floatMacros(StringBuilder sb) {
        sb.append("#define FLT_EVAL_METHOD __FLT_EVAL_METHOD__\n#define FLT_ROUNDS (__builtin_flt_rounds())\n");
        sb.append("#define FLT_RADIX __FLT_RADIX__\n#define DECIMAL_DIG __DECIMAL_DIG__\n");
        String[][] limits = {{"MANT_DIG", "MANT_DIG"}, {"DIG", "DIG"}, {"MIN_EXP", "MIN_EXP"}, {"MIN_10_EXP", "MIN_10_EXP"},
                {"MAX_EXP", "MAX_EXP"}, {"MAX_10_EXP", "MAX_10_EXP"}, {"MAX", "MAX"}, {"EPSILON", "EPSILON"}, {"MIN", "MIN"},
                {"TRUE_MIN", "DENORM_MIN"}, {"DECIMAL_DIG", "DECIMAL_DIG"}, {"HAS_SUBNORM", "HAS_DENORM"}};
        for (String type : new String[] {"FLT", "DBL", "LDBL"}) {
            for (String[] l : limits) sb.append("#define ").append(type).append('_').append(l[0]).append(" __").append(type).append('_').append(l[1]).append("__\n");
        }
    }

    private static final String ISO646 = """
            #define and &&
            #define and_eq &=
            #define bitand &
            #define bitor |
            #define compl ~
            #define not !
            #define not_eq !=
            #define or ||
            #define or_eq |=
            #define xor ^
            #define xor_eq ^=
            """;

    /**
     * clang 22's freestanding {@code <stdatomic.h>} (glibc has none, so a hosted build gets it too):
     * the atomic typedefs, {@code memory_order}, {@code atomic_flag} and the six functions it
     * declares before hiding them behind macros.
     */
    private static final String STDATOMIC = """
            #include <stddef.h>
            #include <stdint.h>
            #define ATOMIC_BOOL_LOCK_FREE __CLANG_ATOMIC_BOOL_LOCK_FREE
            #define ATOMIC_CHAR_LOCK_FREE __CLANG_ATOMIC_CHAR_LOCK_FREE
            #define ATOMIC_CHAR16_T_LOCK_FREE __CLANG_ATOMIC_CHAR16_T_LOCK_FREE
            #define ATOMIC_CHAR32_T_LOCK_FREE __CLANG_ATOMIC_CHAR32_T_LOCK_FREE
            #define ATOMIC_WCHAR_T_LOCK_FREE __CLANG_ATOMIC_WCHAR_T_LOCK_FREE
            #define ATOMIC_SHORT_LOCK_FREE __CLANG_ATOMIC_SHORT_LOCK_FREE
            #define ATOMIC_INT_LOCK_FREE __CLANG_ATOMIC_INT_LOCK_FREE
            #define ATOMIC_LONG_LOCK_FREE __CLANG_ATOMIC_LONG_LOCK_FREE
            #define ATOMIC_LLONG_LOCK_FREE __CLANG_ATOMIC_LLONG_LOCK_FREE
            #define ATOMIC_POINTER_LOCK_FREE __CLANG_ATOMIC_POINTER_LOCK_FREE
            #define ATOMIC_VAR_INIT(value) (value)
            #define ATOMIC_FLAG_INIT { 0 }
            typedef enum memory_order {
              memory_order_relaxed = __ATOMIC_RELAXED, memory_order_consume = __ATOMIC_CONSUME,
              memory_order_acquire = __ATOMIC_ACQUIRE, memory_order_release = __ATOMIC_RELEASE,
              memory_order_acq_rel = __ATOMIC_ACQ_REL, memory_order_seq_cst = __ATOMIC_SEQ_CST
            } memory_order;
            void atomic_thread_fence(memory_order);
            void atomic_signal_fence(memory_order);
            typedef _Atomic(_Bool) atomic_bool;
            typedef _Atomic(char) atomic_char;
            typedef _Atomic(signed char) atomic_schar;
            typedef _Atomic(unsigned char) atomic_uchar;
            typedef _Atomic(short) atomic_short;
            typedef _Atomic(unsigned short) atomic_ushort;
            typedef _Atomic(int) atomic_int;
            typedef _Atomic(unsigned int) atomic_uint;
            typedef _Atomic(long) atomic_long;
            typedef _Atomic(unsigned long) atomic_ulong;
            typedef _Atomic(long long) atomic_llong;
            typedef _Atomic(unsigned long long) atomic_ullong;
            typedef _Atomic(uint_least16_t) atomic_char16_t;
            typedef _Atomic(uint_least32_t) atomic_char32_t;
            typedef _Atomic(wchar_t) atomic_wchar_t;
            typedef _Atomic(int_least8_t) atomic_int_least8_t;
            typedef _Atomic(uint_least8_t) atomic_uint_least8_t;
            typedef _Atomic(int_least16_t) atomic_int_least16_t;
            typedef _Atomic(uint_least16_t) atomic_uint_least16_t;
            typedef _Atomic(int_least32_t) atomic_int_least32_t;
            typedef _Atomic(uint_least32_t) atomic_uint_least32_t;
            typedef _Atomic(int_least64_t) atomic_int_least64_t;
            typedef _Atomic(uint_least64_t) atomic_uint_least64_t;
            typedef _Atomic(int_fast8_t) atomic_int_fast8_t;
            typedef _Atomic(uint_fast8_t) atomic_uint_fast8_t;
            typedef _Atomic(int_fast16_t) atomic_int_fast16_t;
            typedef _Atomic(uint_fast16_t) atomic_uint_fast16_t;
            typedef _Atomic(int_fast32_t) atomic_int_fast32_t;
            typedef _Atomic(uint_fast32_t) atomic_uint_fast32_t;
            typedef _Atomic(int_fast64_t) atomic_int_fast64_t;
            typedef _Atomic(uint_fast64_t) atomic_uint_fast64_t;
            typedef _Atomic(intptr_t) atomic_intptr_t;
            typedef _Atomic(uintptr_t) atomic_uintptr_t;
            typedef _Atomic(size_t) atomic_size_t;
            typedef _Atomic(ptrdiff_t) atomic_ptrdiff_t;
            typedef _Atomic(intmax_t) atomic_intmax_t;
            typedef _Atomic(uintmax_t) atomic_uintmax_t;
            typedef struct atomic_flag { atomic_bool _Value; } atomic_flag;
            _Bool atomic_flag_test_and_set(volatile atomic_flag *);
            _Bool atomic_flag_test_and_set_explicit(volatile atomic_flag *, memory_order);
            void atomic_flag_clear(volatile atomic_flag *);
            void atomic_flag_clear_explicit(volatile atomic_flag *, memory_order);
            #define atomic_thread_fence(order) __c11_atomic_thread_fence(order)
            #define atomic_signal_fence(order) __c11_atomic_signal_fence(order)
            #define atomic_flag_test_and_set(object) __c11_atomic_exchange(&(object)->_Value, 1, __ATOMIC_SEQ_CST)
            #define atomic_flag_test_and_set_explicit(object, order) __c11_atomic_exchange(&(object)->_Value, 1, order)
            #define atomic_flag_clear(object) __c11_atomic_store(&(object)->_Value, 0, __ATOMIC_SEQ_CST)
            #define atomic_flag_clear_explicit(object, order) __c11_atomic_store(&(object)->_Value, 0, order)
            """;

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
            return withWchar(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), target);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The predefined macros with {@code wchar_t} as {@code target} has it: a target made
     * {@link Target#withShortWchar} gets the macros clang's {@code -fshort-wchar} gives (read off
     * {@code clang-22 -fshort-wchar -dM -E}); any other keeps its own.
     */
    private static String withWchar(String predefined, Target target) {
        if (target.standardTypedefs().get("wchar_t") != Kind.UNSIGNED_SHORT || predefined.contains("\n#define __WCHAR_TYPE__ unsigned short\n")) return predefined;
        Map<String, String> shortWchar = Map.of("__SIZEOF_WCHAR_T__", "2", "__WCHAR_MAX__", "65535", "__WCHAR_TYPE__", "unsigned short",
                "__WCHAR_WIDTH__", "16", "__clang_wide_literal_encoding__", "\"UTF-16\"", "__ARM_SIZEOF_WCHAR_T", "2");
        StringBuilder sb = new StringBuilder(predefined.length() + 32);
        for (String line : predefined.split("\n")) {
            String[] parts = line.split(" ", 3);
            if (parts.length == 3 && parts[0].equals("#define") && parts[1].equals("__WCHAR_UNSIGNED__")) continue;
            String value = parts.length == 3 && parts[0].equals("#define") ? shortWchar.get(parts[1]) : null;
            sb.append(value == null ? line : "#define " + parts[1] + " " + value).append('\n');
        }
        return sb.append("#define __WCHAR_UNSIGNED__ 1\n").toString();
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
