package dev.xcfi.encoding.golden;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.CrossDsoId;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.Target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference: runs clang-22 on a header and reads, for every function it declares, the ids
 * clang really emits — {@code !type} strings (plain, {@code .generalized}, normalized variants), the
 * cross-DSO numbers, and {@code !kcfi_type} hashes — from the textual IR. Nothing here uses xcfi's
 * own encoder or parser: function names come from clang's AST.
 *
 * <p>Declarations only reach IR when used, so a generated translation unit takes every function's
 * address. Cross-DSO ids come from declarations too: with non-canonical jump tables clang gives
 * declarations the numeric {@code !type} entry it otherwise gives only to definitions.
 */
public final class ClangOracle {
    public static final String CLANG = System.getenv().getOrDefault("XCFI_CLANG", "clang-22");

    private final Target target;
    private final List<Path> includeDirs;
    private final Path work;

    public ClangOracle(Target target, List<Path> includeDirs, Path work) {
        this.target = target;
        this.includeDirs = includeDirs;
        this.work = work;
    }

    public static boolean available() {
        try {
            Process p = new ProcessBuilder(CLANG, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Golden rows for functions {@code header} declares anywhere in what it includes (system
     * headers too): {@link #functionNames} lists only the main file's, so each of {@code names} is
     * redeclared there with clang's own type ({@code __typeof__(f) f;}).
     */
    public Map<CfiMode, List<GoldenRow>> rowsOfIncluded(Path header, java.util.Collection<String> names, KcfiHash hash) throws IOException {
        java.util.Set<String> declared = new java.util.LinkedHashSet<>(names);
        Path main = work.resolve("redeclared-" + target.shortName() + ".h");
        while (true) {
            StringBuilder redeclared = new StringBuilder("#include \"" + header.toAbsolutePath() + "\"\n");
            // (#undef: a header may declare a function and then define its name as a macro, as Python's
            // abstract.h does PyObject_Length; xcfi's row is the declaration's)
            for (String n : declared) redeclared.append("#undef ").append(n).append("\n__typeof__(").append(n).append(") ").append(n).append(";\n");
            Files.writeString(main, redeclared);
            try {
                return rows(main, hash);
            } catch (IOException e) {
                // names clang does not see (a branch xcfi's preprocessor took and clang's did not) are
                // left out once, and said: the header itself compiled when none is undeclared
                java.util.Set<String> unseen = new java.util.LinkedHashSet<>();
                Matcher m = UNDECLARED.matcher(e.getMessage());
                while (m.find()) if (declared.contains(m.group(1))) unseen.add(m.group(1));
                if (unseen.isEmpty() || !unseenByClang.isEmpty()) throw e;
                unseenByClang.addAll(unseen);
                declared.removeAll(unseen);
            }
        }
    }

    private static final Pattern UNDECLARED = Pattern.compile("redeclared-[^:]*:\\d+:\\d+: error: use of undeclared identifier '([^']+)'");

    /** The functions xcfi declared that clang did not see at all ({@link #rowsOfIncluded}). */
    public final java.util.Set<String> unseenByClang = new java.util.LinkedHashSet<>();

    /** Golden rows for {@code header} in every mode, for the KCFI hash algorithm given. */
    public Map<CfiMode, List<GoldenRow>> rows(Path header, KcfiHash hash) throws IOException {
        List<String> names = functionNames(header);
        // Two names for one symbol (glibc under _FILE_OFFSET_BITS=64: stat is asm("stat64") beside
        // stat64 itself) are one IR function, which carries the id of the declaration that created
        // it: each such name is compiled in a unit of its own round, where it is the first.
        Map<String, Map<String, Functions>> compiledFor = new HashMap<>();
        List<String> left = names;
        for (int round = 0; !left.isEmpty(); round++) {
            List<String> now = new ArrayList<>(), later = new ArrayList<>();
            java.util.Set<String> symbolsNow = new java.util.HashSet<>();
            for (String n : left) (symbolsNow.add(symbol(n)) ? now : later).add(n);
            Map<String, Functions> compiled = compileTaking(header, now, hash, round);
            for (String n : now) compiledFor.put(n, compiled);
            left = later;
        }
        Map<CfiMode, List<GoldenRow>> out = new LinkedHashMap<>();
        for (CfiMode mode : CfiMode.all()) {
            List<GoldenRow> rows = new ArrayList<>();
            boolean norm = mode.normalizeIntegers();
            for (String name : names) {
                Map<String, Functions> compiled = compiledFor.get(name);
                List<Entry> types = compiled.get("icall" + norm).types(symbol(name));
                Entry id = types.get(mode.generalizePointers() ? 1 : 0);
                String kcfi = KcfiHash.format(compiled.get("kcfi" + norm + mode.generalizePointers()).kcfi(symbol(name)));
                String xdso = "-";
                if (!mode.generalizePointers() && id.string != null) {
                    List<Entry> x = compiled.get("xdso" + norm).types(symbol(name));
                    xdso = CrossDsoId.format(x.get(x.size() - 1).number);
                }
                rows.add(new GoldenRow(name, id.string == null ? "<internal>" : id.string, kcfi, xdso));
            }
            out.put(mode, rows);
        }
        return out;
    }

    /** The IR of a unit that takes the address of each of {@code names}, in every mode clang has. */
    private Map<String, Functions> compileTaking(Path header, List<String> names, KcfiHash hash, int round) throws IOException {
        Path tu = work.resolve("oracle-" + target.shortName() + (round == 0 ? "" : "-" + round) + ".c");
        StringBuilder src = new StringBuilder("#include \"" + header.toAbsolutePath() + "\"\n");
        src.append("void *__xcfi_taken[] = {\n");
        for (String n : names) src.append("  (void *)&").append(n).append(",\n");
        src.append("};\n");
        Files.writeString(tu, src);

        Map<String, Functions> compiled = new HashMap<>();
        String hashFlag = hash == KcfiHash.FNV1A ? "-Xclang -fsanitize-kcfi-hash=FNV-1a" : "";
        for (boolean norm : new boolean[] {false, true}) {
            String n = norm ? " -Xclang -fsanitize-cfi-icall-experimental-normalize-integers" : "";
            compiled.put("icall" + norm, compile(tu, icall() + n));
            compiled.put("xdso" + norm, compile(tu, icall() + " -Xclang -fsanitize-cfi-cross-dso" + n));
            for (boolean gen : new boolean[] {false, true}) {
                String g = gen ? " -fsanitize-cfi-icall-generalize-pointers" : "";
                compiled.put("kcfi" + norm + gen, compile(tu, "-fsanitize=kcfi " + hashFlag + (norm ? " -fsanitize-cfi-icall-experimental-normalize-integers" : "") + g));
            }
        }
        return compiled;
    }

    private String icall() {
        return "-flto -fvisibility=hidden -Xclang -fsanitize=cfi-icall -Xclang -fsanitize-trap=cfi-icall";
    }

    /**
     * The functions clang sees in the header (and the user headers it includes), in source order.
     * The AST is read one top-level declaration at a time: a kernel header's dump passes 1 GB.
     */
    public List<String> functionNames(Path header) throws IOException {
        // in source order, each once (a kernel header declares tens of thousands: a set, not a list scan)
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        ObjectMapper mapper = new ObjectMapper();
        run(List.of("-fsyntax-only", "-ferror-limit=0", "-Xclang", "-ast-dump=json"), header, in -> {
            try (JsonParser json = mapper.getFactory().createParser(in).configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false)) {
                if (json.nextToken() != JsonToken.START_OBJECT) throw new IOException("clang's AST dump is not a JSON object");
                String file = "";
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    boolean inner = json.currentName().equals("inner");
                    json.nextToken();
                    if (!inner) {
                        json.skipChildren();
                        continue;
                    }
                    while (json.nextToken() == JsonToken.START_OBJECT) file = declared(mapper.readTree(json), file, names);
                }
            }
            return null;
        });
        return List.copyOf(names);
    }

    /** Adds a top-level declaration's name to {@code names} if it is a function of a user header; the file it is in (clang writes it when it changes). */
    private String declared(JsonNode d, String file, java.util.Set<String> names) {
        JsonNode loc = d.path("loc").has("expansionLoc") ? d.path("loc").path("expansionLoc") : d.path("loc");
        if (loc.has("file")) file = loc.get("file").asText();
        if (!d.path("kind").asText().equals("FunctionDecl") || d.path("isImplicit").asBoolean()) return file;
        if (file.startsWith("/usr/") || file.startsWith("<")) return file;
        String name = d.path("name").asText();
        names.add(name);
        // a declaration renamed by an asm label (glibc: fscanf is __isoc99_fscanf) is that symbol in the IR
        for (JsonNode attr : d.path("inner")) {
            if (attr.path("kind").asText().equals("AsmLabelAttr")) symbols.put(name, d.path("mangledName").asText(name).replace("\u0001", ""));
        }
        return file;
    }

    /** The IR symbols of the functions {@link #functionNames} met under another name. */
    private final Map<String, String> symbols = new HashMap<>();

    private String symbol(String name) {
        return symbols.getOrDefault(name, name);
    }

    /**
     * clang's predefined macros for this target, sorted: {@code -dM -E} of an empty file, hosted
     * (as a user compiles) and without system folders, so that no host file (glibc's
     * {@code stdc-predef.h}) adds to them.
     */
    public static String predefinedMacros(Target target) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(CLANG));
        cmd.addAll(targetFlags(target));
        cmd.addAll(List.of("-nostdlibinc", "-dM", "-E", "-x", "c", "/dev/null"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("clang -dM failed for " + target + ":\n" + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out.lines().sorted().collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    /**
     * Names that may be clang's builtins: every {@code __builtin_…}, {@code __sync_…},
     * {@code __atomic_…} and {@code __c11_atomic_…} spelling in the installed libclang-cpp (its
     * builtin tables are strings there), sorted.
     */
    static List<String> builtinCandidates() throws IOException {
        Process p = new ProcessBuilder("llvm-config-22", "--libdir").redirectErrorStream(true).start();
        Path libdir = Path.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        Path library;
        try (var files = Files.list(libdir)) {
            library = files.filter(f -> f.getFileName().toString().startsWith("libclang-cpp.so")).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no libclang-cpp.so in " + libdir + " (apt-get install libclang-cpp22)"));
        }
        byte[] bytes = Files.readAllBytes(library);
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        Pattern builtin = Pattern.compile("__(builtin|sync|atomic|c11_atomic)_[A-Za-z0-9_]+");
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] < 0x21 || bytes[i] > 0x7e) {
                if (i - start > 8) {
                    String run = new String(bytes, start, i - start, StandardCharsets.US_ASCII);
                    if (builtin.matcher(run).matches()) names.add(run);
                }
                start = i + 1;
            }
        }
        return new ArrayList<>(names);
    }

    /** Which of {@code candidates} clang's {@code __has_builtin} answers 1 for on this target, sorted. */
    java.util.TreeSet<String> builtins(List<String> candidates) throws IOException {
        StringBuilder probe = new StringBuilder();
        for (String c : candidates) probe.append("#if __has_builtin(").append(c).append(")\nHAS ").append(c).append("\n#endif\n");
        Path file = work.resolve("builtins-" + target.shortName() + ".h");
        Files.writeString(file, probe);
        String out = run(List.of("-E", "-P"), file, "the builtin probe");
        java.util.TreeSet<String> has = new java.util.TreeSet<>();
        for (String line : out.lines().toList()) if (line.startsWith("HAS ")) has.add(line.substring(4).strip());
        return has;
    }

    private Functions compile(Path tu, String flags) throws IOException {
        List<String> f = new ArrayList<>(List.of("-S", "-emit-llvm", "-o", "-"));
        for (String s : flags.trim().split("\\s+")) if (!s.isEmpty()) f.add(s);
        return Functions.parse(run(f, tu, flags));
    }

    /** clang's options for {@code target}: its triple, and {@code -fshort-wchar} for a target {@link Target#withShortWchar} made. */
    public static List<String> targetFlags(Target target) {
        boolean shortWchar = target.standardTypedefs().get("wchar_t") != Target.of(target.triple()).standardTypedefs().get("wchar_t");
        return shortWchar ? List.of("--target=" + target.triple(), "-fshort-wchar") : List.of("--target=" + target.triple());
    }

    private String run(List<String> flags, Path input, String what) throws IOException {
        return run(flags, input, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    private interface OutputReader<T> {
        T read(InputStream clangOutput) throws IOException;
    }

    private <T> T run(List<String> flags, Path input, OutputReader<T> reader) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(CLANG));
        cmd.addAll(targetFlags(target));
        cmd.addAll(List.of("-ffreestanding", "-nostdlibinc", "-w", "-isystem", Fixtures.root().resolve("fixtures/c/sysroot").toString()));
        for (Path i : includeDirs) cmd.add("-I" + i);
        cmd.addAll(flags);
        cmd.add(input.toString());
        Path err = Files.createTempFile(work, "clang", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        T out;
        try (InputStream in = p.getInputStream()) {
            out = reader.read(in);
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("clang failed (" + String.join(" ", cmd) + "):\n" + Files.readString(err));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(err);
        }
        return out;
    }

    /** One {@code !type} operand: a string id, a distinct node (string == null, number == null) or a number. */
    record Entry(String string, Long number) {}

    /** The ids attached to each function of one IR module. */
    static final class Functions {
        private static final Pattern FUNCTION = Pattern.compile("^(?:declare|define)\\b(.*?)@(\"[^\"]+\"|[-\\w$.]+)\\(");
        private static final Pattern ATTACHMENT = Pattern.compile("!(type|kcfi_type) !(\\d+)");
        private static final Pattern METADATA = Pattern.compile("^!(\\d+) = (distinct )?!\\{(.*)\\}$");

        final Map<String, List<String>> typeRefs = new HashMap<>();
        final Map<String, String> kcfiRef = new HashMap<>();
        final Map<String, String> metadata = new HashMap<>();

        static Functions parse(String ir) {
            Functions f = new Functions();
            for (String line : ir.split("\n")) {
                Matcher m = FUNCTION.matcher(line);
                if (m.find()) {
                    // Windows decorates some conventions: @"\01f@@56" (vectorcall), @"\01@f@8" (fastcall).
                    String name = unescaped(m.group(2).replace("\"", "")).replace("\u0001", "").replaceAll("@+\\d+$", "").replaceAll("^@", "");
                    Matcher a = ATTACHMENT.matcher(line);
                    List<String> types = new ArrayList<>();
                    while (a.find()) {
                        if (a.group(1).equals("type")) types.add(a.group(2));
                        else f.kcfiRef.put(name, a.group(2));
                    }
                    f.typeRefs.put(name, types);
                    continue;
                }
                Matcher md = METADATA.matcher(line);
                if (md.matches()) f.metadata.put(md.group(1), (md.group(2) == null ? "" : "distinct ") + md.group(3));
            }
            return f;
        }

        List<Entry> types(String name) {
            List<Entry> out = new ArrayList<>();
            for (String ref : typeRefs.getOrDefault(name, List.of())) {
                String body = metadata.get(ref);
                String operand = body.substring(body.indexOf(',') + 1).trim();
                if (operand.startsWith("!\"")) out.add(new Entry(unescaped(operand.substring(2, operand.length() - 1)), null));
                else if (operand.startsWith("i64 ")) out.add(new Entry(null, Long.parseLong(operand.substring(4))));
                else out.add(new Entry(null, null));   // !N pointing at distinct !{}
            }
            if (out.isEmpty()) throw new IllegalStateException("clang attached no !type to " + name);
            return out;
        }

        /** An IR string or name as written ({@code caf\\C3\\A9}: bytes beyond ASCII as {@code \\XX}), as UTF-8 text. */
        static String unescaped(String ir) {
            if (ir.indexOf('\\') < 0) return ir;
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < ir.length(); i++) {
                char c = ir.charAt(i);
                if (c == '\\' && i + 1 < ir.length() && ir.charAt(i + 1) == '\\') {
                    bytes.write('\\');
                    i++;
                } else if (c == '\\' && i + 2 < ir.length()) {
                    bytes.write(Integer.parseInt(ir, i + 1, i + 3, 16));
                    i += 2;
                } else {
                    bytes.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        }

        int kcfi(String name) {
            String ref = kcfiRef.get(name);
            if (ref == null) throw new IllegalStateException("clang attached no !kcfi_type to " + name);
            String body = metadata.get(ref).trim();
            return (int) Long.parseLong(body.substring(body.indexOf(' ') + 1));
        }
    }

}
