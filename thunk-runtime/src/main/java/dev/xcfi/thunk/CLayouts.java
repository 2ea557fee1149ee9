package dev.xcfi.thunk;

import dev.xcfi.encoding.CTypePrinter;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.types.ArrayType;
import dev.xcfi.types.BuiltinType;
import dev.xcfi.types.CType;
import dev.xcfi.types.ComplexType;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.PointerType;
import dev.xcfi.types.TagType;
import dev.xcfi.types.Target;
import dev.xcfi.types.TypeLayout;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The FFM descriptor for a C function type on a target: {@code long} is JAVA_LONG on LP64,
 * JAVA_INT on LLP64; a struct or union passed by value is laid out from its definition in the
 * prototype text. Where its members go is {@link TypeLayout}'s answer, the same one that sizes
 * {@code sizeof} in ids, so the FFM layout and the encoder cannot disagree; FFM only adds the
 * carriers (which member is a JAVA_INT, which an ADDRESS) the platform ABI classifies.
 */
final class CLayouts {
    private final HeaderParser.Prototype prototype;
    private final Target target;
    /** The records being laid out, one inside the other: a record that holds itself is refused. */
    private final Set<TagType> open = new HashSet<>();

    private CLayouts(HeaderParser.Prototype prototype, Target target) {
        this.prototype = prototype;
        this.target = target;
    }

    static FunctionDescriptor descriptor(HeaderParser.Prototype prototype, Target target) {
        FunctionType f = prototype.type();
        if (f.variadic()) throw new IllegalArgumentException("variadic prototypes cannot be callbacks");
        CLayouts layouts = new CLayouts(prototype, target);
        List<MemoryLayout> args = new ArrayList<>();
        for (FunctionType.Parameter p : f.parameters()) args.add(layouts.layout(p.type()));
        CType ret = f.returnType().canonical().unqualified();
        if (ret instanceof BuiltinType b && b.kind() == BuiltinType.Kind.VOID) return FunctionDescriptor.ofVoid(args.toArray(MemoryLayout[]::new));
        return FunctionDescriptor.of(layouts.layout(ret), args.toArray(MemoryLayout[]::new));
    }

    private MemoryLayout layout(CType type) {
        CType t = type.canonical().unqualified();
        return switch (t) {
            case PointerType p -> address();
            case BuiltinType b -> builtin(b.kind());
            case TagType tag when tag.kind() == TagType.Kind.ENUM -> enumeration(tag);
            case TagType tag -> record(tag);
            // SysV x86_64 and AAPCS64 pass a complex number as they pass a struct of its two parts (ThunkArenaTest calls one through clang's code)
            case ComplexType c -> MemoryLayout.structLayout(layout(c.element()), layout(c.element()));
            case ArrayType a when a.size() instanceof ArrayType.Size.Fixed n && n.length() > 0 ->
                    MemoryLayout.sequenceLayout(n.length(), layout(a.element()));
            default -> throw new IllegalArgumentException("no FFM layout for a value of type " + CTypePrinter.print(type));
        };
    }

    /** A pointer is this JVM's ADDRESS, which only fits a target with pointers of its size. */
    private MemoryLayout address() {
        long bytes = target.dataModel().pointerBits() / 8;
        if (bytes != ValueLayout.ADDRESS.byteSize()) {
            throw new IllegalArgumentException("pointers are " + bytes + " bytes on " + target.triple() + " and " + ValueLayout.ADDRESS.byteSize()
                    + " in this JVM: a callback taking or returning them cannot run here");
        }
        return ValueLayout.ADDRESS;
    }

    /** An enum is passed as the integer of its size: {@code enum E : long long} as a JAVA_LONG. */
    private MemoryLayout enumeration(TagType tag) {
        OptionalLong size = prototype.layout().sizeOf(tag);
        if (size.isEmpty()) throw new IllegalArgumentException("the size of 'enum " + tag.name() + "' is not known (a packed enum?)");
        return aligned(integer((int) size.getAsLong() * 8, "enum " + tag.name()), prototype.layout().alignOf(tag).orElse(size.getAsLong()));
    }

