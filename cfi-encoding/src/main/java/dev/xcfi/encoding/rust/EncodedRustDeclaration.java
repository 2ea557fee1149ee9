package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.TypeId;

/**
 * One Rust declaration's id in one mode, or why it cannot be encoded. {@link #tsv()} is the
 * {@code xcfi encode --lang rust} row: {@code name<TAB>type_id<TAB>kcfi} (rustc has no cross-DSO CFI).
 */
public record EncodedRustDeclaration(RustDeclaration declaration, TypeId id, int kcfi, String error) {
    public String name() {
        return declaration.name();
    }

    public boolean ok() {
        return error == null;
    }

    public String tsv() {
        if (!ok()) return name() + "\t-\t-\terror: " + error;
        return name() + "\t" + id.value() + "\t" + KcfiHash.format(kcfi);
    }
}
