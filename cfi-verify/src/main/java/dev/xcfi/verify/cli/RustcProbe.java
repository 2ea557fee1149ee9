package dev.xcfi.verify.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns crate disambiguators from the installed rustc: compiles a tiny crate named like the
 * user's with {@code -Zsanitizer=cfi} and reads them back from the type ids in its IR. They depend
 * on the toolchain and on {@code -Cmetadata} (cargo passes one per crate), so for a cargo build pass
 * the user crate's value with {@code --crate NAME=…} instead.
 */
final class RustcProbe {
    private static final Pattern TYPE_ID = Pattern.compile("!\"(_ZTS[^\"]*)\"");
    private static final Pattern CRATE = Pattern.compile("C(s[0-9A-Za-z]*_)(\\d+)(?=[A-Za-z_])");

    private RustcProbe() {}

    static Map<String, String> disambiguators(String rustc, String crateName) throws IOException {
        Path dir = Files.createTempDirectory("xcfi-probe");
        try {
            Path src = dir.resolve("probe.rs");
            Files.writeString(src, """
                    pub struct XcfiProbe(pub u8);
                    pub fn xcfi_probe(_: Option<&XcfiProbe>, _: Option<Box<u8>>) {}
                    """);
            Path ll = dir.resolve("probe.ll");
            ProcessBuilder pb = new ProcessBuilder(rustc, "--edition", "2021", "--crate-type", "lib", "--crate-name", crateName,
                    "-Zsanitizer=cfi", "-Clinker-plugin-lto", "-Cunsafe-allow-abi-mismatch=sanitizer", "--emit=llvm-ir",
                    "-o", ll.toString(), src.toString()).redirectErrorStream(true);
            pb.environment().put("RUSTC_BOOTSTRAP", "1");
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("the rustc probe failed:\n" + log);
            Map<String, String> out = new TreeMap<>();
            // only from type ids: v0 symbol names write a crate's disambiguator one less
            // (CsioYMcLIlAvd_1p in a symbol is CsioYMcLIlAve_1p in an id)
            Matcher id = TYPE_ID.matcher(Files.readString(ll));
            while (id.find()) {
                String text = id.group(1);
                Matcher m = CRATE.matcher(text);
                while (m.find()) {
                    int len = Integer.parseInt(m.group(2));
                    // the name is read by its length, not matched: the next crate may follow at once
                    if (m.end() + len <= text.length()) out.put(text.substring(m.end(), m.end() + len), m.group(1));
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
