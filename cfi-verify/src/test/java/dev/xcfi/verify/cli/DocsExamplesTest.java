package dev.xcfi.verify.cli;

import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.encoding.golden.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's and docs' terminal transcripts are real. A fenced block whose lines start with
 * {@code $ } is run step by step, and every step must print what the block shows after it, up to
 * the next {@code $} line (with the exit status of a closing {@code exit N} line):
 * <ul>
 * <li>{@code $ ./xcfi …} runs the CLI in this JVM;</li>
 * <li>{@code $ cat FILE} writes the lines shown as that file, so a transcript carries its sources;</li>
 * <li>{@code $ clang-22 …}, {@code llvm-ar-22 …} and {@code rustc …} (after any {@code VAR=value})
 * run the installed tools.</li>
 * </ul>
 * A block that writes or compiles files runs in a fresh folder (operands found there first, then
 * in the repository root), the others in the repository root (their operands are the fixtures).
 * A shown line {@code …} stands for any number of lines, a line ending in {@code " …"} for a line
 * that starts with what precedes it; {@code | head -N} or {@code | grep -E 'RE'} filter standard
 * output, and {@code > FILE} writes it to a file for later steps. Standard error comes first, as on
 * a terminal (xcfi buffers standard output until it exits).
 */
class DocsExamplesTest {
    private static final Pattern EXIT = Pattern.compile("exit (\\d+)");

    record Step(int line, String command, List<String> shown, Integer status) {}

    record Transcript(String doc, int line, List<Step> steps) {
        /** Whether it makes its own inputs (and so runs in a folder of its own). */
        boolean buildsInputs() {
            return steps.stream().anyMatch(s -> !s.command().startsWith("./xcfi ") || s.command().contains(" > "));
        }
    }

    @TestFactory
    Stream<DynamicTest> transcriptsPrintWhatTheyShow() throws IOException {
        Path root = Fixtures.root();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<Transcript> transcripts = new ArrayList<>();
        for (Path doc : docs) transcripts.addAll(transcripts(root.relativize(doc).toString(), Files.readAllLines(doc)));
        // counted, so that a renamed file or a changed convention cannot leave nothing to check
        assertThat(transcripts.stream().mapToLong(t -> t.steps().stream().filter(s -> s.command().startsWith("./xcfi ")).count()).sum())
                .isGreaterThanOrEqualTo(15);
        return transcripts.stream().map(t -> DynamicTest.dynamicTest(t.doc() + ":" + t.line(), () -> run(root, t)));
    }

