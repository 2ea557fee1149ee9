package dev.xcfi.verify.cli;

import dev.xcfi.verify.bitcode.BitcodeArchive;
import dev.xcfi.verify.bitcode.BitcodeException;
import dev.xcfi.verify.bitcode.BitcodeFile;
import dev.xcfi.verify.bitcode.BitcodeReader;
import dev.xcfi.verify.bitcode.EmbeddedBitcode;
import dev.xcfi.verify.bitcode.UnsupportedBitcodeException;
import dev.xcfi.verify.check.Finding;
import dev.xcfi.verify.check.Verifier;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.llvm.LibLlvmLocator;
import dev.xcfi.verify.llvm.LlvmReader;
import dev.xcfi.verify.llvm.SupervisedReader;
import dev.xcfi.verify.report.Baseline;
import dev.xcfi.verify.report.JsonReport;
import dev.xcfi.verify.report.Report;
import dev.xcfi.verify.report.SarifReport;
import dev.xcfi.verify.report.TextReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

final class VerifyCommand implements Command {
    enum ReportFormat { text, json, sarif }

    /** The least severe finding that fails the run (exit 1). */
    enum FailOn { error, warning }

    enum Reader { auto, java, llvm }

    private final CommandModel model = new CommandModel("verify",
            "Read the bitcode of every module that will be linked together (clang's and rustc's) and report the declarations, callbacks and scheme flags that will make an indirect call trap.",
            "Exit status: 2 if an input could not be read (the rest is still reported), else 1 if any error finding (or warning, with --fail-on warning), else 0.");
    private final CommandModel.Option<ReportFormat> format = model.choice("--format", "FORMAT", ReportFormat.class, ReportFormat.text,
            "text (default), json, or sarif (SARIF 2.1.0 for code scanning)");
    private final CommandModel.Option<Reader> reader = model.choice("--reader", "READER", Reader.class, Reader.auto,
            "auto (default): the pure-Java reader, libLLVM for .ll files and bitcode it does not read (LLVM outside 15..22);",
            "java: the pure-Java reader only (no native code); llvm: libLLVM in a supervised worker process");
    private final CommandModel.Option<Path> libllvm = model.option("--libllvm", "PATH", null, Path::of,
            "the libLLVM shared library to use (else $XCFI_LIBLLVM, then what llvm-config reports, Debian's, rustup's)");
    private final CommandModel.Option<FailOn> failOn = model.choice("--fail-on", "SEVERITY", FailOn.class, FailOn.error,
            "error (default): exit 1 on error findings; warning: on warnings too (a check no function passes traps every call through it)");
    private final CommandModel.Option<Path> baseline = model.option("--baseline", "FILE", null, Path::of,
            "a JSON report of an earlier run (--format json): the findings it has are counted, not shown, and do not fail the run");
    private final CommandModel.Option<List<Path>> paths = model.operands("FILE|DIR", Path::of,
            ".bc/.ll files, objects and archives with bitcode, folders searched for them, or - for one module on standard input");

    /** {@code -} among the operands: one module read from standard input, reported as {@code <stdin>}. */
    private static final Path STANDARD_INPUT = Path.of("-"), STDIN = Path.of("<stdin>");

    @Override
    public CommandModel model() {
        return model;
    }

    /** What became of one file: its facts and the reader that produced them, or why it was not read. */
    sealed interface Outcome {
        /**
         * Read, perhaps in part: an archive's members that could not be read are {@code memberErrors},
         * those the Java reader leaves to libLLVM under {@code auto} are {@code forLlvm}.
         */
        record Read(String reader, List<ModuleFacts> modules, List<Report.InputError> memberErrors, List<Member> forLlvm) implements Outcome {
            Read(String reader, List<ModuleFacts> modules) {
                this(reader, modules, List.of(), List.of());
            }
        }