    private MemoryLayout record(TagType tag) {
        String name = tag.kind().keyword() + " " + tag.name();
        if (!prototype.records().containsKey(tag)) {
            throw new IllegalArgumentException("'" + name + "' by value needs its definition in the prototype text, e.g. \"" + name
                    + " { int x; int y; }; long (" + name + ")\"");
        }
        List<CType> members = prototype.records().get(tag);
        if (members == null) {
            throw new IllegalArgumentException("'" + name + "' has a bit-field or a packed or aligned layout, which xcfi does not lay out: pass a pointer to it");
        }
        if (members.isEmpty()) throw new IllegalArgumentException("'" + name + "' has no members");
        if (!open.add(tag)) throw new IllegalArgumentException("'" + name + "' holds itself, which no C struct can");
        // On x86_64 clang passes a struct ending in a flexible array in memory whatever its size (its
        // classification gives up on such records), which no FFM layout of the members would say.
        // (aarch64 passes it in registers; refused there too until a test runs it.)
        if (tag.kind() == TagType.Kind.STRUCT && members.getLast().canonical().unqualified() instanceof ArrayType a
                && a.size() instanceof ArrayType.Size.Incomplete) {
            throw new IllegalArgumentException("'" + name + "' ends in a flexible array member: clang passes such a struct in memory on x86_64 "
                    + "whatever its size, which FFM cannot describe; pass a pointer to it");
        }
        List<MemoryLayout> carriers = new ArrayList<>();
        for (CType m : members) carriers.add(layout(m));
        open.remove(tag);
        TypeLayout.RecordLayout placed = prototype.layout().record(tag)
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' has a member xcfi cannot lay out"));
        long size = placed.layout().size();
        if (tag.kind() == TagType.Kind.UNION) {
            MemoryLayout union = MemoryLayout.unionLayout(carriers.toArray(MemoryLayout[]::new));
            return union.byteSize() == size ? union : MemoryLayout.structLayout(union, MemoryLayout.paddingLayout(size - union.byteSize()));
        }
        List<MemoryLayout> fields = new ArrayList<>();
        long end = 0;
        for (int i = 0; i < carriers.size(); i++) {
            long gap = placed.offsets().get(i) - end;
            if (gap < 0) throw new IllegalStateException("'" + name + "': member " + i + " overlaps the one before it");   // carriers and TypeLayout disagree: a bug
            if (gap > 0) fields.add(MemoryLayout.paddingLayout(gap));
            fields.add(carriers.get(i));
            end += gap + carriers.get(i).byteSize();
        }
        if (size > end) fields.add(MemoryLayout.paddingLayout(size - end));
        return MemoryLayout.structLayout(fields.toArray(MemoryLayout[]::new));
    }

    /** The carrier of a scalar, aligned as the target aligns it. */
    private MemoryLayout builtin(BuiltinType.Kind kind) {
        MemoryLayout carrier = switch (kind) {
            case BOOL -> ValueLayout.JAVA_BOOLEAN;
            case FLOAT -> ValueLayout.JAVA_FLOAT;
            case DOUBLE -> ValueLayout.JAVA_DOUBLE;
            case VOID -> throw new IllegalArgumentException("a parameter cannot be void");
            case CHAR, SIGNED_CHAR, UNSIGNED_CHAR, SHORT, UNSIGNED_SHORT, INT, UNSIGNED_INT, LONG, UNSIGNED_LONG, LONG_LONG,
                 UNSIGNED_LONG_LONG -> integer(target.bits(kind), kind.spelling());
            default -> throw new IllegalArgumentException(kind.spelling() + " has no FFM carrier");
        };
        OptionalInt alignment = target.alignmentBytes(kind);
        return alignment.isPresent() ? aligned(carrier, alignment.getAsInt()) : carrier;
    }

    /**
     * A carrier aligned as the target aligns its C type: i686 puts a {@code long long}, a
     * {@code double} or an 8-byte enum member at 4, where FFM's JAVA_LONG would ask for 8.
     */
    private static MemoryLayout aligned(MemoryLayout carrier, long alignment) {
        return alignment < carrier.byteAlignment() ? carrier.withByteAlignment(alignment) : carrier;
    }

    private MemoryLayout integer(int bits, String what) {
        return switch (bits) {
            case 8 -> ValueLayout.JAVA_BYTE;
            case 16 -> ValueLayout.JAVA_SHORT;
            case 32 -> ValueLayout.JAVA_INT;
            case 64 -> ValueLayout.JAVA_LONG;
            default -> throw new IllegalArgumentException(what + " has no FFM carrier on " + target.triple());
        };
    }
}
