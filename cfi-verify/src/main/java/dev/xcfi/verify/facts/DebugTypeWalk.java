package dev.xcfi.verify.facts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the function types a module's debug information spells, for both readers alike: each
 * reader shows its metadata through a {@link Source}, and this walk decides what is followed. From
 * a function's or global's {@code !dbg} it follows types the way a C programmer reaches them —
 * a subprogram's type, a global variable's type, pointers, qualifiers and typedefs, struct and
 * union members, array elements, parameters — so {@code ops->log}'s type is found from a function
 * that takes a {@code struct ops *}. Local variables are not followed: they are most of a module's
 * debug records, and the types they could add are nearly always reachable from a parameter or a
 * global (a local {@code void (*fp)(int)} of a type found nowhere else is missed). The result is
 * a set: readers meet the nodes in different orders (the Java reader walks each body's own
 * metadata on the thread that reads it, and the module's shared metadata once at the end), so
 * {@link #sorted} orders it.
 */
public final class DebugTypeWalk {
    /** How deep a type may nest before its function type is left out: real C types nest a few levels. */
    public static final int MAX_DEPTH = 32;
    /** How many nodes one walk visits at most: bounds the work on hostile input (a real kernel module has far fewer). */
    public static final int MAX_NODES = 1 << 20;

    public enum Kind { BASIC, DERIVED, COMPOSITE, SUBROUTINE, SUBPROGRAM, SUBRANGE, VARIABLE, GLOBAL_VARIABLE_EXPRESSION, TUPLE, OTHER }

    /** A reader's metadata, node by node; {@link #NULL} is a null operand. */
    public interface Source {
        long NULL = -1;

        Kind kind(long node);

        /** The DWARF tag of a derived or composite type. */
        int tag(long node);

        /** A type's name, "" when it has none. */
        String name(long node);

        /** A pointer's, qualifier's, typedef's or member's base; an array's element; a subprogram's or global variable's type; a global variable expression's variable. */
        long type(long node);

        /** A composite's elements (members, enumerators, subranges), a function type's types: a tuple. */
        long elements(long node);

        int size(long tuple);

        long element(long tuple, int i);

        /** A subrange's constant count, -1 when it has none. */
        long count(long subrange);

        /** A basic type's size in bits. */
        long bits(long node);

        /** A composite's DIFlags. */
        int flags(long node);

        /** Whether {@code node} is left for a later walk (the module's metadata, met while one function's is walked). */
        default boolean deferred(long node) {
            return false;
        }
    }

    private final Source source;
    private final Set<Long> visited = new HashSet<>();
    /** One per node: a structure is hashed only once, by {@link #sorted} (a deep type's record hash is a walk of its own). */
    private final List<DebugType.Function> found = new ArrayList<>();
    /** Each node once: many functions reach the same shared types. */
    private final Set<Long> deferred = new LinkedHashSet<>();
    private final Map<Long, DebugType> trees = new HashMap<>();

    public DebugTypeWalk(Source source) {
        this.source = source;
    }

    /** Walks everything reachable from {@code root} not walked before. */
    public DebugTypeWalk from(long root) {
        ArrayDeque<Long> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            long node = stack.pop();
            if (node == Source.NULL || visited.size() >= MAX_NODES) continue;
            if (source.deferred(node)) {
                deferred.add(node);
                continue;
            }
            if (!visited.add(node)) continue;
            switch (source.kind(node)) {
                case COMPOSITE -> {
                    stack.push(source.type(node));
                    stack.push(source.elements(node));
                }
                case SUBPROGRAM, VARIABLE, GLOBAL_VARIABLE_EXPRESSION, DERIVED -> stack.push(source.type(node));
                case SUBROUTINE -> {
                    DebugType.Function f = function(node);
                    if (f != null) found.add(f);
                    stack.push(source.elements(node));
                }
                case TUPLE -> {
                    for (int i = source.size(node) - 1; i >= 0; i--) stack.push(source.element(node, i));
                }
                default -> { }
            }
        }
        return this;
    }

    /** The function types found so far, one per node, in no particular order. */
    public List<DebugType.Function> found() {
        return found;
    }

    /** The nodes {@link Source#deferred} kept out of this walk. */
    public Set<Long> deferred() {
        return deferred;
    }

    /** One order for any reader's findings, each structure once (distinct nodes may spell one type twice). */
    public static List<DebugType.Function> sorted(Collection<DebugType.Function> types) {
        record Keyed(String key, DebugType.Function type) {}
        List<Keyed> keyed = new ArrayList<>(types.size());
        StringBuilder key = new StringBuilder();
        for (DebugType.Function f : types) {
            key.setLength(0);
            DebugType.key(f, key);
            keyed.add(new Keyed(key.toString(), f));
        }
        keyed.sort(Comparator.comparing(Keyed::key));
        List<DebugType.Function> out = new ArrayList<>(keyed.size());
        for (int i = 0; i < keyed.size(); i++) {
            if (i == 0 || !keyed.get(i).key().equals(keyed.get(i - 1).key())) out.add(keyed.get(i).type());
        }
        return out;
    }

    /** A type nested deeper than {@link #MAX_DEPTH}: the function type it is in is left out (only hostile input has one). */
    private static final class TooDeep extends RuntimeException {
        TooDeep() {
            super(null, null, false, false);
        }
    }

    /** The function type at {@code node}, or null when it nests too deeply. */
    private DebugType.Function function(long node) {
        try {
            return tree(node, 0) instanceof DebugType.Function f ? f : null;
        } catch (TooDeep e) {
            return null;
        }
    }

    private DebugType tree(long node, int depth) {
        if (node == Source.NULL) return DebugType.NONE;
        DebugType known = trees.get(node);
        if (known != null) return known;
        if (depth > MAX_DEPTH) throw new TooDeep();
        DebugType t = switch (source.kind(node)) {
            case BASIC -> {
                String name = source.name(node);
                yield new DebugType.Basic(name, name.equals(DebugType.Basic.COMPLEX) ? source.bits(node) : 0);
            }
            case DERIVED -> new DebugType.Derived(source.tag(node), source.name(node), tree(source.type(node), depth + 1));
            case COMPOSITE -> composite(node, depth);
            case SUBROUTINE -> {
                long types = source.elements(node);
                List<DebugType> parts = new ArrayList<>();
                if (types != Source.NULL && source.kind(types) == Kind.TUPLE) {
                    for (int i = 0, n = source.size(types); i < n; i++) parts.add(tree(source.element(types, i), depth + 1));
                }
                // void(void) is !{null}, which libLLVM's C API shows as !{} (MetadataAsValue makes
                // the one-null tuple empty); a function type always has its result, so both are it.
                if (parts.isEmpty()) parts.add(DebugType.NONE);
                yield new DebugType.Function(parts);
            }
            default -> DebugType.OTHER;
        };
        trees.put(node, t);   // whole: a tree too deep never gets here
        return t;
    }

    private DebugType composite(long node, int depth) {
        int tag = source.tag(node);
        if (tag != DebugType.ARRAY) return new DebugType.Composite(tag, source.name(node), DebugType.NONE, List.of(), false);
        List<Long> counts = new ArrayList<>();
        long elements = source.elements(node);
        if (elements != Source.NULL && source.kind(elements) == Kind.TUPLE) {
            for (int i = 0, n = source.size(elements); i < n; i++) {
                long e = source.element(elements, i);
                counts.add(e != Source.NULL && source.kind(e) == Kind.SUBRANGE ? source.count(e) : -1L);
            }
        }
        return new DebugType.Composite(tag, "", tree(source.type(node), depth + 1), counts,
                (source.flags(node) & DebugType.VECTOR_FLAG) != 0);
    }
}
