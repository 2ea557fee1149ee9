package dev.xcfi.verify.cli;

import dev.xcfi.encoding.source.SyntaxException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xcfi.encoding.CTypePrinter;
import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;

import dev.xcfi.encoding.c.DeclarationEncoder;
import dev.xcfi.encoding.c.EncodedDeclaration;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.rust.EncodedRustDeclaration;
import dev.xcfi.encoding.rust.ParsedRust;
import dev.xcfi.encoding.rust.RustDeclarationEncoder;
import dev.xcfi.encoding.rust.RustParser;
import dev.xcfi.encoding.rust.RustTypePrinter;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.encoding.c.ParsedHeader;
import dev.xcfi.types.Target;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

final class EncodeCommand implements Command {
    private final CommandModel model = new CommandModel("encode",
            "Print the CFI type id, KCFI hash and cross-DSO id of every function declared in C headers, exactly as clang 22 emits them for the target and mode.",
            "Rows: name<TAB>type_id<TAB>kcfi<TAB>cross_dso, in input order; a declaration the target cannot take is name<TAB>-<TAB>-<TAB>-<TAB>error: why (exit status 1).");
    private final CommandModel.Option<String> lang = model.option("--lang", "LANG", null, String::valueOf, "Input language: c or rust (default: rust when every file is a .rs file, else c).");
    private final CrateOptions crates = new CrateOptions(model);
    private final TargetOptions ids = new TargetOptions(model);
    private final CommandModel.Option<Format> format = model.choice("--format", "FORMAT", Format.class, Format.tsv, "tsv (default), json or text.");
    private final PreprocessorOptions preprocessor = new PreprocessorOptions(model);
    private final CommandModel.Option<List<String>> files = model.operands("FILE", String::valueOf, "C headers (Rust sources with --lang rust), or - for standard input.");

    @Override
    public CommandModel model() {
        return model;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        Target t = ids.target();
        CfiMode mode = ids.mode();
        String language = lang.value() != null ? lang.value() : languageOf(files.value());
        if (language.equals("rust")) return rust(t, mode, out, err);
        if (!language.equals("c")) throw new IllegalArgumentException("--lang must be c or rust, not '" + language + "'");
        KcfiHash hash = ids.kcfiHash();
        List<HeaderParser.Input> inputs = new ArrayList<>();
        preprocessor.commandLineMacros().ifPresent(inputs::add);
        boolean unreadable = false;
        for (String f : files.value()) {
            HeaderParser.Input in = readOrSay(f, err);
            if (in != null) inputs.add(in);
            else unreadable = true;
        }
        DeclarationEncoder encoder = new DeclarationEncoder(t, mode, hash);
        Format f = format.value();
        boolean bad;
        if (f == Format.tsv) {
            try (TsvRows rows = new TsvRows(encoder, out)) {
                List<SyntaxException> errors = HeaderParser.parse(t, preprocessor.includeDirs(), inputs, rows);
                boolean badRows = rows.finish();
                for (SyntaxException e : errors) err.println(e.diagnostic());
                bad = !errors.isEmpty() || badRows;
            }
        } else {
            ParsedHeader parsed = HeaderParser.parse(t, preprocessor.includeDirs(), inputs);
            List<EncodedDeclaration> rows = encoder.encodeAll(parsed.functions());
            for (SyntaxException e : parsed.errors()) err.println(e.diagnostic());
            if (f == Format.text) text(out, rows, t, mode, hash);
            else json(out, rows, parsed.errors(), t, mode, hash);
            bad = !parsed.errors().isEmpty() || rows.stream().anyMatch(r -> !r.ok());
        }
        return unreadable ? Main.USAGE : bad ? Main.INPUT_ERRORS : Main.OK;
    }

