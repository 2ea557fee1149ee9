package dev.xcfi.verify.cli;

import dev.xcfi.encoding.CTypePrinter;
import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.encoding.HashedTypeId;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.rust.EncodedRustDeclaration;
import dev.xcfi.encoding.rust.RustTypePrinter;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.types.Target;
import dev.xcfi.verify.check.HashUsers;
import dev.xcfi.verify.report.PrintableText;
import dev.xcfi.verify.facts.ModuleFacts;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which of a code base's function types a KCFI hash is: a kernel's trap report says only
 * {@code expected type: 0x…}. Every function, function or function-pointer typedef and
 * function-pointer member the headers (or sources) name is hashed as clang hashes it, every
 * {@code fn}, {@code extern} fn, fn-pointer {@code type} and fn-pointer field of Rust sources as
 * rustc does, and the
 * ones that match are printed; in bitcode (LTO objects, archives, objects with embedded
 * bitcode), the functions that carry it and the checked calls that expect it ({@link HashUsers}).
 */
final class WhichCommand implements Command {
    private final CommandModel model = new CommandModel("which",
            "Name the function types in C headers or sources whose KCFI hash is HASH (as a KCFI trap reports 'expected type: 0x...').",
            "Rows: hash<TAB>kind<TAB>name<TAB>type_id<TAB>file:line<TAB>C type, kind function, typedef or member; from bitcode also carried-by "
                    + "(a function defined with the hash), declaration (a module declares the function with it) and expected-by (a checked call in "
                    + "the function named), the id and place where known (else -); "
                    + "a hash nothing has is hash<TAB>-, exit status 1.");
    private final TargetOptions ids = new TargetOptions(model);
    private final PreprocessorOptions preprocessor = new PreprocessorOptions(model);
    private final CrateOptions crates = new CrateOptions(model);
    private final CommandModel.Option<List<String>> operands = model.operands("HASH|FILE", String::valueOf,
            "KCFI hashes (0x followed by up to 8 hex digits), and the C headers or sources, Rust sources (.rs), or bitcode files, to look in.");

    /** The hashes looked for, in the order given; those a row was printed for; where rows go. */
    private final java.util.Set<Integer> hashes = new java.util.LinkedHashSet<>(), found = new java.util.HashSet<>();
    private PrintWriter out;

    private static String kind(HashUsers.Role role) {
        return switch (role) {
            case CARRIED -> "carried-by";
            case DECLARED -> "declaration";
            case EXPECTED -> "expected-by";
        };
    }

    @Override
    public CommandModel model() {
        return model;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        Target t = ids.target();
        CfiMode mode = ids.mode();
        KcfiHash algorithm = ids.kcfiHash();
        List<HeaderParser.Input> inputs = new ArrayList<>();
        preprocessor.commandLineMacros().ifPresent(inputs::add);
        List<ModuleFacts> modules = new ArrayList<>();
        List<String> rustFiles = new ArrayList<>();
        boolean sources = false, unreadable = false;
        for (String operand : operands.value()) {
            if (operand.matches("0[xX][0-9a-fA-F]{9,}")) throw new IllegalArgumentException(operand + " is not a KCFI hash: those are 32 bits (up to 8 hex digits)");
            if (operand.matches("0[xX][0-9a-fA-F]{1,8}")) {
                hashes.add(Integer.parseUnsignedInt(operand.substring(2), 16));
                continue;
            }
            // one file that cannot be read is said and passed over: the others are still looked in (status 2)
            try {
                if (operand.endsWith(".rs")) {
                    rustFiles.add(operand);
                } else if (!operand.equals("-") && looksLikeBitcode(Path.of(operand))) {
                    modules.addAll(VerifyCommand.modulesOf(Path.of(operand)));
                } else {
                    inputs.add(EncodeCommand.read(operand));
                    sources = true;
                }
            } catch (IOException e) {
                err.println("xcfi: " + e.getMessage());
                unreadable = true;
            }
        }
        if (hashes.isEmpty()) throw new IllegalArgumentException("give at least one KCFI hash (0x...) to look for");
        if (unreadable && !sources && modules.isEmpty() && rustFiles.isEmpty()) return Main.USAGE;
        if (!sources && modules.isEmpty() && rustFiles.isEmpty()) {
            throw new IllegalArgumentException("give at least one C header or source, Rust source, or bitcode file, to look in");
        }
        if (!rustFiles.isEmpty() && algorithm != KcfiHash.XXHASH64) throw new IllegalArgumentException("rustc always uses xxHash64 for KCFI");
        this.out = out;
        List<SyntaxException> errors = new ArrayList<>();
        if (sources) {
            List<HeaderParser.NamedFunctionType> types = HeaderParser.functionTypes(t, preprocessor.includeDirs(), inputs, errors);
            for (SyntaxException e : errors) err.println(e.diagnostic());
            cRows(types, ClangEncoder.of(t), mode, algorithm);
        }
        if (!rustFiles.isEmpty()) {
            EncodeCommand.RustEncoded rust = EncodeCommand.encodeRust(t, mode, rustFiles, crates, err);
            unreadable |= rust.unreadable();
            for (SyntaxException e : rust.parsed().errors()) err.println(e.diagnostic());
            errors.addAll(rust.parsed().errors());
            rustRows(rust);
        }
        for (HashUsers.Use use : HashUsers.of(new ArrayList<>(hashes), modules)) {
            row(use.hash(), kind(use.role()), use.symbol(), use.id().orElse("-"),
                    use.source().isKnown() ? use.source().toString() : use.module(), use.decoded().isEmpty() ? "-" : use.decoded());
        }
        for (int h : hashes) if (!found.contains(h)) out.println(KcfiHash.format(h) + "\t-");
        if (unreadable) return Main.USAGE;
        return found.size() == hashes.size() && errors.isEmpty() ? Main.OK : Main.INPUT_ERRORS;
    }

