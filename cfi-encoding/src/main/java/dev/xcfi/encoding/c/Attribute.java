package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.Token;
import java.util.List;

/** A GNU {@code __attribute__((name(args)))} or C23 {@code [[vendor::name(args)]]}, vendor prefix dropped. */
record Attribute(String name, List<Token> arguments, SourceLocation location) {
    /** The first argument as a string literal's contents, or null. */
    String stringArgument() {
        for (Token t : arguments) {
            if (t.kind() == Token.Kind.STRING) return t.text().substring(t.text().indexOf('"') + 1, t.text().length() - 1);
        }
        return null;
    }
}
