package dev.xcfi.encoding.c;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.EncodingException;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.HashedTypeId;
import dev.xcfi.types.Target;

import java.util.ArrayList;
import java.util.List;

/** Encodes every declaration of a header in one mode; a declaration the target rejects becomes an error row. */
public final class DeclarationEncoder {
    private final ClangEncoder encoder;
    private final CfiMode mode;
    private final KcfiHash hash;

    public DeclarationEncoder(Target target, CfiMode mode, KcfiHash hash) {
        this.encoder = ClangEncoder.of(target);
        this.mode = mode;
        this.hash = hash;
    }

    public EncodedDeclaration encode(FunctionDeclaration d) {
        try {
            HashedTypeId h = encoder.encode(d.type(), mode, hash);
            return new EncodedDeclaration(d, h.id(), h.kcfi(), null);
        } catch (EncodingException e) {
            return new EncodedDeclaration(d, null, 0, e.getMessage());
        }
    }

    public List<EncodedDeclaration> encodeAll(List<FunctionDeclaration> declarations) {
        List<EncodedDeclaration> out = new ArrayList<>(declarations.size());
        for (FunctionDeclaration d : declarations) out.add(encode(d));
        return out;
    }
}
