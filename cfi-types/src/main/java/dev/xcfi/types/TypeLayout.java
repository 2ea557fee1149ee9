package dev.xcfi.types;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Sizes and alignments of C types on a target, as clang 22 lays them out, for {@code sizeof} and
 * {@code _Alignof} in array bounds (whose lengths are spelled in ids). A struct or union is laid out
 * by C's natural rule: each member at the next multiple of its alignment, the record aligned as its
 * most aligned member and its size a multiple of that, a union as large as its largest member so
 * rounded, a flexible array member adding alignment but no size. The records come from
 * {@code members}: null for a record without a definition or whose layout is not the natural one
 * (bit-fields, packing, alignment attributes), which has no layout here, as have vectors,
 * {@code _BitInt}, {@code _Atomic} and function types.
 */
public final class TypeLayout {
    /** A type's size and alignment in bytes. */
    public record Layout(long size, long alignment) {}

    /** A struct or union as laid out: its size and alignment, and the offset in bytes of each member in declaration order. */
    public record RecordLayout(Layout layout, List<Long> offsets) {
        public RecordLayout {
            offsets = List.copyOf(offsets);
        }
    }

    private final Target target;
    private final Function<TagType, List<CType>> members;
    private final Function<TagType, OptionalLong> enumSizes;
    /**
     * Each record's layout, once worked out: a header defines records one after another, each
     * holding earlier ones, and laying one out must not walk the whole chain again (nor, for a
     * chain of thousands, overflow the stack). A record being laid out maps to empty, so one that
     * holds itself (not C, but text the parser may be given) has no layout instead of no end.
     */
    private final Map<TagType, Optional<RecordLayout>> records = new HashMap<>();

    public TypeLayout(Target target, Function<TagType, List<CType>> members, Function<TagType, OptionalLong> enumSizes) {
        this.target = target;
        this.members = members;
        this.enumSizes = enumSizes;
    }

    public OptionalLong sizeOf(CType type) {
        Optional<Layout> l = of(type);
        return l.isPresent() ? OptionalLong.of(l.get().size()) : OptionalLong.empty();
    }

    public OptionalLong alignOf(CType type) {
        Optional<Layout> l = of(type);
        return l.isPresent() ? OptionalLong.of(l.get().alignment()) : OptionalLong.empty();
    }

    /**
     * GNU's {@code __alignof__}: the alignment a variable gets, which on i686 is 8 for an 8-byte
     * scalar (and an enum, array or complex number of one) though a struct member of it gets 4; a
     * record's is its {@link #alignOf}.
     */
    public OptionalLong preferredAlignOf(CType type) {
        CType t = type.canonical().unqualified();
        return switch (t) {
            case BuiltinType b -> {
                OptionalInt a = target.preferredAlignmentBytes(b.kind());
                yield a.isPresent() ? OptionalLong.of(a.getAsInt()) : OptionalLong.empty();
            }
            case ComplexType c -> preferredAlignOf(c.element());
            case ArrayType a when a.size() instanceof ArrayType.Size.Fixed -> preferredAlignOf(a.element());
            case TagType tag when tag.kind() == TagType.Kind.ENUM -> {
                OptionalLong size = enumSizes.apply(tag);
                yield size.isPresent() && size.getAsLong() == 8 ? preferredAlignOf(BuiltinType.of(BuiltinType.Kind.LONG_LONG)) : alignOf(t);
            }
            default -> alignOf(t);
        };
    }

    public Optional<Layout> of(CType type) {
        CType t = type.canonical().unqualified();
        // instanceof tests, not a pattern switch: the header parser asks this of every struct it
        // defines, and a pattern switch's first run generates a class (≈ 4.5 ms of a short encode
        // run, not kept by the AOT cache; docs/performance.md)
        if (t instanceof BuiltinType b) return builtin(b.kind());
        if (t instanceof PointerType || t instanceof BlockPointerType) return scalar(target.dataModel().pointerBits() / 8);
        if (t instanceof ComplexType c) return of(c.element()).map(e -> new Layout(2 * e.size(), e.alignment()));
        if (t instanceof ArrayType a && a.size() instanceof ArrayType.Size.Fixed(long n)) return of(a.element()).map(e -> new Layout(n * e.size(), e.alignment()));
        if (t instanceof TagType tag && tag.kind() == TagType.Kind.ENUM) {
            OptionalLong size = enumSizes.apply(tag);
            return size.isPresent() ? enumeration(size.getAsLong()) : Optional.empty();
        }
        if (t instanceof TagType tag) return record(tag).map(RecordLayout::layout);
        return Optional.empty();
    }

    private Optional<Layout> builtin(BuiltinType.Kind kind) {
        OptionalInt size = target.sizeBytes(kind), alignment = target.alignmentBytes(kind);
        return size.isPresent() ? Optional.of(new Layout(size.getAsInt(), alignment.getAsInt())) : Optional.empty();
    }

    /** An enum is laid out as the integer of its size (i686 puts an 8-byte one at 4, as it does long long). */
    private Optional<Layout> enumeration(long bytes) {
        BuiltinType.Kind integer = bytes == 1 ? BuiltinType.Kind.CHAR : bytes == 2 ? BuiltinType.Kind.SHORT
                : bytes == 4 ? BuiltinType.Kind.INT : bytes == 8 ? BuiltinType.Kind.LONG_LONG : null;
        return integer == null ? Optional.empty() : Optional.of(new Layout(bytes, target.alignmentBytes(integer).getAsInt()));
    }

    private static Optional<Layout> scalar(long bytes) {
        return Optional.of(new Layout(bytes, bytes));
    }

    /**
     * Where a struct's or union's members are, for callers that place values in memory (the thunk
     * runtime's FFM layouts) as well as for its size: one rule for both.
     */
    public Optional<RecordLayout> record(TagType tag) {
        Optional<RecordLayout> known = records.get(tag);
        if (known != null) return known;
        records.put(tag, Optional.empty());
        Optional<RecordLayout> layout = laidOut(tag);
        records.put(tag, layout);
        return layout;
    }

    private Optional<RecordLayout> laidOut(TagType tag) {
        List<CType> fields = members.apply(tag);
        if (fields == null) return Optional.empty();
        boolean union = tag.kind() == TagType.Kind.UNION;
        long offset = 0, alignment = 1;
        Long[] offsets = new Long[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            CType field = fields.get(i).canonical().unqualified();
            boolean flexible = i == fields.size() - 1 && !union && field instanceof ArrayType a && a.size() instanceof ArrayType.Size.Incomplete;
            Optional<Layout> l = of(flexible ? ((ArrayType) field).element() : field);
            if (l.isEmpty()) return Optional.empty();
            alignment = Math.max(alignment, l.get().alignment());
            long size = flexible ? 0 : l.get().size();
            long at = union ? 0 : roundUp(offset, l.get().alignment());
            offsets[i] = at;
            offset = union ? Math.max(offset, size) : at + size;
        }
        return Optional.of(new RecordLayout(new Layout(roundUp(offset, alignment), alignment), List.of(offsets)));
    }

    private static long roundUp(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
