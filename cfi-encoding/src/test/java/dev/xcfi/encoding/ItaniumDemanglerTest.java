package dev.xcfi.encoding;

import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.encoding.golden.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demangler against {@code llvm-cxxfilt-22}: every mangling the reference reads must be read
 * to the same text, character for character; what it does not read must be refused, never thrown.
 */
class ItaniumDemanglerTest {
    private static final String CXXFILT = "llvm-cxxfilt-22";

    /** Every id of the golden corpora (C on every target and mode, Rust): 15,000 and more distinct manglings. */
    @Test
    void everyGoldenIdReadsAsLlvmCxxfiltReadsIt() throws Exception {
        Compilers.requireClang();
        TreeSet<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Fixtures.root().resolve("fixtures"))) {
            for (Path f : files.filter(p -> p.toString().contains("golden") && p.toString().endsWith(".tsv")).toList()) {
                for (String row : Files.readAllLines(f)) {
                    String[] cells = row.split("\t");
                    if (cells.length > 1 && cells[1].startsWith("_ZTS")) ids.add(cells[1]);
                }
            }
        }
        Outcome o = compare(new ArrayList<>(ids));
        System.out.printf("golden ids: %d read as llvm-cxxfilt reads them, %d it does not read%n", o.same(), o.unreadByReference());
        assertThat(o.differing()).isEmpty();
        assertThat(o.refused()).isEmpty();
        assertThat(o.same()).isGreaterThan(15_000);
    }

    /**
     * C++: every symbol and type id of {@code fixtures/cxx/demangle.cc} as clang++-22 mangles them
     * (namespaces, templates, references, member pointers, operators, constructors, packs, noexcept).
     */
    @Test
    void cxxSymbolsAndIdsReadAsLlvmCxxfiltReadsThem(@TempDir Path dir) throws Exception {
        Compilers.requireClang();
        Path ll = dir.resolve("demangle.ll");
        Compilers.run(List.of("clang++-22", "-O1", "-S", "-emit-llvm", "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden", "-w",
                Fixtures.root().resolve("fixtures/cxx/demangle.cc").toString(), "-o", ll.toString()));
        TreeSet<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("@(_Z[A-Za-z0-9_$.]+)|\"(_ZTS[^\"]+)\"").matcher(Files.readString(ll));
        while (m.find()) names.add(m.group(1) != null ? m.group(1) : m.group(2));
        Outcome o = compare(new ArrayList<>(names));
        System.out.printf("C++ fixture: %d of %d names read as llvm-cxxfilt reads them%n", o.same(), names.size());
        assertThat(o.differing()).isEmpty();
        assertThat(o.refused()).isEmpty();
        assertThat(o.same()).isGreaterThan(60);
    }

    @Test
    void cxxAsReportsShowIt() {
        assertThat(ItaniumDemangler.typeId("_ZTSFvRN2ns6WidgetElE")).contains("void (ns::Widget&, long)");
        assertThat(ItaniumDemangler.typeId("_ZTSFvPFvlElE.normalized")).contains("void (void (*)(long), long)");
        assertThat(ItaniumDemangler.symbol("_ZL9on_widgetRN2ns6WidgetEl")).contains("on_widget(ns::Widget&, long)");
        assertThat(ItaniumDemangler.symbol("main")).isEmpty();
        // the parts of a function type, for saying which one differs
        assertThat(ItaniumDemangler.functionParts("_ZTSFPKcRN2ns6WidgetEzE.generalized"))
                .contains(new ItaniumDemangler.FunctionParts("char const*", List.of("ns::Widget&", "...")));
        assertThat(ItaniumDemangler.functionParts("_ZTSPFvvE")).isEmpty();
    }

    /** Cut, spliced and flipped manglings: refused or read, never an exception, never a deep recursion. */
    @Test
    void malformedManglingsAreRefusedWithoutAnException() {
        List<String> seeds = List.of("_ZTSFvRN2ns6WidgetElE", "_ZN2ns3twoINS_3BoxIiEEcEEvT_T0_PS3_NS1_IS4_EE", "_ZTSFvPFPFPjvEiEE",
                "_ZN2ns6calls2EPFiRKNS_3BoxIiEEPNS_6WidgetEEMS4_KFivE", "_ZTSFvU8noescapeU13block_pointerFivEU8noescapeS0_E");
        Random random = new Random(11);
        int read = 0;
        for (int i = 0; i < 20_000; i++) {
            char[] c = seeds.get(random.nextInt(seeds.size())).toCharArray();
            String mutant = switch (random.nextInt(3)) {
                case 0 -> new String(c, 0, random.nextInt(c.length));
                case 1 -> {
                    c[2 + random.nextInt(c.length - 2)] = "0123456789_SETIJLNPRKFvilZDdUu".charAt(random.nextInt(30));
                    yield new String(c);
                }
                default -> {
                    int at = 2 + random.nextInt(c.length - 2);
                    yield new String(c, 0, at) + new String(c, at - 1, c.length - at + 1);
                }
            };
            Optional<String> symbol = ItaniumDemangler.symbol(mutant), id = ItaniumDemangler.typeId(mutant);
            if (symbol.isPresent() || id.isPresent()) read++;
        }
        assertThat(read).isPositive();
        assertThat(ItaniumDemangler.typeId("_ZTS" + "P".repeat(100_000) + "v")).isEmpty();
        assertThat(ItaniumDemangler.symbol("_Z1f" + "N1a".repeat(20_000))).isEmpty();
    }

    private record Outcome(int same, int unreadByReference, List<String> differing, List<String> refused) {}

    /** Each name through llvm-cxxfilt-22 and through the demangler ({@code typeId} for ids, as cxxfilt prints a mode suffix). */
    private static Outcome compare(List<String> names) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(CXXFILT).redirectErrorStream(true).start();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (var out = p.getOutputStream()) {
                out.write((String.join("\n", names) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<String> reference = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        writer.join();
        assertThat(p.waitFor()).isZero();
        assertThat(reference).hasSameSizeAs(names);
        int same = 0, unread = 0;
        List<String> differing = new ArrayList<>(), refused = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i), want = reference.get(i);
            if (want.equals(name)) {
                unread++;
                continue;
            }
            Optional<String> got;
            if (name.startsWith("_ZTS")) {
                String bare = name.endsWith(".virtual") ? name.substring(0, name.length() - ".virtual".length()) : name;
                String suffix = CfiMode.ofSuffixes(bare).suffix() + (bare.equals(name) ? "" : ".virtual");
                got = ItaniumDemangler.typeId(name).map(t -> "typeinfo name for " + t + (suffix.isEmpty() ? "" : " (" + suffix + ")"));
            } else {
                got = ItaniumDemangler.symbol(name);
            }
            if (got.isEmpty()) refused.add(name + " = " + want);
            else if (got.get().equals(want)) same++;
            else differing.add(name + "\n  got  " + got.get() + "\n  want " + want);
        }
        return new Outcome(same, unread, differing, refused);
    }
}
