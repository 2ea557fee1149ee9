package dev.xcfi.encoding.rust;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.EncodingException;
import dev.xcfi.encoding.HashedTypeId;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.RustcEncoder;
import dev.xcfi.types.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Encodes every declaration of a Rust source in one mode; one that cannot be encoded becomes an error row. */
public final class RustDeclarationEncoder {
    private final RustcEncoder encoder;
    private final CfiMode mode;

    public RustDeclarationEncoder(Target target, Map<String, String> crateDisambiguators, CfiMode mode) {
        this.encoder = RustcEncoder.of(target, crateDisambiguators);
        this.mode = mode;
    }

    public EncodedRustDeclaration encode(RustDeclaration d) {
        try {
            HashedTypeId h = encoder.encode(d.signature(), mode, KcfiHash.XXHASH64);   // rustc always uses xxHash64
            return new EncodedRustDeclaration(d, h.id(), h.kcfi(), null);
        } catch (EncodingException e) {
            return new EncodedRustDeclaration(d, null, 0, e.getMessage());
        }
    }

    public List<EncodedRustDeclaration> encodeAll(List<RustDeclaration> declarations) {
        List<EncodedRustDeclaration> out = new ArrayList<>(declarations.size());
        for (RustDeclaration d : declarations) out.add(encode(d));
        return out;
    }
}