    private int rust(Target t, CfiMode mode, PrintWriter out, PrintWriter err) throws IOException {
        if (ids.kcfiHash() != KcfiHash.XXHASH64) throw new IllegalArgumentException("rustc always uses xxHash64 for KCFI");
        List<String> files = this.files.value();
        RustEncoded encoded = encodeRust(t, mode, files, crates, err);
        String crate = encoded.crate();
        ParsedRust parsed = encoded.parsed();
        List<EncodedRustDeclaration> rows = encoded.rows();
        for (SyntaxException e : parsed.errors()) err.println(e.diagnostic());
        switch (format.value()) {
            case tsv -> rows.forEach(r -> out.println(r.tsv()));
            case text -> {
                out.println("# " + t.shortName() + ", " + mode.label() + " ids (rustc 1.95), crate " + crate);
                for (EncodedRustDeclaration r : rows) {
                    out.println(r.name() + ": " + RustTypePrinter.print(r.declaration().signature()) + "   (" + r.declaration().location() + ")");
                    out.println(r.ok() ? "  type id    " + r.id().value() + "\n  kcfi       " + KcfiHash.format(r.kcfi()) : "  error      " + r.error());
                }
            }
            case json -> {
                ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                ObjectNode root = json.createObjectNode();
                root.put("target", t.shortName());
                root.put("crate", crate);
                root.put("normalizeIntegers", mode.normalizeIntegers());
                root.put("generalizePointers", mode.generalizePointers());
                ArrayNode fns = root.putArray("functions");
                for (EncodedRustDeclaration r : rows) {
                    ObjectNode o = fns.addObject();
                    o.put("name", r.name());
                    o.put("kind", r.declaration().kind().name().toLowerCase(java.util.Locale.ROOT));
                    o.put("location", r.declaration().location().toString());
                    o.put("rust", RustTypePrinter.print(r.declaration().signature()));
                    if (r.ok()) {
                        o.put("typeId", r.id().value());
                        o.put("kcfi", KcfiHash.format(r.kcfi()));
                    } else {
                        o.put("error", r.error());
                    }
                }
                ArrayNode errs = root.putArray("errors");
                for (SyntaxException e : parsed.errors()) errs.addObject().put("location", e.location().toString()).put("message", e.getMessage());
                out.println(json.writeValueAsString(root));
            }
        }
        if (encoded.unreadable()) return Main.USAGE;
        return !parsed.errors().isEmpty() || rows.stream().anyMatch(r -> !r.ok()) ? Main.INPUT_ERRORS : Main.OK;
    }

    /** Without --lang: Rust when every file is a {@code .rs} file, C otherwise (headers, sources, standard input). */
    private static String languageOf(List<String> files) {
        boolean anyRust = false, allRust = true;
        for (String f : files) {
            boolean rs = f.endsWith(".rs");
            anyRust |= rs;
            allRust &= rs;
        }
        if (anyRust && !allRust) throw new IllegalArgumentException("give Rust sources and C headers in separate runs (or say which with --lang)");
        return allRust ? "rust" : "c";
    }

    /**
     * Rust sources' declarations as rustc encodes them: the crate they were read as, what was
     * parsed, the rows and the fn-pointer fields' rows; {@code unreadable}: some file could not be
     * read (said on err; the others were encoded).
     */
    record RustEncoded(String crate, ParsedRust parsed, List<EncodedRustDeclaration> rows, List<EncodedRustDeclaration> members, boolean unreadable) {}

    /**
     * Parses and encodes Rust sources ({@code encode --lang rust}, {@code which} on {@code .rs}
     * files): the crate is the one named or the first file's; crate disambiguators are rustc
     * 1.95's for core and alloc, then those given, then those the rustc named reports (said on
     * {@code err}; without them, ids that name the crate are error rows).
     */
    static RustEncoded encodeRust(Target t, CfiMode mode, List<String> files, CrateOptions options, PrintWriter err) throws IOException {
        String crateName = options.crateName(), rustc = options.rustc();
        List<RustParser.Source> sources = new ArrayList<>();
        boolean unreadable = false;
        for (String f : files) {
            HeaderParser.Input in = readOrSay(f, err);
            if (in != null) sources.add(new RustParser.Source(in.name(), in.text()));
            else unreadable = true;
        }
        String crate = crateName != null ? crateName : defaultCrateName(files.get(0));
        Map<String, String> known = new HashMap<>(RustStd.RUSTC_1_95_CRATES);
        known.putAll(options.crates());
        if (!known.containsKey(crate) && !sources.isEmpty()) {
            try {
                Map<String, String> learned = RustcProbe.disambiguators(rustc, crate);
                learned.keySet().retainAll(java.util.Set.of(crate, "core", "alloc", "std"));
                learned.forEach(known::putIfAbsent);
                err.println("xcfi: crate disambiguators learned from " + rustc + ": " + learned);
            } catch (IOException e) {
                err.println("xcfi: could not learn crate disambiguators from '" + rustc + "' (" + e.getMessage().lines().findFirst().orElse("")
                        + "); ids that name crate '" + crate + "' will be error rows — pass --crate " + crate + "=…");
            }
        }
        ParsedRust parsed = RustParser.parse(t, crate, sources);
        RustDeclarationEncoder encoder = new RustDeclarationEncoder(t, known, mode);
        return new RustEncoded(crate, parsed, encoder.encodeAll(parsed.declarations()), encoder.encodeAll(parsed.members()), unreadable);
    }

