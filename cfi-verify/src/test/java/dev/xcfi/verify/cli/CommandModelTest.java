package dev.xcfi.verify.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** xcfi's own command-line parser: the spellings people type, and a clear message for each mistake. */
class CommandModelTest {
    enum Color { red, green, blue }

    /** A command with one option of every kind. */
    private static final class Sample {
        final CommandModel model = new CommandModel("sample", "Does nothing, with every kind of option.");
        final CommandModel.Option<Color> color = model.choice("--color", "COLOR", Color.class, Color.red, "red (default), green or blue");
        final CommandModel.Option<String> writer = model.choice("--writer", "COMPILER", List.of("clang", "rustc"), "who wrote it");
        final CommandModel.Option<Path> out = model.option("--out", "FILE", null, Path::of, "where to write");
        final CommandModel.Option<Boolean> quiet = model.flag("--quiet", "say less");
        final CommandModel.Option<List<String>> includes = model.repeated("-I", "DIR", String::valueOf, "a folder to search");
        final CommandModel.Option<Map<String, String>> crates = model.keyValues("--crate", "NAME=ID", "a crate's id");
        final CommandModel.Option<List<String>> files = model.operands("FILE", String::valueOf, "the inputs");

        CommandModel.Request parse(String... args) {
            String[] all = new String[args.length + 1];
            all[0] = "sample";
            System.arraycopy(args, 0, all, 1, args.length);
            return model.parse(all, 1);
        }
    }

    @Test
    void valuesAreTakenInEverySpelling() {
        Sample s = new Sample();
        assertThat(s.parse("--color", "green", "--out=a.txt", "-Iinc", "-I", "sys", "-I=more", "--crate", "core=abc", "--crate=std=x=y",
                "--quiet", "f.h", "-", "--", "--not-an-option")).isEqualTo(CommandModel.Request.RUN);
        assertThat(s.color.value()).isEqualTo(Color.green);
        assertThat(s.out.value()).isEqualTo(Path.of("a.txt"));
        assertThat(s.quiet.value()).isTrue();
        assertThat(s.includes.value()).containsExactly("inc", "sys", "more");
        assertThat(s.crates.value()).containsExactly(Map.entry("core", "abc"), Map.entry("std", "x=y"));
        // a lone '-' (standard input) and everything after '--' are operands
        assertThat(s.files.value()).containsExactly("f.h", "-", "--not-an-option");
    }

    @Test
    void optionsNotGivenKeepTheirDefaults() {
        Sample s = new Sample();
        s.parse("f.h");
        assertThat(s.color.value()).isEqualTo(Color.red);
        assertThat(s.writer.value()).isNull();
        assertThat(s.out.value()).isNull();
        assertThat(s.quiet.value()).isFalse();
        assertThat(s.includes.value()).isEmpty();
        assertThat(s.crates.value()).isEmpty();
    }

    @Test
    void eachMistakeHasItsOwnMessage() {
        assertThatThrownBy(() -> new Sample().parse("--colour", "red", "f")).hasMessage("Unknown option: '--colour'");
        assertThatThrownBy(() -> new Sample().parse("-x", "f")).hasMessage("Unknown option: '-x'");
        assertThatThrownBy(() -> new Sample().parse("f", "--color")).hasMessage("Missing required parameter for option '--color' (COLOR)");
        // an option name where a value belongs is a forgotten value, not the value
        assertThatThrownBy(() -> new Sample().parse("--out", "--quiet", "f")).hasMessage("Missing required parameter for option '--out' (FILE)");
        assertThatThrownBy(() -> new Sample().parse("--color", "teal", "f"))
                .hasMessage("Invalid value for option '--color': expected red, green or blue, not 'teal'");
        assertThatThrownBy(() -> new Sample().parse("--writer", "gcc", "f"))
                .hasMessage("Invalid value for option '--writer': expected clang or rustc, not 'gcc'");
        assertThatThrownBy(() -> new Sample().parse("--crate", "core", "f")).hasMessage("Invalid value for option '--crate': expected NAME=ID, not 'core'");
        assertThatThrownBy(() -> new Sample().parse("--color", "red", "--color=blue", "f")).hasMessage("option '--color' (COLOR) should be specified only once");
        assertThatThrownBy(() -> new Sample().parse("--quiet=yes", "f")).hasMessage("option '--quiet' takes no value (given '--quiet=yes')");
        assertThatThrownBy(() -> new Sample().parse("--quiet")).hasMessage("Missing required parameter: 'FILE'");
        assertThatThrownBy(() -> new Sample().parse("--out", "a\0b", "f")).hasMessageStartingWith("Invalid value for option '--out': ");
    }

    @Test
    void helpAndVersionWinOverEverythingElseBeforeTheOperands() {
        assertThat(new Sample().parse("--bogus", "-h")).isEqualTo(CommandModel.Request.HELP);
        assertThat(new Sample().parse("--help")).isEqualTo(CommandModel.Request.HELP);
        assertThat(new Sample().parse("-V")).isEqualTo(CommandModel.Request.VERSION);
        assertThat(new Sample().parse("--version", "--color", "teal")).isEqualTo(CommandModel.Request.VERSION);
        // after '--', -h is a file name
        Sample s = new Sample();
        assertThat(s.parse("--", "-h")).isEqualTo(CommandModel.Request.RUN);
        assertThat(s.files.value()).containsExactly("-h");
    }

    @Test
    void theHelpListsEveryOptionInEightyColumns() {
        String usage = new Sample().model.usage();
        assertThat(usage).isEqualTo("""
                Usage: xcfi sample [-hV] [--quiet] [--color=COLOR] [--writer=COMPILER]
                                   [--out=FILE] [-I=DIR]... [--crate=NAME=ID]... FILE...
                Does nothing, with every kind of option.
                      FILE...             the inputs
                      --color=COLOR       red (default), green or blue
                      --writer=COMPILER   who wrote it
                      --out=FILE          where to write
                      --quiet             say less
                  -I=DIR                  a folder to search
                      --crate=NAME=ID     a crate's id
                  -h, --help              Show this help message and exit.
                  -V, --version           Print version information and exit.
                """);
        // every real command's help fits, its long descriptions wrapped (a word longer than a line gets one of its own)
        for (Command c : List.of(new EncodeCommand(), new DecodeCommand(), new HashCommand(), new WhichCommand(), new VerifyCommand())) {
            assertThat(c.model().usage().lines()).as(c.model().name())
                    .allSatisfy(line -> assertThat(line.length() <= 80 || !line.strip().contains(" ")).as(line).isTrue());
        }
    }
}
