package dev.xcfi.thunk;

import dev.xcfi.types.ArrayType;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The FFM descriptor for a C function type on a target: {@code long} is JAVA_LONG on LP64,
 * JAVA_INT on LLP64; a struct or union passed by value is laid out from its definition in the
 * prototype text, with C's padding (each member at its alignment, the size a multiple of the
 * largest), which is what the platform ABI classifies.
 */
final class CLayouts {
    private CLayouts() {}

    static FunctionDescriptor descriptor(FunctionType f, Target target, Map<TagType, List<CType>> records) {
        if (f.variadic()) throw new IllegalArgumentException("variadic prototypes cannot be callbacks");
        List<MemoryLayout> args = new ArrayList<>();
        for (FunctionType.Parameter p : f.parameters()) args.add(layout(p.type(), target, records, new HashSet<>()));
        CType ret = f.returnType().canonical().unqualified();
        if (ret instanceof BuiltinType b && b.kind() == BuiltinType.Kind.VOID) return FunctionDescriptor.ofVoid(args.toArray(MemoryLayout[]::new));
        return FunctionDescriptor.of(layout(ret, target, records, new HashSet<>()), args.toArray(MemoryLayout[]::new));
    }

    /** {@code open}: the records being laid out, one inside the other (a record that holds itself is refused). */
    private static MemoryLayout layout(CType type, Target target, Map<TagType, List<CType>> records, Set<TagType> open) {
        CType t = type.canonical().unqualified();
        return switch (t) {
            case PointerType p -> ValueLayout.ADDRESS;
            case BuiltinType b -> builtin(b.kind(), target);
            case TagType tag when tag.kind() == TagType.Kind.ENUM -> ValueLayout.JAVA_INT;
            case TagType tag -> record(tag, target, records, open);
            case ArrayType a when a.size() instanceof ArrayType.Size.Fixed n && n.length() > 0 ->
                    MemoryLayout.sequenceLayout(n.length(), layout(a.element(), target, records, open));
            default -> throw new IllegalArgumentException("no FFM layout for a value of type " + dev.xcfi.encoding.CTypePrinter.print(type));
        };
    }

    private static MemoryLayout record(TagType tag, Target target, Map<TagType, List<CType>> records, Set<TagType> open) {
        String name = tag.kind().keyword() + " " + tag.name();
        if (!records.containsKey(tag)) {
            throw new IllegalArgumentException("'" + name + "' by value needs its definition in the prototype text, e.g. \"" + name
                    + " { int x; int y; }; long (" + name + ")\"");
        }
        List<CType> members = records.get(tag);
        if (members == null) {
            throw new IllegalArgumentException("'" + name + "' has a bit-field or a packed or aligned layout, which xcfi does not lay out: pass a pointer to it");
        }
        if (members.isEmpty()) throw new IllegalArgumentException("'" + name + "' has no members");
        if (!open.add(tag)) throw new IllegalArgumentException("'" + name + "' holds itself, which no C struct can");
        List<MemoryLayout> layouts = new ArrayList<>();
        for (CType m : members) layouts.add(layout(m, target, records, open));
        open.remove(tag);
        long align = layouts.stream().mapToLong(MemoryLayout::byteAlignment).max().orElse(1);
        if (tag.kind() == TagType.Kind.UNION) {
            MemoryLayout union = MemoryLayout.unionLayout(layouts.toArray(MemoryLayout[]::new));
            long tail = padding(union.byteSize(), align);
            return tail == 0 ? union : MemoryLayout.structLayout(union, MemoryLayout.paddingLayout(tail));
        }
        List<MemoryLayout> fields = new ArrayList<>();
        long offset = 0;
        for (MemoryLayout l : layouts) {
            long gap = padding(offset, l.byteAlignment());
            if (gap > 0) fields.add(MemoryLayout.paddingLayout(gap));
            fields.add(l);
            offset += gap + l.byteSize();
        }
        long tail = padding(offset, align);
        if (tail > 0) fields.add(MemoryLayout.paddingLayout(tail));
        return MemoryLayout.structLayout(fields.toArray(MemoryLayout[]::new));
    }

    private static long padding(long offset, long alignment) {
        return (alignment - offset % alignment) % alignment;
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
