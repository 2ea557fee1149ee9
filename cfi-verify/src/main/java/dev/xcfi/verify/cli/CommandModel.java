package dev.xcfi.verify.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One command's options and operands: what its arguments parse to, and its help. xcfi parses its
 * own command line (POSIX- and GNU-style: {@code --name value}, {@code --name=value}, {@code -Ivalue},
 * {@code --} ends the options): a library's parser was a tenth of a short {@code xcfi verify} run,
 * spent building its model and loading its classes before the first input was read
 * (docs/performance.md).
 *
 * <p>Options are declared in the order the help lists them; {@code -h/--help} and
 * {@code -V/--version} come with every command.
 */
final class CommandModel {
    /** A wrong command line: the message is shown with the command's usage, and the run exits 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * An option (or the operands) and the value its arguments gave: the default until one is
     * parsed. {@code take} folds one argument into the value so far, so that an option given once,
     * a repeated one and a {@code KEY=VALUE} one are parsed alike.
     */
    static final class Option<T> {
        private final String name;
        private final String label;
        private final String[] description;
        private final BiFunction<T, String, T> take;
        private final boolean repeatable;
        private T value;
        private boolean given;

        private Option(String name, String label, T initial, boolean repeatable, BiFunction<T, String, T> take, String[] description) {
            this.name = name;
            this.label = label;
            this.value = initial;
            this.repeatable = repeatable;
            this.take = take;
            this.description = description;
        }

        T value() {
            return value;
        }

        private boolean takesValue() {
            return label != null;
        }

        /** How the help names it: {@code --format=FORMAT}, {@code -I=DIR}, {@code --normalize-integers}, {@code FILE...}. */
        private String synopsis() {
            if (name == null) return label + "...";
            return takesValue() ? name + "=" + label : name;
        }
    }

    static final String VERSION = "xcfi 0.1.0 (ids as clang 22 and rustc 1.95 emit them)";
    private static final int WIDTH = 80;

    private final String name;
    private final String[] description;
    private final List<Option<?>> options = new ArrayList<>();
    private Option<?> operands;

    CommandModel(String name, String... description) {
        this.name = name;
        this.description = description;
    }

    String name() {
        return name;
    }

    /** The first sentence of the description: what the command list of {@code xcfi --help} shows. */
    String summary() {
        return description[0];
    }

    /** An option taking one value, converted by {@code convert} (which throws {@link IllegalArgumentException} for a bad one). */
    <T> Option<T> option(String name, String label, T defaultValue, Function<String, T> convert, String... description) {
        return add(new Option<T>(name, label, defaultValue, false, (old, arg) -> convert.apply(arg), description));
    }

    /** An option taking one of {@code type}'s constants, by name. */
    <E extends Enum<E>> Option<E> choice(String name, String label, Class<E> type, E defaultValue, String... description) {
        return option(name, label, defaultValue, arg -> constant(type, arg), description);
    }

    /** A string option that takes only the {@code known} values. */
    Option<String> choice(String name, String label, List<String> known, String... description) {
        return option(name, label, null, arg -> {
            if (!known.contains(arg)) throw new IllegalArgumentException(expected(known, arg));
            return arg;
        }, description);
    }

    /** An option taking no value: true when given. */
    Option<Boolean> flag(String name, String... description) {
        return add(new Option<>(name, null, false, false, (old, arg) -> true, description));
    }

    /** An option that may be given many times: its values in the order given, empty when never given. */
    <T> Option<List<T>> repeated(String name, String label, Function<String, T> convert, String... description) {
        return add(appending(name, label, convert, description));
    }

    /** A repeatable {@code KEY=VALUE} option: the pairs in the order given. */
    Option<Map<String, String>> keyValues(String name, String label, String... description) {
        return add(new Option<Map<String, String>>(name, label, new LinkedHashMap<>(), true, (map, arg) -> {
            int eq = arg.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected " + label + ", not '" + arg + "'");
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
            return map;
        }, description));
    }

    /** The operands: one or more, each converted by {@code convert}. */
    <T> Option<List<T>> operands(String label, Function<String, T> convert, String... description) {
        Option<List<T>> o = appending(null, label, convert, description);
        operands = o;
        return o;
    }

    /** An option (or the operands, unnamed) whose every argument, converted, is added to a list. */
    private static <T> Option<List<T>> appending(String name, String label, Function<String, T> convert, String[] description) {
        return new Option<>(name, label, new ArrayList<>(), true, (list, arg) -> {
            list.add(convert.apply(arg));
            return list;
        }, description);
    }

    private <T> Option<T> add(Option<T> option) {
        options.add(option);
        return option;
    }

    // ---- parsing -------------------------------------------------------------------------------

    /** What the arguments ask for beyond the command itself. */
    enum Request { RUN, HELP, VERSION }

