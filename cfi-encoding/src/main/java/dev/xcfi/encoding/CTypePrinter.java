package dev.xcfi.encoding;

import dev.xcfi.types.ArrayType;
import dev.xcfi.types.AtomicType;
import dev.xcfi.types.BitIntType;
import dev.xcfi.types.BlockPointerType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.CType;
import dev.xcfi.types.ComplexType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.QualifiedType;
import dev.xcfi.types.Qualifiers;
import dev.xcfi.types.TagType;
import dev.xcfi.types.TypedefType;
import dev.xcfi.types.VectorType;

import java.util.StringJoiner;

/** Prints a type in C declarator syntax, as clang's diagnostics do: {@code void (void (*)(long), long)}. */
public final class CTypePrinter {
    private CTypePrinter() {}

    public static String print(CType type) {
        return declarator(type, "");
    }

    /** {@code type} declaring {@code name}: {@code int (*name)[3]}. */
    public static String declaration(CType type, String name) {
        return declarator(type, name);
    }

    // instanceof tests rather than a pattern switch: the JDK spins a class for each pattern switch
    // the first time it runs (1-5 ms, docs/performance.md), and every verify report prints types.
    private static String declarator(CType t, String inner) {
        if (t instanceof BuiltinType b) return join(b.kind().spelling(), inner);
        if (t instanceof TypedefType td) return join(td.name(), inner);
        if (t instanceof TagType tag) return join(tag.keyword() ? tag.kind().keyword() + " " + tag.name() : tag.name(), inner);
        if (t instanceof QualifiedType q) {
            if (q.base() instanceof PointerType p) return pointer("*", p.pointee(), qualifiers(q.qualifiers()), inner);
            if (q.base() instanceof BlockPointerType b) return pointer("^", b.pointee(), qualifiers(q.qualifiers()), inner);
            return qualifiers(q.qualifiers()) + " " + declarator(q.base(), inner);
        }
        if (t instanceof PointerType p) return pointer("*", p.pointee(), "", inner);
        if (t instanceof BlockPointerType b) return pointer("^", b.pointee(), "", inner);
        if (t instanceof ArrayType a) {
            String length = a.size() instanceof ArrayType.Size.Fixed(long n) ? Long.toString(n)
                    : a.size() instanceof ArrayType.Size.Variable ? "*" : a.size() instanceof ArrayType.Size.Unknown(String e, String why) ? e : "";
            return declarator(a.element(), inner + "[" + length + "]");
        }
        if (t instanceof FunctionType f) return function(f, inner, true);
        if (t instanceof AtomicType a) return join("_Atomic(" + print(a.value()) + ")", inner);
        if (t instanceof ComplexType c) return join("_Complex " + print(c.element()), inner);
        if (t instanceof VectorType v) {
            return join("__attribute__((__vector_size__(" + v.count() + " * sizeof(" + print(v.element()) + ")))) " + print(v.element()), inner);
        }
        BitIntType b = (BitIntType) t;   // the last kind of CType
        return join((b.signed() ? "" : "unsigned ") + "_BitInt(" + b.bits() + ")", inner);
    }

    /** {@code *} for a pointer, {@code ^} for a block pointer (whose pointee is always a function). */
    private static String pointer(String star, CType pointee, String quals, String inner) {
        String d = star + quals + (!quals.isEmpty() && !inner.isEmpty() ? " " : "") + inner;
        if (pointee instanceof FunctionType f && f.callingConvention().mangledName() != null) {
            // Inside the parentheses, where clang gives it to the function just outside them: in front
            // of the declaration it would go to the function nearest the declared name instead.
            return function(f, "(__attribute__((" + f.callingConvention().mangledName() + ")) " + d + ")", false);
        }
        CType c = pointee.canonical();
        if (c instanceof ArrayType || c instanceof FunctionType) d = "(" + d + ")";
        return declarator(pointee, d);
    }

    /** {@code convention}: whether to write the calling convention in front (the declared function's own). */
    private static String function(FunctionType f, String inner, boolean convention) {
        StringJoiner params = new StringJoiner(", ", "(", ")");
        if (f.prototyped() && f.parameters().isEmpty() && !f.variadic()) params.add("void");
        for (FunctionType.Parameter p : f.parameters()) params.add((p.noEscape() ? "__attribute__((noescape)) " : "") + print(p.type()));
        if (f.variadic()) params.add("...");
        String cc = convention && f.callingConvention().mangledName() != null ? "__attribute__((" + f.callingConvention().mangledName() + ")) " : "";
        return cc + declarator(f.returnType(), inner + params);
    }

    private static String qualifiers(Qualifiers q) {
        StringJoiner j = new StringJoiner(" ");
        if (q.addressSpace() != 0) j.add("__attribute__((address_space(" + q.addressSpace() + ")))");
        if (q.isConst()) j.add("const");
        if (q.isVolatile()) j.add("volatile");
        if (q.isRestrict()) j.add("restrict");
        return j.toString();
    }

    private static String join(String specifier, String inner) {
        // an array's brackets follow the type directly, as clang prints them: int[3], but int (*)[3]
        return inner.isEmpty() ? specifier : inner.charAt(0) == '[' ? specifier + inner : specifier + " " + inner;
    }
}
