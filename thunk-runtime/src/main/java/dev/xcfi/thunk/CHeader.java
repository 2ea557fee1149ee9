package dev.xcfi.thunk;

import java.nio.file.Path;
import java.util.List;

/**
 * A C header of the library a callback is handed to, and the folders its {@code #include}s are
 * searched in: callback types are then named as the header names them
 * ({@code thunks.upcall(header, "compare_fn", handle)}), so the hash is the one the library's own
 * code was compiled against rather than that of a prototype copied by hand. It is read when a
 * name is first looked up, for the arena's target, with the target's predefined macros.
 */
public record CHeader(Path file, List<Path> includeDirs) {
    public CHeader {
        includeDirs = List.copyOf(includeDirs);
    }

    public static CHeader of(Path file, Path... includeDirs) {
        return new CHeader(file, List.of(includeDirs));
    }
}
