package dev.xcfi.verify.cli;

import dev.xcfi.verify.bitcode.BitcodeException;
import dev.xcfi.verify.bitcode.BitcodeFile;
import dev.xcfi.verify.check.Verifier;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.llvm.LibLlvmLocator;
import dev.xcfi.verify.llvm.LlvmReader;
import dev.xcfi.verify.llvm.SupervisedReader;
import dev.xcfi.verify.report.JsonReport;
import dev.xcfi.verify.report.Report;
import dev.xcfi.verify.report.SarifReport;
import dev.xcfi.verify.report.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

@Command(name = "verify", description = {"Read the bitcode of every module that will be linked together (clang's and rustc's) and report",
        "the declarations, callbacks and scheme flags that will make an indirect call trap.",
        "Exit status: 2 if an input could not be read (the rest is still reported), else 1 if any error finding, else 0."})
final class VerifyCommand implements Callable<Integer> {
    enum ReportFormat { text, json, sarif }

    enum Reader { llvm }

    private static final Pattern PRODUCER_MAJOR = Pattern.compile("LLVM(\\d+)\\..*");

    @Spec
    CommandSpec spec;

    @Option(names = "--format", description = "text (default), json, or sarif (SARIF 2.1.0 for code scanning)", defaultValue = "text")
    ReportFormat format;

    @Option(names = "--reader", description = "llvm: libLLVM in a supervised worker process (default)", defaultValue = "llvm")
    Reader reader;

    @Option(names = "--libllvm", paramLabel = "PATH", description = "the libLLVM shared library to use (else $XCFI_LIBLLVM, Debian's, rustup's)")
    Path libllvm;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = ".bc/.ll files, or folders searched for them")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        List<Path> files = new ArrayList<>();
        List<Report.InputError> errors = new ArrayList<>();
        for (Path p : paths) collect(p, files, errors);
        int major = 0;
        for (Path f : new ArrayList<>(files)) {
            try {
                byte[] bytes = Files.readAllBytes(f);
                if (!BitcodeFile.isBitcode(bytes)) continue;
                for (String producer : BitcodeFile.producers(bytes)) {
                    Matcher v = PRODUCER_MAJOR.matcher(producer);
                    if (v.matches()) major = Math.max(major, Integer.parseInt(v.group(1)));
                }
            } catch (BitcodeException | IOException e) {
                errors.add(new Report.InputError(f.toString(), e.getMessage()));
                files.remove(f);
            }
        }
        Path library = LlvmReader.openFirst(LibLlvmLocator.candidates(Optional.ofNullable(libllvm)), Math.max(major, 19)).library();
        List<Report.Input> inputs = new ArrayList<>();
        List<ModuleFacts> modules = new ArrayList<>();
        try (SupervisedReader r = SupervisedReader.start(library, SupervisedReader.Limits.DEFAULT)) {
            for (Path f : files) {
                switch (r.read(f)) {
                    case SupervisedReader.Result.Read read -> {
                        List<ModuleFacts> named = read.modules().stream().map(m -> relabel(m, f.toString())).toList();
                        inputs.add(new Report.Input(f.toString(), named));
                        modules.addAll(named);
                    }
                    case SupervisedReader.Result.Failed failed -> errors.add(new Report.InputError(f.toString(), failed.message()));
                }
            }
        }
        Report report = new Report(inputs, Verifier.verify(modules), errors);
        spec.commandLine().getOut().print(switch (format) {
            case text -> TextReport.render(report);
            case json -> JsonReport.render(report) + "\n";
            case sarif -> SarifReport.render(report) + "\n";
        });
        return report.exitStatus();
    }

    /** The worker names files by absolute path; the report uses the path as the user gave it. */
    private static ModuleFacts relabel(ModuleFacts m, String path) {
        return new ModuleFacts(path, m.module(), m.producer(), m.triple(), m.flags(), m.functions(), m.typeTests(), m.kcfiCalls(), m.callbacks());
    }

    private static void collect(Path p, List<Path> files, List<Report.InputError> errors) {
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".bc") || f.toString().endsWith(".ll")).sorted().forEach(files::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                errors.add(new Report.InputError(p.toString(), "cannot list the folder: " + e.getMessage()));
            }
        } else if (Files.isReadable(p)) {
            files.add(p);
        } else {
            errors.add(new Report.InputError(p.toString(), Files.exists(p) ? "not readable" : "no such file"));
        }
    }
}
