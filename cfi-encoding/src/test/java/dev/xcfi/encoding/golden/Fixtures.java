package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.Target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the C fixtures live and how their golden files are named. */
public final class Fixtures {
    /** Prototypes per target in the generated corpus. */
    public static final int CORPUS_SIZE = 500;
    /** Targets whose golden data also has FNV-1a KCFI hashes. */
    public static final List<Target> FNV_TARGETS = List.of(Target.X86_64_LINUX_GNU, Target.AARCH64_LINUX_GNU);

    private Fixtures() {}

    /** The repository root: {@code -Dxcfi.root}, else found by walking up to {@code fixtures/}. */
    public static Path root() {
        String prop = System.getProperty("xcfi.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "fixtures"))) return Path.of(prop);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("fixtures/c"))) return p;
        }
        throw new IllegalStateException("cannot find the repository's fixtures/ folder; set -Dxcfi.root");
    }

    public static Path c() {
        return root().resolve("fixtures/c");
    }

    public static List<Path> includeDirs() {
        return List.of(c().resolve("include"));
    }

    /** Deterministic seed of a target's generated corpus. */
    public static long seed(Target target) {
        return 0x5eed_0000L + Target.known().indexOf(target);
    }

    /** clang's predefined macros for {@code target}: generated here, read by the preprocessor from its jar. */
    public static Path predefinedMacros(Target target) {
        return root().resolve("cfi-encoding/src/main/resources/dev/xcfi/encoding/c/predefined/" + target.shortName() + ".h");
    }

    /** A list of clang's builtins ({@code all}, or a target's own): generated here, read by the preprocessor from its jar. */
    public static Path builtins(String list) {
        return root().resolve("cfi-encoding/src/main/resources/dev/xcfi/encoding/c/builtins/" + list + ".txt");
    }

    public static Path corpusHeader(Target target) {
        return c().resolve("corpus/" + target.shortName() + ".h");
    }

    /**
     * The targets whose ids all decode to one type: where two distinct types share the code g
     * (x86_64 Android: long double and __float128; ppc64le: long double and __ibm128) an id cannot
     * say which one it meant.
     */
    public static List<Target> unambiguousTargets() {
        return Target.known().stream().filter(t -> !(t.longDouble().equals("g") && (t.float128() != null || t.ibm128()))).toList();
    }

    /** The headers with golden rows: each target's generated corpus, and the hand-written files. */
    public static final List<String> GOLDEN_HEADERS = List.of("corpus", "tricky", "macros", "layouts", "blocks", "typeof");
    /** Records in the generated {@code layouts.h}, and its seed. */
    public static final int LAYOUT_RECORDS = 150;
    public static final long LAYOUT_SEED = 0x1a70_0000L;

    /** {@code header} (one of {@link #GOLDEN_HEADERS}) for {@code target}. */
    public static Path header(Target target, String header) {
        return header.equals("corpus") ? corpusHeader(target) : c().resolve(header + ".h");
    }

    /** {@code fixtures/c/golden/<target>/<header>.<mode>[.fnv1a].tsv} */
    public static Path golden(Target target, String header, CfiMode mode, KcfiHash hash) {
        String suffix = hash == KcfiHash.FNV1A ? ".fnv1a" : "";
        return c().resolve("golden/" + target.shortName() + "/" + header + "." + mode.label() + suffix + ".tsv");
    }
}
