package dev.xcfi.verify.facts;

import java.util.List;

/**
 * A function's IR type as both readers spell it: {@code void(i64)}, {@code i32(ptr,...)}. Scalar
 * types keep LLVM's names ({@code i8}…{@code i128}, {@code half}, {@code bfloat}, {@code float},
 * {@code double}, {@code x86_fp80}, {@code fp128}, {@code ppc_fp128}, {@code ptr} in any address
 * space, {@code void}); anything else (a struct, array or vector passed by value) is {@code ?}.
 * A KCFI hash is a hash of a type id, which nothing turns back into a type; the signature bounds
 * the types whose ids could have given it ({@code i64} is {@code long}, {@code long long} or
 * {@code i64}), so a report can name the type by trying them.
 */
public final class Signature {
    public static final String UNKNOWN = "?";

    private Signature() {}

    public static String of(String returnType, List<String> parameters, boolean varArg) {
        StringBuilder out = new StringBuilder(returnType).append('(');
        for (int i = 0; i < parameters.size(); i++) out.append(i == 0 ? "" : ",").append(parameters.get(i));
        if (varArg) out.append(parameters.isEmpty() ? "..." : ",...");
        return out.append(')').toString();
    }

    /** {@code ret(p1,p2,...)} → {@code [ret, p1, p2, "..."]}; empty when it is not a signature. */
    public static List<String> parts(String signature) {
        int open = signature.indexOf('(');
        if (open <= 0 || !signature.endsWith(")")) return List.of();
        List<String> out = new java.util.ArrayList<>(List.of(signature.substring(0, open)));
        String inside = signature.substring(open + 1, signature.length() - 1);
        if (!inside.isEmpty()) out.addAll(List.of(inside.split(",")));
        return out;
    }

    public static String integer(int bits) {
        return "i" + bits;
    }
}
