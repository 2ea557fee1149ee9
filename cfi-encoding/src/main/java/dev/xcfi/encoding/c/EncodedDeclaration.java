package dev.xcfi.encoding.c;

import dev.xcfi.encoding.CrossDsoId;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.TypeId;

import java.util.OptionalLong;

/**
 * One declaration's ids in one mode, or why the target cannot take it. Its {@link #tsv()} is the
 * {@code xcfi encode} row format other tools depend on.
 */
public record EncodedDeclaration(FunctionDeclaration declaration, TypeId id, int kcfi, String error) {

    public String name() {
        return declaration.name();
    }

    public boolean ok() {
        return error == null;
    }

    /** {@code name<TAB>type_id<TAB>kcfi<TAB>cross_dso}, or {@code name<TAB>-<TAB>-<TAB>-<TAB>error: why}. */
    public String tsv() {
        StringBuilder row = new StringBuilder(96);
        appendTsv(row);
        return row.toString();
    }

    /** {@link #tsv()} written into {@code out}, for writers of many rows. */
    public void appendTsv(StringBuilder out) {
        out.append(name()).append('\t');
        if (!ok()) {
            out.append("-\t-\t-\terror: ").append(error);
            return;
        }
        out.append(id.value()).append('\t');
        KcfiHash.appendFormatted(out, kcfi);
        out.append('\t');
        OptionalLong crossDso = id.crossDso();
        if (crossDso.isPresent()) CrossDsoId.appendFormatted(out, crossDso.getAsLong());
        else out.append('-');
    }

    /** {@code 0x%016x}, or {@code -} where clang has no cross-DSO id (generalized modes, internal ids). */
    public String crossDsoText() {
        return id.crossDso().isPresent() ? CrossDsoId.format(id.crossDso().getAsLong()) : "-";
    }
}
