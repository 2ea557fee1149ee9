package dev.xcfi.verify.cli;

import java.io.PrintWriter;

/** An xcfi command: its options and operands, and what it does with them once they are parsed. */
interface Command {
    CommandModel model();

    /** Runs with the parsed options; returns the exit status. A bad value found here is an {@link IllegalArgumentException}. */
    int run(PrintWriter out, PrintWriter err) throws Exception;
}
