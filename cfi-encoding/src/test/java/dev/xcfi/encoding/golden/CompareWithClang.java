package dev.xcfi.encoding.golden;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.c.FunctionDeclaration;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.c.ParsedHeader;
import dev.xcfi.types.Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares xcfi with the installed clang-22 on headers, each alone: every function it declares
 * (system headers' included), in all four modes — how the real-header numbers in docs/encoding.md
 * were measured. Run by {@code fixtures/c/compare-with-clang [--target T] [-fshort-wchar] [-I DIR]... HEADER...};
 * prints each differing row, a line per header and, for several, a summary; exit status 1 when any
 * row differs.
 */
public final class CompareWithClang {
    public static void main(String[] args) throws IOException {
        Target target = Target.host();
        List<Path> includes = new ArrayList<>();
        List<Path> headers = new ArrayList<>();
        boolean shortWchar = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--target")) target = Target.of(args[++i]);
            else if (args[i].equals("-fshort-wchar")) shortWchar = true;
            else if (args[i].equals("-I")) includes.add(Path.of(args[++i]));
            else if (args[i].startsWith("-I")) includes.add(Path.of(args[i].substring(2)));
            else headers.add(Path.of(args[i]));
        }
        if (headers.isEmpty()) throw new IllegalArgumentException("usage: CompareWithClang [--target T] [-fshort-wchar] [-I DIR]... HEADER...");
        if (shortWchar) target = target.withShortWchar();
        Path work = Files.createTempDirectory("xcfi-compare");
        int compared = 0, withFunctions = 0, rows = 0, differing = 0, rejected = 0, withErrors = 0, onlyXcfi = 0;
        for (Path header : headers) {
            if (headers.size() > 1) System.out.println("=== " + header);
            ParsedHeader parsed = HeaderParser.parse(target, includes, List.of(HeaderParser.Input.of(header)));
            parsed.errors().forEach(e -> System.out.println("xcfi: " + e.diagnostic()));
            Set<String> names = new LinkedHashSet<>();
            for (FunctionDeclaration f : parsed.functions()) names.add(f.name());
            Map<CfiMode, List<GoldenRow>> clang;
            ClangOracle oracle = new ClangOracle(target, includes, work);
            try {
                clang = oracle.rowsOfIncluded(header, names, KcfiHash.XXHASH64);
            } catch (IOException e) {
                System.out.println("clang could not compile the header (" + e.getMessage().lines().findFirst().orElse("") + "…); see above for xcfi's view");
                rejected++;
                continue;
            }
            if (!oracle.unseenByClang.isEmpty()) {
                System.out.println("xcfi declares " + oracle.unseenByClang.size() + " functions clang does not (its preprocessor took another branch): "
                        + String.join(", ", oracle.unseenByClang));
                onlyXcfi += oracle.unseenByClang.size();
            }
            int differs = 0;
            for (CfiMode mode : CfiMode.all()) {
                List<String> actual = new java.util.ArrayList<>(GoldenCorpusTest.actualRows(target, header, includes, mode, KcfiHash.XXHASH64, false));
                actual.removeIf(row -> oracle.unseenByClang.contains(row.substring(0, row.indexOf('\t'))));
                for (String difference : GoldenCorpusTest.differencesByName(actual, clang.get(mode))) {
                    differs++;
                    System.out.println(mode.label() + "\n  " + difference);
                }
            }
            System.out.println(names.size() + " functions, 4 modes, " + target.shortName() + ": " + differs + " rows differ"
                    + (parsed.errors().isEmpty() ? "" : "; xcfi reported " + parsed.errors().size() + " errors"));
            compared++;
            if (!names.isEmpty()) withFunctions++;
            if (!parsed.errors().isEmpty()) withErrors++;
            rows += names.size();
            differing += differs;
        }
        if (headers.size() > 1) {
            System.out.println("summary: " + headers.size() + " headers, " + rejected + " that clang rejects alone; in the other " + compared
                    + ": " + rows + " function rows (" + withFunctions + " headers with functions), " + differing + " rows differ, "
                    + withErrors + " headers with xcfi errors" + (onlyXcfi == 0 ? "" : ", " + onlyXcfi + " functions only xcfi declares"));
        }
        System.exit(differing == 0 && onlyXcfi == 0 ? 0 : 1);
    }
}
