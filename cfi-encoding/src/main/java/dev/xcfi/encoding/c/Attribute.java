package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SourceLocation;
import dev.xcfi.encoding.source.Token;
import java.util.List;

/** A GNU {@code __attribute__((name(args)))} or C23 {@code [[vendor::name(args)]]}, vendor prefix dropped. */
record Attribute(String name, List<Token> arguments, SourceLocation location) {
    /** The first argument's string: its literal's value, adjacent literals joined ({@code "a" "b"} is {@code ab}), or null. */
    String stringArgument() {
        StringBuilder value = null;
        for (Token t : arguments) {
            if (t.kind() == Token.Kind.STRING) {
                if (value == null) value = new StringBuilder();
                value.append(LiteralText.decode(t.text()));
            } else if (value != null) {
                break;
            }
        }
        return value == null ? null : value.toString();
    }
}
