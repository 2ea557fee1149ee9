package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.facts.DebugTypeWalk;
import dev.xcfi.verify.facts.SourceLocation;
import dev.xcfi.verify.facts.DebugTypeWalk.Kind;

import java.util.OptionalInt;

/**
 * The debug-info records of a metadata table as {@link DebugTypeWalk} reads them. Operand positions
 * are those LLVM 15 to 22 write (metadata references as id + 1, 0 for null): a type's tag at 1 and
 * name at 2, a pointer's or array's base at 6, a composite's flags at 10 and elements at 11, a
 * function type's types at 2, a subprogram's type at 6, a global variable's type at 6, a global
 * variable expression's variable at 1. Over a function's
 * table, the module's nodes are {@linkplain Source#deferred deferred}: they are walked once per module.
 */
final class DebugInfoSource implements DebugTypeWalk.Source {
    private final MetadataTable metadata;
    private final ValueTable values;
    private final boolean function;

    DebugInfoSource(MetadataTable metadata, ValueTable values) {
        this.metadata = metadata;
        this.values = values;
        this.function = metadata.module != null;
    }

    @Override
    public Kind kind(long node) {
        byte kind = metadata.kind(node);
        if (kind == MetadataTable.NODE) return Kind.TUPLE;
        if (kind != MetadataTable.DEBUG) return Kind.OTHER;
        return switch (metadata.debugCode(node)) {
            case MetadataTable.SUBRANGE -> Kind.SUBRANGE;
            case MetadataTable.BASIC_TYPE -> Kind.BASIC;
            case MetadataTable.DERIVED_TYPE -> Kind.DERIVED;
            case MetadataTable.COMPOSITE_TYPE -> Kind.COMPOSITE;
            case MetadataTable.SUBROUTINE_TYPE -> Kind.SUBROUTINE;
            case MetadataTable.SUBPROGRAM -> Kind.SUBPROGRAM;
            case MetadataTable.GLOBAL_VAR -> Kind.VARIABLE;
            case MetadataTable.GLOBAL_VAR_EXPR -> Kind.GLOBAL_VARIABLE_EXPRESSION;
            default -> Kind.OTHER;
        };
    }

    @Override
    public int tag(long node) {
        return metadata.debugOperand(node, 1);
    }

    @Override
    public String name(long node) {
        String name = metadata.string(reference(node, 2));
        return name == null ? "" : name;
    }

    @Override
    public long type(long node) {
        return switch (metadata.debugCode(node)) {
            case MetadataTable.GLOBAL_VAR_EXPR -> reference(node, 1);
            default -> reference(node, 6);
        };
    }

    @Override
    public long elements(long node) {
        return switch (metadata.debugCode(node)) {
            case MetadataTable.COMPOSITE_TYPE -> reference(node, 11);
            case MetadataTable.SUBROUTINE_TYPE -> reference(node, 2);
            default -> NULL;
        };
    }

    @Override
    public int size(long tuple) {
        return metadata.operandCount(tuple);
    }

    @Override
    public long element(long tuple, int i) {
        return metadata.operand(tuple, i);
    }

    /** A count is a metadata reference to a constant from the subrange's version 1 on (LLVM 7). */
    @Override
    public long count(long subrange) {
        if (metadata.debugOperand(subrange, 0) >> 1 == 0) return -1;
        OptionalInt count = FunctionReader.integer(metadata, values, reference(subrange, 1));
        return count.isPresent() ? count.getAsInt() : -1;
    }

    /** A size is a metadata reference to a constant when bit 1 of the first operand says so (LLVM 21 on), else the number. */
    @Override
    public long bits(long node) {
        int size = metadata.debugOperand(node, 3);
        if ((metadata.debugOperand(node, 0) & 2) == 0) return size;
        OptionalInt bits = FunctionReader.integer(metadata, values, size - 1L);
        return bits.isPresent() ? bits.getAsInt() : 0;
    }

    @Override
    public int flags(long node) {
        return metadata.debugOperand(node, 10);
    }

    @Override
    public boolean deferred(long node) {
        return function && node < metadata.base;
    }

    /**
     * Where a debug location is: the file of its scope (a subprogram's at operand 4, a lexical
     * block's at 2; a file's name at 1 and folder at 2), as libLLVM's {@code DILocation} reports it.
     */
    SourceLocation location(long scope, long line, long column) {
        long file = scope;
        for (int hops = 0; hops < DebugTypeWalk.MAX_DEPTH && file != NULL; hops++) {
            int code = metadata.debugCode(file);
            if (code == MetadataTable.FILE) {
                return SourceLocation.of(orEmpty(metadata.string(reference(file, 2))), orEmpty(metadata.string(reference(file, 1))), line, column);
            }
            if (code == MetadataTable.SUBPROGRAM) file = reference(file, 4);
            else if (code == MetadataTable.LEXICAL_BLOCK || code == MetadataTable.LEXICAL_BLOCK_FILE) file = reference(file, 2);
            else break;
        }
        return SourceLocation.NONE;
    }

    /** A subprogram's place: its file and line (operand 5). */
    SourceLocation subprogram(long node) {
        if (metadata.debugCode(node) != MetadataTable.SUBPROGRAM) return SourceLocation.NONE;
        return location(node, Integer.toUnsignedLong(metadata.debugOperand(node, 5)), 0);
    }

    /** A global variable's place: its first {@code !dbg} expression's variable, whose file is operand 4 and line 5. */
    SourceLocation globalVariable(long expression) {
        if (metadata.debugCode(expression) != MetadataTable.GLOBAL_VAR_EXPR) return SourceLocation.NONE;
        long variable = reference(expression, 1);
        if (metadata.debugCode(variable) != MetadataTable.GLOBAL_VAR) return SourceLocation.NONE;
        return location(reference(variable, 4), Integer.toUnsignedLong(metadata.debugOperand(variable, 5)), 0);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private long reference(long node, int operand) {
        return metadata.debugOperand(node, operand) - 1L;
    }
}