    /** The C declarations with one of the hashes: functions, typedefs and members as clang hashes them. */
    private void cRows(List<HeaderParser.NamedFunctionType> types, ClangEncoder clang, CfiMode mode, KcfiHash algorithm) {
        for (HeaderParser.NamedFunctionType named : types) {
            HashedTypeId id;
            try {
                id = clang.encode(named.type(), mode, algorithm);
            } catch (RuntimeException e) {
                continue;   // a type the target does not have: no hash
            }
            if (!hashes.contains(id.kcfi())) continue;
            row(id.kcfi(), named.kind().name().toLowerCase(Locale.ROOT), named.name(), id.id().string() == null ? "<internal>" : id.id().string(),
                    named.location().file() + ":" + named.location().line(),
                    CTypePrinter.print(named.type()) + (id.id().salt().isEmpty() ? "" : " (salt \"" + id.id().salt() + "\", hashed as part of the id)"));
        }
    }

    /** The Rust declarations and fields with one of the hashes, in source order (fields among the items). */
    private void rustRows(EncodeCommand.RustEncoded rust) {
        List<EncodedRustDeclaration> all = new ArrayList<>(rust.rows());
        all.addAll(rust.members());
        all.sort(java.util.Comparator.comparing((EncodedRustDeclaration r) -> r.declaration().location().file())
                .thenComparingInt(r -> r.declaration().location().line()));
        for (EncodedRustDeclaration r : all) {
            if (!r.ok() || !hashes.contains(r.kcfi())) continue;
            String kind = switch (r.declaration().kind()) {
                case FN_POINTER_TYPE -> "typedef";
                case MEMBER -> "member";
                case FN, EXTERN_FN -> "function";
            };
            row(r.kcfi(), kind, r.name(), r.id().value(), r.declaration().location().file() + ":" + r.declaration().location().line(),
                    RustTypePrinter.print(r.declaration().signature()));
        }
    }

    /** One row: hash, kind, name, type id, place, type. */
    private void row(int hash, String kind, String name, String id, String place, String type) {
        found.add(hash);
        // names, ids and places come from the inputs: a tab or line break in one must not make another row, an ESC not reach the terminal
        out.println(KcfiHash.format(hash) + "\t" + kind + "\t" + PrintableText.field(name) + "\t" + PrintableText.field(id) + "\t"
                + PrintableText.field(place) + "\t" + PrintableText.field(type));
    }

    /** Bitcode, an archive or an object (which may embed bitcode), by their first bytes; anything else is read as C. */
    private static boolean looksLikeBitcode(Path p) throws IOException {
        if (java.nio.file.Files.isDirectory(p)) throw new IOException("cannot read '" + p + "': it is a folder (give the files in it)");
        byte[] head = new byte[4];
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) {
            int n = in.readNBytes(head, 0, 4);
            if (n < 4) return false;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;   // reported as a C input that cannot be read
        }
        int b0 = head[0] & 0xff, b1 = head[1] & 0xff, b2 = head[2] & 0xff, b3 = head[3] & 0xff;
        return (b0 == 'B' && b1 == 'C') || (b0 == 0xde && b1 == 0xc0 && b2 == 0x17 && b3 == 0x0b)   // bitcode, wrapped bitcode
                || (b0 == '!' && b1 == '<')                                                      // ar archive
                || (b0 == 0x7f && b1 == 'E' && b2 == 'L' && b3 == 'F')                            // ELF
                || ((b0 == 0xcf || b0 == 0xce) && b1 == 0xfa && b2 == 0xed && b3 == 0xfe)        // Mach-O
                || (b0 == 0x64 && b1 == 0x86) || (b0 == 0x64 && b1 == 0xaa);                      // COFF x86-64, ARM64
    }
}
