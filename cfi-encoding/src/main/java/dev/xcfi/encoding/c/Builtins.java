package dev.xcfi.encoding.c;

import dev.xcfi.types.Target;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The builtins clang 22 has on each target, for {@code __has_builtin}: headers choose what they
 * declare by them (glib's gtypes.h declares its own overflow-checked inlines only where
 * {@code __builtin_add_overflow} is missing). Generated from the installed clang by
 * {@code fixtures/c/regenerate}: the names every target has, and each target's own.
 */
final class Builtins {
    private static final Set<String> EVERY_TARGET = read("all");
    private static final Map<Target, Set<String>> OWN = new ConcurrentHashMap<>();

    private Builtins() {}

    static boolean has(Target target, String name) {
        return EVERY_TARGET.contains(name) || OWN.computeIfAbsent(target, t -> read(t.shortName())).contains(name);
    }

    private static Set<String> read(String list) {
        String name = "builtins/" + list + ".txt";
        try (InputStream in = Builtins.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("no builtins list " + name);
            return Set.of(new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
