package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Rust reference: compiles a crate with the installed rustc (stable, {@code RUSTC_BOOTSTRAP=1})
 * eight times — {@code -Zsanitizer=cfi -Clinker-plugin-lto} and {@code -Zsanitizer=kcfi}, each with
 * and without {@code -Zsanitizer-cfi-normalize-integers} / {@code -Zsanitizer-cfi-generalize-pointers}
 * — and reads from the textual IR, for each row name: a function's {@code !type} id for the mode
 * (rustc attaches all four) and {@code !kcfi_type}, or, for a {@code type} alias {@code X}, the
 * {@code llvm.type.test} id and {@code "kcfi"} bundle of the call in {@code call_X}.
 */
public final class RustcOracle {
    public static final String RUSTC = System.getenv().getOrDefault("XCFI_RUSTC", "rustc");
    public static final String CRATE = "xcfi_fixture";

    private final Path work;

    public RustcOracle(Path work) {
        this.work = work;
    }

    public static boolean available() {
        try {
            Process p = new ProcessBuilder(RUSTC, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public record Result(Map<CfiMode, List<String>> rows, Map<String, String> crates) {}

    public Result rows(Path source, List<String> names) throws IOException {
        Map<CfiMode, Functions> cfi = new LinkedHashMap<>(), kcfi = new LinkedHashMap<>();
        for (CfiMode mode : CfiMode.all()) {
            List<String> modeFlags = new ArrayList<>();
            if (mode.normalizeIntegers()) modeFlags.add("-Zsanitizer-cfi-normalize-integers");
            if (mode.generalizePointers()) modeFlags.add("-Zsanitizer-cfi-generalize-pointers");
            String mismatch = "-Cunsafe-allow-abi-mismatch=sanitizer" + (mode.normalizeIntegers() ? ",sanitizer-cfi-normalize-integers" : "");
            List<String> c = new ArrayList<>(List.of("-Zsanitizer=cfi", "-Clinker-plugin-lto", mismatch));
            c.addAll(modeFlags);
            cfi.put(mode, Functions.parse(compile(source, c)));
            List<String> k = new ArrayList<>(List.of("-Zsanitizer=kcfi", "-Cpanic=abort", mismatch));
            k.addAll(modeFlags);
            kcfi.put(mode, Functions.parse(compile(source, k)));
        }
        Map<CfiMode, List<String>> out = new LinkedHashMap<>();
        for (CfiMode mode : CfiMode.all()) {
            List<String> rows = new ArrayList<>();
            for (String name : names) {
                boolean alias = cfi.get(mode).calls.containsKey("call_" + name) && !cfi.get(mode).types.containsKey(name);
                String id, hash;
                if (alias) {
                    id = cfi.get(mode).calls.get("call_" + name);
                    hash = kcfi.get(mode).bundles.get("call_" + name);
                } else {
                    id = cfi.get(mode).typeFor(name, mode);
                    hash = kcfi.get(mode).kcfiTypes.get(name);
                }
                if (id == null || hash == null) throw new IllegalStateException("rustc emitted no id for " + name + " in " + mode.label());
                rows.add(name + "\t" + id + "\t" + KcfiHash.format((int) Long.parseLong(hash)));
            }
            out.put(mode, rows);
        }
        return new Result(out, cfi.get(CfiMode.PLAIN).crates);
    }

    private String compile(Path source, List<String> flags) throws IOException {
        Path ll = work.resolve("out-" + Integer.toHexString(flags.hashCode()) + ".ll");
        List<String> cmd = new ArrayList<>(List.of(RUSTC, "--edition", "2021", "--crate-type", "lib", "--crate-name", CRATE,
                "-Cmetadata=xcfi", "-Ccodegen-units=1", "-Copt-level=1", "--emit=llvm-ir", "-A", "warnings", "-o", ll.toString()));
        cmd.addAll(flags);
        cmd.add(source.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("RUSTC_BOOTSTRAP", "1");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("rustc failed (" + String.join(" ", cmd) + "):\n" + log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String ir = Files.readString(ll);
        Files.deleteIfExists(ll);
        return ir;
    }

    /** Per function: its {@code !type} ids, {@code !kcfi_type}, and the first type test / kcfi bundle in its body. */
    static final class Functions {
        private static final Pattern FUNCTION = Pattern.compile("^(define|declare)\\b.*?@(\"[^\"]+\"|[-\\w$.]+)\\(");
        private static final Pattern ATTACHMENT = Pattern.compile("!(type|kcfi_type) !(\\d+)");
        private static final Pattern METADATA = Pattern.compile("^!(\\d+) = !\\{(.*)\\}$");
        private static final Pattern TYPE_TEST = Pattern.compile("@llvm\\.type\\.test\\(ptr [^,]*, metadata !\"([^\"]+)\"\\)");
        private static final Pattern BUNDLE = Pattern.compile("\\[ \"kcfi\"\\(i32 (-?\\d+)\\) \\]");
        private static final Pattern CRATE_ID = Pattern.compile("C(s[0-9A-Za-z]*_)(\\d+)([A-Za-z_][A-Za-z0-9_]*)");

        final Map<String, List<String>> types = new HashMap<>();
        final Map<String, String> kcfiTypes = new HashMap<>();
        final Map<String, String> calls = new HashMap<>();
        final Map<String, String> bundles = new HashMap<>();
        final Map<String, String> crates = new TreeMap<>();

        static Functions parse(String ir) {
            Functions f = new Functions();
            Map<String, List<String>> typeRefs = new HashMap<>();
            Map<String, String> kcfiRefs = new HashMap<>();
            Map<String, String> md = new HashMap<>();
            String current = null;
            for (String line : ir.split("\n")) {
                Matcher fm = FUNCTION.matcher(line);
                if (fm.find()) {
                    String name = fm.group(2).replace("\"", "");
                    Matcher a = ATTACHMENT.matcher(line);
                    List<String> refs = new ArrayList<>();
                    while (a.find()) {
                        if (a.group(1).equals("type")) refs.add(a.group(2));
                        else kcfiRefs.put(name, a.group(2));
                    }
                    typeRefs.put(name, refs);
                    current = fm.group(1).equals("define") ? name : null;
                    continue;
                }
                if (line.startsWith("}")) current = null;
                if (current != null) {
                    Matcher t = TYPE_TEST.matcher(line);
                    if (t.find()) f.calls.putIfAbsent(current, t.group(1));
                    Matcher b = BUNDLE.matcher(line);
                    if (b.find()) f.bundles.putIfAbsent(current, b.group(1));
                }
                Matcher m = METADATA.matcher(line);
                if (m.matches()) md.put(m.group(1), m.group(2));
            }
            for (var e : typeRefs.entrySet()) {
                List<String> ids = new ArrayList<>();
                for (String ref : e.getValue()) {
                    String body = md.get(ref);
                    int q = body.indexOf("!\"");
                    if (q >= 0) ids.add(body.substring(q + 2, body.lastIndexOf('"')));
                }
                if (!ids.isEmpty()) f.types.put(e.getKey(), ids);
            }
            for (var e : kcfiRefs.entrySet()) {
                String body = md.get(e.getValue()).trim();
                f.kcfiTypes.put(e.getKey(), body.substring(body.indexOf(' ') + 1));
            }
            for (String body : md.values()) f.crates(body);
            for (String id : f.calls.values()) f.crates(id);
            return f;
        }

        /** The crates an id names, with their disambiguators; the search goes on right after each crate's name (an id may name several). */
        private void crates(String id) {
            Matcher c = CRATE_ID.matcher(id);
            for (int from = 0; from < id.length() && c.find(from); ) {
                int len = Integer.parseInt(c.group(2));
                if (c.group(3).length() >= len) crates.put(c.group(3).substring(0, len), c.group(1));
                from = c.start(3) + Math.min(len, c.group(3).length());
            }
        }

        /** The function's id for the mode: the one whose suffixes are exactly the mode's. */
        String typeFor(String name, CfiMode mode) {
            for (String id : types.getOrDefault(name, List.of())) {
                if (CfiMode.ofSuffixes(id).equals(mode) && !id.contains(".normalized.generalized.")) return id;
            }
            return null;
        }
    }
}
