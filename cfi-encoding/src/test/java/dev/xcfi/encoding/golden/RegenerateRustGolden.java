package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Regenerates the Rust golden data with the installed rustc: the random crate
 * {@code fixtures/rust/corpus.rs}, and for it and the hand-written examples one TSV per mode, plus
 * the crate disambiguators rustc used ({@code crates.tsv}). Run by {@code fixtures/rust/regenerate}.
 */
public final class RegenerateRustGolden {
    public static final int CASES = 700;
    public static final long SEED = 0x7275_7374L;

    public static void main(String[] args) throws IOException {
        Path dir = Fixtures.root().resolve("fixtures/rust");
        Path work = Files.createTempDirectory("xcfi-rust-golden");
        RustSignatureGenerator.Crate crate = new RustSignatureGenerator(SEED).crate(CASES);
        Files.writeString(dir.resolve("corpus.rs"), crate.source());
        Files.writeString(dir.resolve("corpus.rows"), String.join("\n", crate.rows()) + "\n");
        int total = 0;
        for (String name : List.of("corpus", "examples/cfi_types_fig4", "examples/cfi_types_fig5")) {
            Path rs = dir.resolve(name + ".rs");
            List<String> rows = Files.readAllLines(dir.resolve(name + ".rows"));
            RustcOracle.Result r = new RustcOracle(work).rows(rs, rows);
            for (Map.Entry<CfiMode, List<String>> e : r.rows().entrySet()) {
                Path out = dir.resolve("golden/" + name.replace("examples/", "") + "." + e.getKey().label() + ".tsv");
                Files.createDirectories(out.getParent());
                Files.writeString(out, String.join("\n", e.getValue()) + "\n");
                total += e.getValue().size();
            }
            if (name.equals("corpus")) {
                StringBuilder sb = new StringBuilder();
                r.crates().forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
                Files.writeString(dir.resolve("golden/crates.tsv"), sb);
            }
        }
        System.out.println(total + " Rust golden rows written");
    }
}
