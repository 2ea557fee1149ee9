package dev.xcfi.thunk;

import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.CType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.TagType;
import dev.xcfi.types.Target;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** The FFM descriptor for a C function type on a target: {@code long} is JAVA_LONG on LP64, JAVA_INT on LLP64. */
final class CLayouts {
    private CLayouts() {}

    static FunctionDescriptor descriptor(FunctionType f, Target target) {
        if (f.variadic()) throw new IllegalArgumentException("variadic prototypes cannot be callbacks");
        List<MemoryLayout> args = new ArrayList<>();
        for (FunctionType.Parameter p : f.parameters()) args.add(layout(p.type(), target));
        CType ret = f.returnType().canonical().unqualified();
        if (ret instanceof BuiltinType b && b.kind() == BuiltinType.Kind.VOID) return FunctionDescriptor.ofVoid(args.toArray(MemoryLayout[]::new));
        return FunctionDescriptor.of(layout(ret, target), args.toArray(MemoryLayout[]::new));
    }

    private static MemoryLayout layout(CType type, Target target) {
        CType t = type.canonical().unqualified();
        return switch (t) {
            case PointerType p -> ValueLayout.ADDRESS;
            case BuiltinType b -> builtin(b.kind(), target);
            case TagType tag when tag.kind() == TagType.Kind.ENUM -> ValueLayout.JAVA_INT;
            case TagType tag -> throw new IllegalArgumentException("'" + tag.kind().keyword() + " " + tag.name()
                    + "' by value is not supported yet: pass a pointer to it");
            default -> throw new IllegalArgumentException("no FFM layout for a parameter of type " + dev.xcfi.encoding.CTypePrinter.print(type));
        };
    }

    private static MemoryLayout builtin(BuiltinType.Kind kind, Target target) {
        return switch (kind) {
            case BOOL -> ValueLayout.JAVA_BOOLEAN;
            case FLOAT -> ValueLayout.JAVA_FLOAT;
            case DOUBLE -> ValueLayout.JAVA_DOUBLE;
            case VOID -> throw new IllegalArgumentException("a parameter cannot be void");
            case CHAR, SIGNED_CHAR, UNSIGNED_CHAR, SHORT, UNSIGNED_SHORT, INT, UNSIGNED_INT, LONG, UNSIGNED_LONG, LONG_LONG,
                 UNSIGNED_LONG_LONG -> switch (target.bits(kind)) {
                case 8 -> ValueLayout.JAVA_BYTE;
                case 16 -> ValueLayout.JAVA_SHORT;
                case 32 -> ValueLayout.JAVA_INT;
                case 64 -> ValueLayout.JAVA_LONG;
                default -> throw new IllegalArgumentException(kind.spelling() + " has no FFM carrier on " + target.triple());
            };
            default -> throw new IllegalArgumentException(kind.spelling() + " has no FFM carrier");
        };
    }
}