    /** The transcripts among a Markdown file's fenced blocks (a block inside a list item is indented with it). */
    static List<Transcript> transcripts(String doc, List<String> lines) {
        List<Transcript> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i).stripLeading();
            if (!fence.startsWith("```")) continue;
            int indent = lines.get(i).length() - fence.length();
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).stripLeading().startsWith("```")) end++;
            List<String> block = lines.subList(i + 1, end).stream().map(l -> l.length() >= indent ? l.substring(indent) : l.stripLeading()).toList();
            if (!block.isEmpty() && block.getFirst().startsWith("$ ")) found.add(new Transcript(doc, i + 2, steps(block, i + 2)));
            i = end;
        }
        return found;
    }

    private static List<Step> steps(List<String> block, int firstLine) {
        List<Step> steps = new ArrayList<>();
        for (int k = 0; k < block.size(); ) {
            // a command may go on over lines ending in a backslash
            StringBuilder command = new StringBuilder(block.get(k).substring(2));
            int start = k;
            while (command.toString().endsWith("\\") && k + 1 < block.size()) {
                command.setLength(command.length() - 1);
                command.append(' ').append(block.get(++k).strip());
            }
            int stop = k + 1;
            while (stop < block.size() && !block.get(stop).startsWith("$ ")) stop++;
            List<String> shown = new ArrayList<>(block.subList(k + 1, stop));
            while (!shown.isEmpty() && shown.getLast().isEmpty()) shown.removeLast();
            Integer status = null;
            Matcher m = shown.isEmpty() ? null : EXIT.matcher(shown.getLast());
            if (m != null && m.matches()) {
                status = Integer.parseInt(m.group(1));
                shown.removeLast();
            }
            steps.add(new Step(firstLine + start, command.toString(), shown, status));
            k = stop;
        }
        return steps;
    }

    private static void run(Path root, Transcript t) throws IOException, InterruptedException {
        Path dir = t.buildsInputs() ? Files.createTempDirectory("xcfi-docs") : root;
        try {
            for (Step s : t.steps()) {
                String where = t.doc() + ":" + s.line() + " `" + s.command() + "`";
                List<String> words = pipeline(s.command()).getFirst();
                switch (words.getFirst()) {
                    case "./xcfi" -> xcfi(root, dir, s, where);
                    case "cat" -> {
                        assertThat(words).as(where + ": one file per cat").hasSize(2);
                        Files.writeString(dir.resolve(words.get(1)), String.join("\n", s.shown()) + "\n");
                    }
                    default -> tool(root, dir, s, where);
                }
            }
        } finally {
            if (dir != root) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
        }
    }

    /**
     * clang-22, llvm-ar-22 or rustc (after {@code VAR=value} settings), in the transcript's folder,
     * with operands found there or in the repository root; it must succeed and print what is shown.
     */
    private static void tool(Path root, Path dir, Step s, String where) throws IOException, InterruptedException {
        List<String> words = new ArrayList<>(pipeline(s.command()).getFirst());
        java.util.Map<String, String> env = new java.util.HashMap<>();
        while (!words.isEmpty() && words.getFirst().matches("[A-Z_]+=.*")) {
            String[] kv = words.removeFirst().split("=", 2);
            env.put(kv[0], kv[1]);
        }
        switch (words.getFirst()) {
            case "clang-22", "llvm-ar-22" -> Compilers.requireClang();
            case "rustc" -> Compilers.requireRustc();
            default -> throw new AssertionError(where + ": a transcript may run ./xcfi, cat, clang-22, llvm-ar-22 and rustc only");
        }
        List<String> command = words.stream().map(w -> operand(w, root, dir)).toList();
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(where + " printed " + output).isZero();
        assertThat(output.lines().toList()).as(where).isEqualTo(s.shown());
    }

    /** A path the reader types: in the transcript's folder if it is there, else in the repository root. */
    private static String operand(String w, Path root, Path dir) {
        if (w.startsWith("-")) return w;
        if (Files.exists(dir.resolve(w))) return dir.resolve(w).toString();
        return Files.exists(root.resolve(w)) ? root.resolve(w).toString() : w;
    }

    private static void xcfi(Path root, Path dir, Step s, String where) throws IOException {
        List<List<String>> stages = pipeline(s.command());
        List<String> words = new ArrayList<>(stages.getFirst());
        if (words.contains("rust")) Compilers.requireRustc();   // crate disambiguators may be learned from rustc
        if (words.contains("/usr/include")) Compilers.requireClang();   // glibc's headers come with clang-22's packages
        Path redirect = null;
        int arrow = words.indexOf(">");
        if (arrow >= 0) {
            assertThat(words).as(where + ": > FILE ends the command").hasSize(arrow + 2);
            redirect = dir.resolve(words.get(arrow + 1));
            words = words.subList(0, arrow);
        }
        // Operands are paths relative to the folder the transcript runs in, else to the repository
        // root (the fixtures); the output names them the same way.
        String[] args = words.stream().skip(1).map(w -> operand(w, root, dir)).toArray(String[]::new);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        if (redirect != null) Files.writeString(redirect, out.toString());
        Stream<String> rows = redirect != null ? Stream.empty() : relative(out.toString(), root, dir).lines();
        for (List<String> filter : stages.subList(1, stages.size())) rows = filtered(rows, filter, where);
        List<String> printed = new ArrayList<>(relative(err.toString(), root, dir).lines().toList());
        printed.addAll(rows.toList());
        assertThat(matches(s.shown(), 0, printed, 0))
                .as("%s prints%n%s%nbut the doc shows%n%s", where, String.join("\n", printed), String.join("\n", s.shown()))
                .isTrue();
        if (s.status() != null) assertThat(status).as("exit status of " + where).isEqualTo(s.status());
    }

    private static String relative(String text, Path root, Path dir) {
        return text.replace(dir + "/", "").replace(root + "/", "");
    }

    /** A command line as the shell splits it: words (single quotes keep a word whole), in stages between {@code |}. */
    static List<List<String>> pipeline(String command) {
        List<List<String>> stages = new ArrayList<>(List.of(new ArrayList<>()));
        StringBuilder word = null;
        boolean quoted = false;
        for (char c : (command + " ").toCharArray()) {
            if (quoted) {
                if (c == '\'') quoted = false;
                else word.append(c);
            } else if (c == '\'') {
                quoted = true;
                if (word == null) word = new StringBuilder();
            } else if (c == ' ' || c == '|' || c == '>') {
                if (word != null) stages.getLast().add(word.toString());
                word = null;
                if (c == '|') stages.add(new ArrayList<>());
                if (c == '>') stages.getLast().add(">");
            } else {
                if (word == null) word = new StringBuilder();
                word.append(c);
            }
        }
        return stages;
    }

    /** Standard output through {@code head -N} or {@code grep -E RE}. */
    private static Stream<String> filtered(Stream<String> rows, List<String> filter, String where) {
        if (filter.size() == 2 && filter.get(0).equals("head") && filter.get(1).matches("-\\d+")) return rows.limit(Long.parseLong(filter.get(1).substring(1)));
        if (filter.size() == 3 && filter.get(0).equals("grep") && filter.get(1).equals("-E")) {
            Pattern p = Pattern.compile(filter.get(2));
            return rows.filter(r -> p.matcher(r).find());
        }
        throw new AssertionError(where + ": only | head -N and | grep -E RE may follow ./xcfi");
    }

    /** Whether {@code printed[j…]} fits {@code shown[i…]}, where a {@code …} line matches any run of lines. */
    static boolean matches(List<String> shown, int i, List<String> printed, int j) {
        if (i == shown.size()) return j == printed.size();
        String want = shown.get(i);
        if (want.equals("…")) {
            for (int k = j; k <= printed.size(); k++) if (matches(shown, i + 1, printed, k)) return true;
            return false;
        }
        if (j == printed.size()) return false;
        String got = printed.get(j);
        boolean same = want.endsWith(" …") ? got.startsWith(want.substring(0, want.length() - 1)) : got.equals(want);
        return same && matches(shown, i + 1, printed, j + 1);
    }
}
