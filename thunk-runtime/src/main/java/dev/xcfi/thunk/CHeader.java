package dev.xcfi.thunk;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A C header of the library a callback is handed to, and the folders its {@code #include}s are
 * searched in: callback types are then named as the header names them
 * ({@code thunks.upcall(header, "compare_fn", handle)}), so the hash is the one the library's own
 * code was compiled against rather than that of a prototype copied by hand. It is read when a
 * name is first looked up, for the arena's target, with the target's predefined macros.
 */
public record CHeader(Path file, List<Path> includeDirs, Map<String, String> defines) {
    public CHeader {
        includeDirs = List.copyOf(includeDirs);
        defines = Collections.unmodifiableMap(new LinkedHashMap<>(defines));
        for (String name : defines.keySet()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("not a macro name: '" + name + "'");
        }
    }

    public static CHeader of(Path file, Path... includeDirs) {
        return new CHeader(file, List.of(includeDirs), Map.of());
    }

    /** The same header read with macro {@code name} defined as {@code value}, as clang's {@code -Dname=value} does (a library built with it). */
    public CHeader define(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(defines);
        more.put(name, value);
        return new CHeader(file, includeDirs, more);
    }

    /** The macros as the lines the preprocessor reads before the header. */
    String commandLine() {
        StringBuilder text = new StringBuilder();
        defines.forEach((name, value) -> text.append("#define ").append(name).append(' ').append(value).append('\n'));
        return text.toString();
    }
}
