package dev.xcfi.encoding.c;

import dev.xcfi.types.CallingConvention;
import dev.xcfi.types.Target;

import static dev.xcfi.types.CallingConvention.*;

/**
 * Which calling-convention attribute clang 22 keeps on which target. An attribute the target
 * does not support is ignored with a warning, so the function keeps the C convention (probed
 * against clang-22 for every target in the table; see {@code docs/encoding.md}).
 */
final class CallingConventions {
    private CallingConventions() {}

    static boolean isCallingConvention(String name) {
        return of(name, Target.X86_64_LINUX_GNU) != null;
    }

    /** The convention an attribute gives, or null if {@code name} is not a calling-convention attribute. */
    static CallingConvention of(String name, Target target) {
        CallingConvention cc = switch (name) {
            case "ms_abi" -> WIN64;
            case "sysv_abi" -> X86_64_SYSV;
            case "stdcall", "__stdcall", "_stdcall" -> STDCALL;
            case "fastcall", "__fastcall", "_fastcall" -> FASTCALL;
            case "vectorcall", "__vectorcall" -> VECTORCALL;
            case "regcall", "__regcall" -> REGCALL;
            case "preserve_most" -> PRESERVE_MOST;
            case "preserve_all" -> PRESERVE_ALL;
            case "preserve_none" -> PRESERVE_NONE;
            case "swiftcall" -> SWIFT;
            case "swiftasynccall" -> SWIFT_ASYNC;
            case "cdecl", "__cdecl", "_cdecl" -> C;
            default -> null;
        };
        if (cc == null || cc == C) return cc;
        return supported(cc, target) ? cc : C;
    }

    private static boolean supported(CallingConvention cc, Target target) {
        boolean windows = target.os() == Target.Os.WINDOWS;
        return switch (target.arch()) {
            case X86_64 -> switch (cc) {
                case WIN64 -> !windows;
                case X86_64_SYSV -> windows;
                case VECTORCALL, REGCALL, PRESERVE_MOST, PRESERVE_ALL, PRESERVE_NONE, SWIFT, SWIFT_ASYNC -> true;
                default -> false;
            };
            case I686 -> switch (cc) {
                case STDCALL, FASTCALL, VECTORCALL, REGCALL, PRESERVE_MOST, PRESERVE_ALL, SWIFT -> true;
                default -> false;
            };
            case AARCH64 -> switch (cc) {
                case WIN64, PRESERVE_MOST, PRESERVE_ALL, PRESERVE_NONE, SWIFT, SWIFT_ASYNC -> true;
                default -> false;
            };
            case ARM, PPC64LE, WASM32 -> cc == SWIFT || cc == SWIFT_ASYNC;
            case RISCV64 -> false;
        };
    }
}