    /**
     * Parses {@code args} from {@code from} into the options' values. Help and version win over
     * everything else on the line (as with other tools, {@code xcfi verify --bogus -h} shows the help).
     */
    Request parse(String[] args, int from) {
        for (int i = from; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals("-h") || args[i].equals("--help") || args[i].equals("-hV")) return Request.HELP;
            if (args[i].equals("-V") || args[i].equals("--version") || args[i].equals("-Vh")) return Request.VERSION;
        }
        boolean optionsEnded = false;
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                operand(arg);
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else {
                i = option(args, i);
            }
        }
        if (operands != null && !operands.given) throw new UsageException("Missing required parameter: '" + operands.label + "'");
        return Request.RUN;
    }

    private void operand(String arg) {
        if (operands == null) throw new UsageException("Unmatched argument: '" + arg + "' (" + name + " takes no operands)");
        fold(operands, arg, "'" + arg + "'");
    }

    /** Parses the option at {@code args[i]} (and its value, if that is the next argument); returns the index of the last argument used. */
    private int option(String[] args, int i) {
        String arg = args[i];
        String inline = null;
        Option<?> option;
        if (arg.startsWith("--")) {
            int eq = arg.indexOf('=');
            option = named(eq < 0 ? arg : arg.substring(0, eq));
            if (eq >= 0) inline = arg.substring(eq + 1);
        } else if ((option = named(arg)) == null) {
            // (a compiler's long single-dash flag, -fshort-wchar, is named whole) a short option takes its
            // value attached, as compilers' -I/-D/-U do: -Iinclude, -DNAME=1 (or -I=include)
            option = named(arg.substring(0, 2));
            if (arg.length() > 2) inline = arg.charAt(2) == '=' ? arg.substring(3) : arg.substring(2);
        }
        if (option == null) throw new UsageException("Unknown option: '" + arg + "'");
        if (!option.takesValue()) {
            if (inline != null) throw new UsageException("option '" + option.name + "' takes no value (given '" + arg + "')");
            fold(option, "", option.name);
            return i;
        }
        if (option.given && !option.repeatable) throw new UsageException("option '" + option.name + "' (" + option.label + ") should be specified only once");
        if (inline == null) {
            if (i + 1 >= args.length || named(args[i + 1]) != null) {
                throw new UsageException("Missing required parameter for option '" + option.name + "' (" + option.label + ")");
            }
            inline = args[++i];
        }
        fold(option, inline, "option '" + option.name + "'");
        return i;
    }

    private Option<?> named(String name) {
        for (Option<?> o : options) if (o.name.equals(name)) return o;
        return null;
    }

    private static <T> void fold(Option<T> option, String arg, String what) {
        try {
            option.value = option.take.apply(option.value, arg);
        } catch (IllegalArgumentException e) {
            throw new UsageException("Invalid value for " + what + ": " + e.getMessage());
        }
        option.given = true;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String arg) {
        for (E e : type.getEnumConstants()) if (e.name().equals(arg)) return e;
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add(e.name());
        throw new IllegalArgumentException(expected(names, arg));
    }

    private static String expected(List<String> known, String arg) {
        return "expected " + String.join(", ", known.subList(0, known.size() - 1)) + " or " + known.getLast() + ", not '" + arg + "'";
    }

    // ---- help ----------------------------------------------------------------------------------

    /** The help: synopsis, description, then one row per operand and option. */
    String usage() {
        StringBuilder out = new StringBuilder();
        List<String> synopsis = new ArrayList<>(List.of("[-hV]"));
        for (Option<?> o : options) if (!o.takesValue()) synopsis.add("[" + o.synopsis() + "]");
        for (Option<?> o : options) if (o.takesValue()) synopsis.add("[" + o.synopsis() + "]" + (o.repeatable ? "..." : ""));
        if (operands != null) synopsis.add(operands.synopsis());
        wrap(out, "Usage: xcfi " + name + " ", String.join(" ", synopsis));
        for (String paragraph : description) wrap(out, "", paragraph);
        List<String[]> rows = new ArrayList<>();
        if (operands != null) rows.add(row(operands));
        for (Option<?> o : options) rows.add(row(o));
        rows.add(new String[] {"  -h, --help", "Show this help message and exit."});
        rows.add(new String[] {"  -V, --version", "Print version information and exit."});
        table(out, rows);
        return out.toString();
    }

    /** The help of {@code xcfi} itself, which lists the commands. */
    static String usage(String description, List<CommandModel> commands) {
        StringBuilder out = new StringBuilder("Usage: xcfi [-hV] [COMMAND]\n");
        wrap(out, "", description);
        table(out, List.of(new String[] {"  -h, --help", "Show this help message and exit."},
                new String[] {"  -V, --version", "Print version information and exit."}));
        out.append("Commands:\n");
        List<String[]> rows = new ArrayList<>();
        for (CommandModel c : commands) rows.add(new String[] {"  " + c.name, c.summary()});
        table(out, rows);
        return out.toString();
    }

    private static String[] row(Option<?> o) {
        String[] row = new String[1 + o.description.length];
        // short options in the first column, long ones (and operands) from the seventh, as GNU tools align them
        row[0] = (o.name != null && !o.name.startsWith("--") ? "  " : "      ") + o.synopsis();
        System.arraycopy(o.description, 0, row, 1, o.description.length);
        return row;
    }

    /**
     * Rows of a name and its description lines, the descriptions in one column after the widest
     * name (up to a limit: a longer name gets its description on the next line); a description
     * line that wraps continues two columns further in.
     */
    private static void table(StringBuilder out, List<String[]> rows) {
        int names = 0;
        for (String[] row : rows) if (row[0].length() <= 30) names = Math.max(names, row[0].length());
        String indent = " ".repeat(names + 3);
        for (String[] row : rows) {
            String first = row[0].length() <= names ? row[0] + " ".repeat(names + 3 - row[0].length()) : null;
            if (first == null) out.append(row[0]).append('\n');
            for (int k = 1; k < row.length; k++) {
                String lead = first != null ? first : indent;
                first = null;
                wrap(out, lead, indent + "  ", row[k]);
            }
        }
    }

    private static void wrap(StringBuilder out, String lead, String text) {
        wrap(out, lead, " ".repeat(lead.length()), text);
    }

    /** {@code text} after {@code lead}, broken at spaces to fit {@link #WIDTH} columns, later lines after {@code indent}. */
    private static void wrap(StringBuilder out, String lead, String indent, String text) {
        StringBuilder line = new StringBuilder(lead);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line.setLength(0);
                line.append(indent);
                empty = true;
            }
            if (!empty) line.append(' ');
            line.append(word);
            empty = false;
        }
        out.append(line).append('\n');
    }
}
