package dev.xcfi.thunk;

import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.encoding.golden.Fixtures;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** test/c/callbacks.c compiled by clang-22 with -fsanitize=kcfi and extra flags, loaded for downcalls. */
final class KcfiLibrary {
    final Path path;
    private final SymbolLookup symbols;

    private KcfiLibrary(Path path) {
        this.path = path;
        this.symbols = SymbolLookup.libraryLookup(path, Arena.global());
    }

    static KcfiLibrary build(Path dir, String name, String... flags) throws IOException, InterruptedException {
        Compilers.requireClang();
        Path source = Fixtures.root().resolve("thunk-runtime/src/test/c/callbacks.c");
        Path out = dir.resolve("lib" + name + ".so");
        List<String> command = new ArrayList<>(List.of("clang-22", "-fsanitize=kcfi", "-O2", "-fPIC", "-shared"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", out.toString(), source.toString()));
        Compilers.run(command);
        return new KcfiLibrary(out);
    }

    static KcfiLibrary load(Path path) {
        return new KcfiLibrary(path);
    }

    MethodHandle function(String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(symbols.find(name).orElseThrow(), descriptor);
    }
}
