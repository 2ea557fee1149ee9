package dev.xcfi.encoding.c;

import dev.xcfi.encoding.CrossDsoId;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.TypeId;

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
        if (!ok()) return name() + "\t-\t-\t-\terror: " + error;
        return name() + "\t" + id.value() + "\t" + KcfiHash.format(kcfi) + "\t" + crossDsoText();
    }

    /** {@code 0x%016x}, or {@code -} where clang has no cross-DSO id (generalized modes, internal ids). */
    public String crossDsoText() {
        return id.crossDso().isPresent() ? CrossDsoId.format(id.crossDso().getAsLong()) : "-";
    }
}