        /**
         * An archive member for libLLVM: its name ({@code lib.a(old.o)}), bytes, why the Java reader
         * left it, and whether it was embedded in a native object (see {@link ModuleFacts#embedded}).
         */
        record Member(String name, byte[] bytes, String why, boolean embedded) {}

        record Failed(String message) implements Outcome {}

        /** Left for libLLVM: a .ll file, or bitcode the Java reader does not read ({@code why}). */
        record ForLlvm(String why) implements Outcome {}
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        // a baseline that cannot be used is a usage error, found before any input is read
        Path baselineFile = baseline.value();
        Optional<Baseline> accepted = baselineFile == null ? Optional.empty() : Optional.of(Baseline.read(baselineFile));
        List<Path> files = new ArrayList<>();
        List<Report.InputError> errors = new ArrayList<>();
        List<Path> operands = paths.value();
        for (Path p : operands) collect(p, files, errors);
        files = distinct(files);
        Reader reader = this.reader.value();
        java.util.Set<Path> named = new java.util.HashSet<>(operands);
        // Files are independent, and a -flto build folder holds hundreds of modules: they are read on
        // every core (one file alone keeps the caller's thread; its bodies are parallel already).
        Stream<Path> each = files.size() > 1 ? files.parallelStream() : files.stream();
        List<Outcome> results = each.map(f -> read(f, named.contains(f), reader)).toList();
        Map<Path, Outcome> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) outcomes.put(files.get(i), results.get(i));
        List<Path> forLlvm = outcomes.entrySet().stream().filter(e -> e.getValue() instanceof Outcome.ForLlvm).map(Map.Entry::getKey).toList();
        if (!forLlvm.isEmpty()) {
            if (reader == Reader.java) {
                for (Path f : forLlvm) outcomes.put(f, new Outcome.Failed(((Outcome.ForLlvm) outcomes.get(f)).why() + " (--reader auto or llvm reads it with libLLVM)"));
            } else {
                readWithLlvm(forLlvm, outcomes, reader);
            }
        }
        readMembersWithLlvm(outcomes, reader);
        List<Report.Input> inputs = new ArrayList<>();
        List<ModuleFacts> modules = new ArrayList<>();
        // instanceof rather than a pattern switch, which costs a short run milliseconds (docs/performance.md)
        outcomes.forEach((f, outcome) -> {
            if (outcome instanceof Outcome.Read read) {
                // (a native library met in a folder has no modules: not an input to report)
                if (!read.modules().isEmpty()) inputs.add(new Report.Input(f.toString(), read.reader(), read.modules()));
                modules.addAll(read.modules());
                errors.addAll(read.memberErrors());
            } else if (outcome instanceof Outcome.Failed failed) {
                errors.add(new Report.InputError(f.toString(), failed.message()));
            } else if (outcome instanceof Outcome.ForLlvm left) {
                errors.add(new Report.InputError(f.toString(), "not read: " + left.why()));
            }
        });
        // nothing read at all must not pass as a clean program; a native-only folder beside real inputs is passed over
        if (modules.isEmpty()) {
            for (Path p : operands) if (Files.isDirectory(p) && nothingReadUnder(p, outcomes)) errors.add(new Report.InputError(p.toString(), NO_BITCODE_IN_FOLDER));
        }
        List<Finding> findings = Verifier.verify(modules);
        Report report = new Report(inputs, findings, errors, accepted.map(b -> b.compare(findings)));
        out.print(switch (format.value()) {
            case text -> TextReport.render(report);
            case json -> JsonReport.render(report) + "\n";
            case sarif -> SarifReport.render(report) + "\n";
        });
        return report.exitStatus(failOn.value() == FailOn.warning);
    }

    /**
     * An empty file holds no module, whatever its name: libLLVM reads an empty {@code .ll} as an
     * empty module, and a build step that wrote nothing must not pass as a program with no findings.
     */
    private static final String EMPTY = "an empty file: no module in it (did the build step that writes it fail?)";

    /**
     * One file, as its kind says (one stat): standard input or a pipe named as a file
     * ({@code <(clang … -o -)}, a FIFO), which cannot be sized or read twice, is read once by
     * {@link #readStream}; an empty file is an error; the rest goes to its reader.
     */
    private static Outcome read(Path f, boolean named, Reader reader) {
        if (f.equals(STDIN)) return readStream(f, reader);
        java.nio.file.attribute.BasicFileAttributes a = null;
        try {
            a = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (IOException e) {
            // reading it says why
        }
        // (a file of size 0 may still have contents: /proc's and /sys's are made as they are read)
        if (a != null && (a.isOther() || a.isRegularFile() && a.size() == 0)) return readStream(f, reader);
        return reader == Reader.llvm ? new Outcome.ForLlvm("") : readInJava(f, named, reader);
    }

    /**
     * How many of a module's bodies the reader reads on one thread before sharing the rest out
     * ({@link BitcodeReader#READ_ALONE_FIRST}); the AOT training lowers it, so that its small
     * fixtures take the parallel path too and the cache holds its classes.
     */
    static int bodiesAloneFirst = BitcodeReader.READ_ALONE_FIRST;

    /** The modules of one bitcode file, archive or object, read by the pure-Java reader, or why not: for commands that look into bitcode. */
    static List<ModuleFacts> modulesOf(Path f) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Report.InputError> errors = new ArrayList<>();
        add(f, files, errors);   // a thin archive: its members' files
        if (!errors.isEmpty()) throw new IOException(errors.get(0).path() + ": " + errors.get(0).message());
        List<ModuleFacts> modules = new ArrayList<>();
        for (Path file : files) {
            Outcome outcome = readInJava(file, true, Reader.java);
            if (outcome instanceof Outcome.Read read) modules.addAll(read.modules());
            else if (outcome instanceof Outcome.Failed failed) throw new IOException(file + ": " + failed.message());
            else throw new IOException(file + ": not read: " + ((Outcome.ForLlvm) outcome).why());
        }
        return modules;
    }

    /** The pure-Java reader: in-process, since no input can crash it. {@code named}: given as an operand, not found in a folder. */
    static Outcome readInJava(Path f, boolean named, Reader reader) {
        try {
            return readInJava(f, contents(f), named, reader);
        } catch (IOException e) {
            return new Outcome.Failed("cannot read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            return new Outcome.Failed(outOfMemory());
        }
    }

    /** A file too large for the heap (the reader needs a small multiple of the file). */
    private static String outOfMemory() {
        return "not enough memory to read it: " + Main.heapLimit();
    }

    private static Outcome readInJava(Path f, byte[] bytes, boolean named, Reader reader) {
        try {
            if (BitcodeArchive.isArchive(bytes)) return readArchive(f, bytes, named, reader);
            if (EmbeddedBitcode.isObject(bytes, 0, bytes.length)) return readObject(f, bytes, named, reader);
            if (!BitcodeFile.isBitcode(bytes)) {
                String source = sourceHint(f);
                if (source != null) return new Outcome.Failed(source);
                // text goes to libLLVM as IR; binary is nothing xcfi reads, and libLLVM would only say "expected top-level entity"
                return isBinary(bytes) ? new Outcome.Failed(binaryHint(bytes)) : new Outcome.ForLlvm("textual IR");
            }
            return new Outcome.Read("java", BitcodeReader.readFile(f.toString(), bytes, bodiesAloneFirst));
        } catch (UnsupportedBitcodeException e) {
            return new Outcome.ForLlvm(e.getMessage());
        } catch (BitcodeException e) {
            return new Outcome.Failed(e.getMessage());
        }
    }

    /**
     * A module from a stream ({@code clang -c -flto -o - x.c | xcfi verify -}, or a pipe named as a
     * file): read once, by the pure-Java reader, or as an archive member is, by libLLVM from a
     * temporary file (textual IR, bitcode the Java reader does not read, {@code --reader llvm}).
     */
    private static Outcome readStream(Path f, Reader reader) {
        byte[] bytes;
        try (java.io.InputStream in = f.equals(STDIN) ? System.in : Files.newInputStream(f)) {
            bytes = drain(in);
        } catch (IOException e) {
            return new Outcome.Failed("cannot read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            return new Outcome.Failed(outOfMemory());
        }
        if (bytes.length == 0) return new Outcome.Failed(f.equals(STDIN) ? "nothing on standard input (did the command writing to it fail?)" : EMPTY);
        if (!isReadable(bytes)) return new Outcome.Failed(binaryHint(bytes));
        Outcome read = reader == Reader.llvm ? new Outcome.ForLlvm("") : readInJava(f, bytes, true, reader);
        if (!(read instanceof Outcome.ForLlvm left)) return read;
        if (reader == Reader.java) return new Outcome.Failed(left.why() + " (--reader auto or llvm reads it with libLLVM)");
        return new Outcome.Read("llvm", List.of(), List.of(), List.of(new Outcome.Member(f.toString(), bytes, left.why(), false)));
    }

    /** How much of a stream says what it is: every format's magic, and enough to tell text ({@link #isBinary}). */
    private static final int HEAD = 4096;
    /** The most a stream is read into: the largest Java array. */
    private static final int MAX_STREAM = Integer.MAX_VALUE - 8;

    /**
     * A stream's bytes to its end, or only its first {@link #HEAD} when they are nothing xcfi
     * reads: a device such as /dev/zero or /dev/urandom never ends, and was read until the heap ran out.
     */
    private static byte[] drain(java.io.InputStream in) throws IOException {
        byte[] bytes = new byte[1 << 16];
        int n = 0;
        boolean looked = false;
        for (int got; (got = in.read(bytes, n, bytes.length - n)) >= 0; ) {
            n += got;
            if (!looked && n >= HEAD) {
                looked = true;
                byte[] head = java.util.Arrays.copyOf(bytes, HEAD);
                if (!isReadable(head)) return head;
            }
            if (n == bytes.length) {
                if (n == MAX_STREAM) throw new IOException("more than 2 GB, larger than any module xcfi reads");
                bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(MAX_STREAM, 2L * n));
            }
        }
        return java.util.Arrays.copyOf(bytes, n);
    }

    /** Whether the head of a file is something xcfi reads: bitcode, an archive, an object, or text (textual IR). */
    private static boolean isReadable(byte[] head) {
        return BitcodeFile.isBitcode(head) || BitcodeArchive.isArchive(head) || EmbeddedBitcode.isObject(head, 0, head.length) || !isBinary(head);
    }

    /** Text has no NUL in its first 4 KB; bitcode, objects and most other binary formats have one at once. */
    private static boolean isBinary(byte[] bytes) {
        for (int i = 0, n = Math.min(bytes.length, 4096); i < n; i++) if (bytes[i] == 0) return true;
        return false;
    }

    private static String binaryHint(byte[] bytes) {
        boolean universal = bytes.length >= 8 && (bytes[0] & 0xff) == 0xca && (bytes[1] & 0xff) == 0xfe && (bytes[2] & 0xff) == 0xba
                && ((bytes[3] & 0xff) == 0xbe || (bytes[3] & 0xff) == 0xbf) && bytes[4] == 0 && bytes[5] == 0 && bytes[6] == 0 && (bytes[7] & 0xff) < 43;
        if (universal) return "a universal (fat) Mach-O file, one object per architecture: verify one of them (llvm-lipo-22 -thin arm64 -output x.o FILE)";
        return "neither LLVM bitcode nor textual IR, nor an object or archive xcfi reads (ELF, Mach-O, COFF, WebAssembly, ar)";
    }

    /** A folder named to verify that gave no module when nothing else did either: a build that is not what the command thinks. */
    private static final String NO_BITCODE_IN_FOLDER = "a folder with no LLVM bitcode in it (no .bc or .ll file, no LTO object, no object "
            + "or archive with embedded bitcode: build with -flto, or embed the modules with clang's -fembed-bitcode)";

    /** Whether no file under {@code folder} gave a module, and none failed (a failure is reported on its own). */
    private static boolean nothingReadUnder(Path folder, Map<Path, Outcome> outcomes) {
        for (Map.Entry<Path, Outcome> e : outcomes.entrySet()) {
            if (!e.getKey().startsWith(folder)) continue;
            if (!(e.getValue() instanceof Outcome.Read read) || !read.modules().isEmpty()) return false;
        }
        return true;
    }

    /** What to do with a source file given instead of what its compiler makes of it; null for other files (textual IR, say). */
    private static String sourceHint(Path f) {
        String name = f.getFileName() == null ? "" : f.getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        return switch (ext) {
            case "c", "h" -> "a C source file, not LLVM bitcode: verify what clang makes of it (clang-22 -c -flto -fsanitize=cfi-icall, "
                    + "or -fsanitize=kcfi -fembed-bitcode)";
            case "cc", "cpp", "cxx", "hpp", "hh" -> "a C++ source file, not LLVM bitcode: verify what clang++ makes of it (clang++-22 -c -flto "
                    + "-fsanitize=cfi-icall, or -fsanitize=kcfi -fembed-bitcode)";
            case "rs" -> "a Rust source file, not LLVM bitcode: verify what rustc makes of it (--emit=llvm-bc with -Zsanitizer=cfi "
                    + "-Clinker-plugin-lto or -Zsanitizer=kcfi, or the crate's rlib)";
            default -> null;
        };
    }

    private static final String NO_EMBEDDED_BITCODE = "a native object without LLVM bitcode (build it with -flto, or embed "
            + "the module with clang's -fembed-bitcode; rustc embeds it in the objects of an rlib unless -Cembed-bitcode=no)";

    /**
     * A native object: the module embedded in it ({@code .llvmbc}, {@code __LLVM,__bitcode}) is
     * read as the object's own. Without one it is an error only when named (a folder of a mixed
     * build holds native objects too).
     */
    private static Outcome readObject(Path f, byte[] bytes, boolean named, Reader reader) {
        MemberRead read = readModule(f.toString(), bytes, 0, bytes.length, reader);
        if (!read.bitcode()) return named ? new Outcome.Failed(NO_EMBEDDED_BITCODE) : new Outcome.Read("java", List.of());
        if (read.error() != null) return new Outcome.Failed(read.error().message());
        return new Outcome.Read("java", read.modules(), List.of(), read.forLlvm() == null ? List.of() : List.of(read.forLlvm()));
    }

    /**
     * A static library or rlib: each member with bitcode (an LTO object, or a native object with
     * its module embedded) is read as the file it was before archiving, named
     * {@code lib.a(member.o)}; other members are passed over, and a member that cannot be read is
     * an error of its own, not of the others. An archive with no bitcode at all is an error only
     * when it was named (a folder of a mixed build holds native libraries too).
     */
    private static Outcome readArchive(Path f, byte[] bytes, boolean named, Reader reader) throws BitcodeException {
        List<BitcodeArchive.Member> all = BitcodeArchive.members(bytes);
        // members are independent modules, read on every core like the files of a folder
        List<MemberRead> read = (all.size() > 1 ? all.parallelStream() : all.stream())
                .map(m -> readModule(f + "(" + m.name() + ")", bytes, m.offset(), m.length(), reader)).toList();
        if (read.stream().noneMatch(MemberRead::bitcode) && named) {
            return new Outcome.Failed("an archive with no LLVM bitcode among its " + all.size() + " members"
                    + (f.toString().endsWith(".rlib") ? " (rustc embeds it in an rlib's objects unless -Cembed-bitcode=no, or writes bitcode objects with -Clinker-plugin-lto)"
                    : " (build its objects with -flto)"));
        }
        List<ModuleFacts> modules = new ArrayList<>();
        List<Report.InputError> memberErrors = new ArrayList<>();
        List<Outcome.Member> forLlvm = new ArrayList<>();
        for (MemberRead m : read) {
            modules.addAll(m.modules());
            if (m.error() != null) memberErrors.add(m.error());
            if (m.forLlvm() != null) forLlvm.add(m.forLlvm());
        }
        return new Outcome.Read("java", modules, memberErrors, forLlvm);
    }

    /**
     * What one archive member or object gave: whether it holds bitcode at all, and then its
     * modules, or the error that is its own, or what libLLVM is to read.
     */
    private record MemberRead(boolean bitcode, List<ModuleFacts> modules, Report.InputError error, Outcome.Member forLlvm) {
        static final MemberRead NATIVE = new MemberRead(false, List.of(), null, null);
    }

    /** The module in {@code length} bytes at {@code from}: the bytes themselves when they are bitcode, an object's embedded module, or none. */
    private static MemberRead readModule(String name, byte[] bytes, int from, int length, Reader reader) {
        byte[] module;
        boolean embedded = false;
        try {
            if (BitcodeFile.isBitcode(bytes, from, length)) {
                module = java.util.Arrays.copyOfRange(bytes, from, from + length);
            } else {
                embedded = true;
                if (!EmbeddedBitcode.isObject(bytes, from, length)) return MemberRead.NATIVE;   // an rlib's metadata, say
                Optional<EmbeddedBitcode.Section> s = EmbeddedBitcode.find(bytes, from, length);
                if (s.isEmpty() || s.get().length() == 0) return MemberRead.NATIVE;
                module = java.util.Arrays.copyOfRange(bytes, s.get().offset(), s.get().offset() + s.get().length());
            }
        } catch (BitcodeException e) {
            return new MemberRead(true, List.of(), new Report.InputError(name, e.getMessage()), null);
        }
        try {
            List<ModuleFacts> modules = BitcodeReader.readFile(name, module, bodiesAloneFirst);
            return new MemberRead(true, embedded ? modules.stream().map(ModuleFacts::asEmbedded).toList() : modules, null, null);
        } catch (UnsupportedBitcodeException e) {
            return reader == Reader.auto ? new MemberRead(true, List.of(), null, new Outcome.Member(name, module, e.getMessage(), embedded))
                    : new MemberRead(true, List.of(), new Report.InputError(name, e.getMessage() + " (--reader auto reads it with libLLVM)"), null);
        } catch (BitcodeException e) {
            return new MemberRead(true, List.of(), new Report.InputError(name, e.getMessage()), null);
        }
    }

    /**
     * Under {@code auto}, archive members the Java reader does not read (bitcode older than LLVM 15)
     * go to libLLVM like files: written to a temporary folder, read by the worker, and reported
     * under their member names as inputs of their own (each input has one reader).
     */
    private void readMembersWithLlvm(Map<Path, Outcome> outcomes, Reader reader) throws IOException {
        List<Outcome.Member> members = new ArrayList<>();
        for (Outcome o : outcomes.values()) if (o instanceof Outcome.Read read) members.addAll(read.forLlvm());
        if (members.isEmpty()) return;
        Path dir = Files.createTempDirectory("xcfi-members");
        try {
            Map<Path, Outcome> read = new LinkedHashMap<>();
            Map<Path, Outcome.Member> byFile = new java.util.HashMap<>();
            for (Outcome.Member m : members) {
                Path file = Files.write(dir.resolve(byFile.size() + ".bc"), m.bytes());
                read.put(file, new Outcome.ForLlvm(m.why()));
                byFile.put(file, m);
            }
            readWithLlvm(List.copyOf(read.keySet()), read, reader);
            read.forEach((file, o) -> {
                Outcome.Member member = byFile.get(file);
                outcomes.put(Path.of(member.name()), o instanceof Outcome.Read r
                        ? new Outcome.Read(r.reader(), r.modules().stream().map(m -> {
                            ModuleFacts named = relabel(m, member.name());
                            return member.embedded() ? named.asEmbedded() : named;
                        }).toList())
                        // libLLVM names the temporary file: the member is what the user knows
                        : o instanceof Outcome.Failed failed ? new Outcome.Failed(failed.message().replace(file.toString(), member.name())) : o);
            });
        } finally {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A file's bytes, read in 64 KB steps: {@code Files.readAllBytes} reads a file in one call
     * through a direct buffer as large as the file, faulting in and copying megabytes twice (a
     * 3.75 MB module: 7-10 ms against 5 ms).
     */
    private static byte[] contents(Path f) throws IOException {
        try (java.io.FileInputStream in = new java.io.FileInputStream(f.toFile())) {
            long size = in.getChannel().size();
            if (size > Integer.MAX_VALUE - 8) throw new IOException("larger than 2 GB");
            byte[] bytes = new byte[(int) size];
            int n = 0;
            for (int got; n < bytes.length && (got = in.read(bytes, n, Math.min(1 << 16, bytes.length - n))) > 0; ) n += got;
            // a file that shrank while read is cut short; one that grew, read as it was when opened
            return n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
        }
    }

    /** libLLVM, in a supervised worker: chosen to be at least as new as every input's producer. */
    private void readWithLlvm(List<Path> files, Map<Path, Outcome> outcomes, Reader reader) {
        int major = 0;
        List<Path> readable = new ArrayList<>();
        for (Path f : files) {
            try {
                byte[] bytes = contents(f);
                boolean archive = BitcodeArchive.isArchive(bytes);
                if (archive || EmbeddedBitcode.isObject(bytes, 0, bytes.length)) {
                    outcomes.put(f, new Outcome.Failed((archive ? "an ar archive" : "a native object")
                            + ": the bitcode in it is read by the pure-Java reader (--reader auto or java)"));
                    continue;
                }
                if (BitcodeFile.isBitcode(bytes)) {
                    for (String producer : BitcodeFile.producers(bytes)) major = Math.max(major, BitcodeFile.producerMajor(producer));
                }
                readable.add(f);
            } catch (BitcodeException | IOException e) {
                outcomes.put(f, new Outcome.Failed(e.getMessage()));
            }
        }
        if (readable.isEmpty()) return;
        Path library;
        try {
            library = LlvmReader.openFirst(LibLlvmLocator.candidates(Optional.ofNullable(libllvm.value())), Math.max(major, 19)).library();
        } catch (IllegalArgumentException e) {
            if (reader == Reader.llvm) throw e;
            // auto: only these files needed libLLVM; the others are still reported
            for (Path f : readable) outcomes.put(f, new Outcome.Failed(((Outcome.ForLlvm) outcomes.get(f)).why() + ", and " + e.getMessage()));
            return;
        }
        try (SupervisedReader r = SupervisedReader.start(library, SupervisedReader.Limits.DEFAULT)) {
            for (Path f : readable) {
                outcomes.put(f, switch (r.read(f)) {
                    case SupervisedReader.Result.Read read -> new Outcome.Read("llvm", read.modules().stream().map(m -> relabel(m, f.toString())).toList());
                    case SupervisedReader.Result.Failed failed -> new Outcome.Failed(failed.message());
                });
            }
        }
    }

    /** The worker names files by absolute path; the report uses the path as the user gave it. */
    private static ModuleFacts relabel(ModuleFacts m, String path) {
        return new ModuleFacts(path, m.module(), m.producer(), m.triple(), m.flags(), m.functions(), m.typeTests(), m.kcfiCalls(), m.callbacks(), m.stored(), m.debugTypes(), m.embedded());
    }

    /**
     * What a folder search takes: {@code .bc} and {@code .ll} files, and the objects and libraries
     * a build leaves ({@code .o}, {@code .a}, {@code .rlib}) when their first bytes are bitcode, an
     * archive or a native object (whose embedded module, if any, is read).
     */
    private static boolean isModuleFile(Path f) {
        String name = f.getFileName().toString();
        if (name.endsWith(".bc") || name.endsWith(".ll")) return true;
        if (!name.endsWith(".o") && !name.endsWith(".a") && !name.endsWith(".rlib")) return false;
        byte[] head = new byte[20];   // a COFF object is known by its 20-byte header
        try (java.io.InputStream in = Files.newInputStream(f)) {
            byte[] got = java.util.Arrays.copyOf(head, in.readNBytes(head, 0, head.length));
            return BitcodeFile.isBitcode(got) || BitcodeArchive.isArchive(got) || EmbeddedBitcode.isObject(got, 0, got.length);
        } catch (IOException e) {
            return true;   // unreadable: reading it reports why
        }
    }

    /**
     * A file to read; a thin archive (the Linux kernel's {@code built-in.a}, {@code llvm-ar --thin})
     * stands for its members' files, read as files are: a folder that holds both the archive and
     * its members reads each module once ({@link #distinct}).
     */
    private static void add(Path f, List<Path> files, List<Report.InputError> errors) {
        // a pipe is read once, to the end, by readStream: not opened here; .bc and .ll are what their
        // names say, as for a folder's files (isModuleFile): no read of each module's head twice
        String fileName = f.getFileName() == null ? "" : f.getFileName().toString();
        if (fileName.endsWith(".bc") || fileName.endsWith(".ll") || !Files.isRegularFile(f)) {
            files.add(f);
            return;
        }
        byte[] head = new byte[8];
        try (java.io.InputStream in = Files.newInputStream(f)) {
            if (in.readNBytes(head, 0, head.length) < head.length || !BitcodeArchive.isThin(head)) {
                files.add(f);
                return;
            }
        } catch (IOException e) {
            files.add(f);   // reading it reports why
            return;
        }
        List<String> members;
        try {
            members = BitcodeArchive.thinMembers(Files.readAllBytes(f));
        } catch (IOException | BitcodeException e) {
            errors.add(new Report.InputError(f.toString(), e.getMessage()));
            return;
        }
        for (String name : members) {
            Path member = f.resolveSibling(name).normalize();   // (an absolute name stays itself)
            if (Files.isReadable(member)) files.add(member);
            else errors.add(new Report.InputError(f + "(" + name + ")", "a member of the thin archive, not found at " + member));
        }
    }

    /**
     * Each file once, as first named: a module is linked once however often the command line names
     * it ({@code x.bc} and {@code ./x.bc}, or a file inside a folder also given).
     */
    private static List<Path> distinct(List<Path> files) {
        Map<Path, Path> byLocation = new LinkedHashMap<>();
        for (Path f : files) byLocation.putIfAbsent(f.toAbsolutePath().normalize(), f);
        return new ArrayList<>(byLocation.values());
    }

    private static void collect(Path p, List<Path> files, List<Report.InputError> errors) {
        if (p.equals(STANDARD_INPUT)) {
            files.add(STDIN);
        } else if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path f : s.filter(Files::isRegularFile).filter(VerifyCommand::isModuleFile).sorted().toList()) add(f, files, errors);
            } catch (IOException | java.io.UncheckedIOException e) {
                errors.add(new Report.InputError(p.toString(), "cannot list the folder: " + e.getMessage()));
            }
        } else if (Files.isReadable(p)) {
            add(p, files, errors);
        } else {
            errors.add(new Report.InputError(p.toString(), Files.exists(p) ? "not readable" : "no such file"));
        }
    }
}
