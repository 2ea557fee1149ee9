package dev.xcfi.types;

import java.util.List;
import java.util.Objects;

/**
 * A C function type.
 *
 * <p>Parameters are stored <em>adjusted</em>, as clang stores them in a {@code FunctionProtoType}:
 * arrays and functions decay to pointers and top-level {@code const}/{@code volatile}/{@code restrict}
 * are dropped. The return type keeps its qualifiers. {@code prototyped == false} is a K&amp;R
 * {@code int f()}, which has no parameter list at all.
 *
 * @param noReturn  {@code _Noreturn}/{@code noreturn}: never mangled, but a different type for
 *                  substitution purposes, exactly as in clang
 * @param salt      the {@code cfi_salt("…")} string, or "" for none (changes KCFI hashes only)
 */
public record FunctionType(CType returnType, List<Parameter> parameters, boolean variadic, boolean prototyped,
                           CallingConvention callingConvention, boolean noReturn, String salt) implements CType {

    /** One parameter: its adjusted type and the parameter ABI flag clang mangles. */
    public record Parameter(CType type, boolean noEscape) {
        public Parameter {
            Objects.requireNonNull(type);
        }

        public static Parameter of(CType type) {
            return new Parameter(adjust(type), false);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Parameter p && noEscape == p.noEscape && type.equals(p.type);
        }

        @Override
        public int hashCode() {
            return type.hashCode() + (noEscape ? 1 : 0);
        }
    }

    public FunctionType {
        Objects.requireNonNull(returnType);
        Objects.requireNonNull(callingConvention);
        Objects.requireNonNull(salt);
        parameters = List.copyOf(parameters);
        if (!prototyped && (variadic || !parameters.isEmpty())) {
            throw new IllegalArgumentException("an unprototyped function has no parameter list");
        }
    }

    /** {@code ret(params...)} with the C calling convention, no salt. */
    public static FunctionType of(CType returnType, CType... parameters) {
        return new FunctionType(returnType, parameters(parameters), false, true, CallingConvention.C, false, "");
    }

    private static List<Parameter> parameters(CType... types) {
        Parameter[] ps = new Parameter[types.length];
        for (int i = 0; i < ps.length; i++) ps[i] = Parameter.of(types[i]);
        return List.of(ps);
    }

    /** {@code ret(params..., ...)}. */
    public static FunctionType variadic(CType returnType, CType... parameters) {
        return new FunctionType(returnType, parameters(parameters), true, true, CallingConvention.C, false, "");
    }

    /** K&amp;R {@code ret()}. */
    public static FunctionType unprototyped(CType returnType) {
        return new FunctionType(returnType, List.of(), false, false, CallingConvention.C, false, "");
    }

    public FunctionType withCallingConvention(CallingConvention cc) {
        return new FunctionType(returnType, parameters, variadic, prototyped, cc, noReturn, salt);
    }

    public FunctionType withSalt(String newSalt) {
        return new FunctionType(returnType, parameters, variadic, prototyped, callingConvention, noReturn, newSalt);
    }

    public FunctionType withNoReturn(boolean value) {
        return new FunctionType(returnType, parameters, variadic, prototyped, callingConvention, value, salt);
    }

    public FunctionType withReturnType(CType type) {
        return new FunctionType(type, parameters, variadic, prototyped, callingConvention, noReturn, salt);
    }

    public FunctionType withParameters(List<Parameter> params) {
        return new FunctionType(returnType, params, variadic, prototyped, callingConvention, noReturn, salt);
    }

    /** C's parameter type adjustment: decay arrays and functions, drop top-level cv/restrict. */
    public static CType adjust(CType declared) {
        CType c = declared.canonical();
        // instanceof, not a pattern switch: this runs for every parameter (see QualifiedType.of)
        if (c instanceof ArrayType a) return new PointerType(a.element());
        if (c instanceof FunctionType f) return new PointerType(f);
        if (c instanceof QualifiedType q) return QualifiedType.of(q.base(), q.qualifiers().without(q.qualifiers().cvr()));
        return c;
    }

    /** No typedef in the return or any parameter type: {@link #canonical()} is this function type itself. */
    public boolean isCanonical() {
        if (!CType.isCanonical(returnType)) return false;
        for (int i = 0, n = parameters.size(); i < n; i++) if (!CType.isCanonical(parameters.get(i).type)) return false;
        return true;
    }

    @Override
    public CType canonical() {
        if (isCanonical()) return this;
        CType r = returnType.canonical();
        Parameter[] ps = new Parameter[parameters.size()];
        for (int i = 0; i < ps.length; i++) ps[i] = new Parameter(parameters.get(i).type.canonical(), parameters.get(i).noEscape);
        return new FunctionType(r, List.of(ps), variadic, prototyped, callingConvention, noReturn, salt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunctionType f && prototyped == f.prototyped && variadic == f.variadic && noReturn == f.noReturn
                && callingConvention == f.callingConvention && returnType.equals(f.returnType)
                && parameters.equals(f.parameters) && salt.equals(f.salt);
    }

    @Override
    public int hashCode() {
        return 31 * returnType.hashCode() + parameters.hashCode();
    }
}
