package dev.xcfi.verify.llvm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a libLLVM may be: only the one the user named ({@code --libllvm}, {@code XCFI_LIBLLVM}),
 * else the library folders the {@code llvm-config*} tools on the PATH report, Debian's versioned
 * folders and the multiarch library folder, then rustup toolchains (a Rust user always has the
 * libLLVM that wrote rustc's bitcode). Newest LLVM first within each group.
 */
public final class LibLlvmLocator {
    private static final Pattern LIBRARY = Pattern.compile("libLLVM(-(\\d+).*\\.so.*|\\.so\\.(\\d+)\\.\\d+.*)");

    private LibLlvmLocator() {}

    /** A library the user named ({@code --libllvm}, else {@code XCFI_LIBLLVM}) is the only candidate: no silent fallback. */
    public static List<Path> candidates(Optional<Path> explicit) {
        if (explicit.isPresent()) return List.of(explicit.get());
        String env = System.getenv("XCFI_LIBLLVM");
        if (env != null && !env.isBlank()) return List.of(Path.of(env));
        Set<Path> out = new LinkedHashSet<>(newestFirst(fromLlvmConfig(Optional.ofNullable(System.getenv("PATH")).orElse(""))));
        List<Path> debian = new ArrayList<>();
        for (Path dir : children(Path.of("/usr/lib"), "llvm-*")) debian.addAll(libraries(dir.resolve("lib")));
        for (Path dir : List.of(Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib/aarch64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/lib"))) {
            debian.addAll(libraries(dir));
        }
        out.addAll(newestFirst(debian));
        Path rustup = Path.of(Optional.ofNullable(System.getenv("RUSTUP_HOME")).orElse(System.getProperty("user.home") + "/.rustup"), "toolchains");
        List<Path> rust = new ArrayList<>();
        for (Path toolchain : children(rustup, "*")) rust.addAll(libraries(toolchain.resolve("lib")));
        out.addAll(newestFirst(rust));
        return List.copyOf(out);
    }

    /** The libraries in the folders that each {@code llvm-config*} on {@code path} reports with {@code --libdir}. */
    static List<Path> fromLlvmConfig(String path) {
        List<Path> out = new ArrayList<>();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) continue;
            for (Path tool : children(Path.of(dir), "llvm-config*")) {
                if (!Files.isExecutable(tool)) continue;
                libdir(tool).ifPresent(lib -> out.addAll(libraries(lib)));
            }
        }
        return out;
    }

    private static Optional<Path> libdir(Path llvmConfig) {
        try {
            Process p = new ProcessBuilder(llvmConfig.toString(), "--libdir").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String line = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 && !line.isEmpty() && !line.contains("\n") ? Optional.of(Path.of(line)) : Optional.empty();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return Optional.empty();   // a tool that does not run offers no candidates
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The LLVM major version in a library's file name, or 0. */
    static int major(Path library) {
        Matcher m = LIBRARY.matcher(library.getFileName().toString());
        if (!m.matches()) return 0;
        return Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
    }

    private static List<Path> newestFirst(List<Path> libraries) {
        List<Path> sorted = new ArrayList<>(libraries);
        sorted.sort(Comparator.comparingInt(LibLlvmLocator::major).reversed());
        return sorted;
    }

    /** Versioned shared objects only: {@code libLLVM.so} alone says nothing about its version. */
    private static List<Path> libraries(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path p : children(dir, "libLLVM*.so*")) if (major(p) > 0 && Files.isRegularFile(p)) out.add(p);
        return out;
    }

    private static List<Path> children(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(out::add);
        } catch (IOException e) {
            // an unreadable folder simply offers no candidates
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