    /** rustc's default crate name: the file name without extension, '-' as '_'. */
    private static String defaultCrateName(String file) {
        if (file.equals("-")) return "main";
        String n = Path.of(file).getFileName().toString();
        return (n.endsWith(".rs") ? n.substring(0, n.length() - 3) : n).replace('-', '_');
    }

    /**
     * The file, or null when it cannot be read, which is said on {@code err}: one unreadable file
     * does not stop the others (the command then ends with status 2).
     */
    static HeaderParser.Input readOrSay(String f, PrintWriter err) {
        try {
            return read(f);
        } catch (IOException e) {
            err.println("xcfi: " + e.getMessage());
            return null;
        }
    }

    static HeaderParser.Input read(String f) throws IOException {
        if (f.equals("-")) {
            try {
                return new HeaderParser.Input("<stdin>", HeaderParser.Input.text(System.in), Path.of("").toAbsolutePath());
            } catch (IOException e) {
                throw new IOException("cannot read standard input: " + e.getMessage());
            }
        }
        Path p = Path.of(f);
        if (java.nio.file.Files.isDirectory(p)) throw new IOException("cannot read '" + f + "': it is a folder (give the files in it)");
        try {
            return HeaderParser.Input.of(p);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read '" + f + "': no such file");
        } catch (IOException e) {
            throw new IOException("cannot read '" + f + "': " + e.getMessage());
        }
    }

    private static void text(PrintWriter out, List<EncodedDeclaration> rows, Target t, CfiMode mode, KcfiHash hash) {
        out.println("# " + t.shortName() + ", " + mode.label() + " ids, KCFI " + hash.flagValue());
        for (EncodedDeclaration r : rows) {
            out.println(r.name() + ": " + CTypePrinter.declaration(r.declaration().type(), r.name()) + "   (" + r.declaration().location() + ")");
            if (!r.ok()) {
                out.println("  error      " + r.error());
            } else {
                out.println("  type id    " + r.id().value() + (r.id().internal() ? "  (no linkage: clang emits a distinct node)" : ""));
                out.println("  kcfi       " + KcfiHash.format(r.kcfi()) + (r.id().salt().isEmpty() ? "" : "  (salt \"" + r.id().salt() + "\")"));
                out.println("  cross-DSO  " + r.crossDsoText());
            }
        }
    }

    private static void json(PrintWriter out, List<EncodedDeclaration> rows, List<SyntaxException> errors, Target t, CfiMode mode, KcfiHash hash)
            throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("target", t.shortName());
        root.put("normalizeIntegers", mode.normalizeIntegers());
        root.put("generalizePointers", mode.generalizePointers());
        root.put("kcfiHash", hash.flagValue());
        ArrayNode fns = root.putArray("functions");
        for (EncodedDeclaration r : rows) {
            ObjectNode o = fns.addObject();
            o.put("name", r.name());
            o.put("location", r.declaration().location().toString());
            o.put("c", CTypePrinter.declaration(r.declaration().type(), r.name()));
            if (r.ok()) {
                o.put("typeId", r.id().value());
                o.put("internal", r.id().internal());
                o.put("kcfiInput", r.id().kcfiInput());
                o.put("kcfi", KcfiHash.format(r.kcfi()));
                if (r.id().crossDso().isPresent()) o.put("crossDso", r.crossDsoText());
                else o.putNull("crossDso");
            } else {
                o.put("error", r.error());
            }
        }
        ArrayNode errs = root.putArray("errors");
        for (SyntaxException e : errors) {
            ObjectNode o = errs.addObject();
            o.put("location", e.location().toString());
            o.put("message", e.getMessage());
        }
        out.println(json.writeValueAsString(root));
    }
}
