package dev.xcfi.verify.llvm;

import dev.xcfi.verify.bitcode.BitcodeException;
import dev.xcfi.verify.facts.ModuleFacts;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process that runs libLLVM: reads file paths from stdin and answers each with the
 * file's facts or an error. It may crash on hostile input; {@link SupervisedReader} restarts it.
 * stdout carries only answers, so nothing else may print there.
 */
public final class ReaderWorker {
    static final int OK = 0, ERROR = 1;

    private ReaderWorker() {}

    public static void main(String[] args) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(System.err, true));   // stray prints must not corrupt the answers
        DataInputStream in = new DataInputStream(System.in);
        LlvmReader reader;
        try {
            reader = LlvmReader.open(Path.of(args[0]));
        } catch (RuntimeException e) {
            out.writeInt(ERROR);
            FactsWire.string(out, e.getMessage());
            out.flush();
            return;
        }
        out.writeInt(OK);
        FactsWire.string(out, reader.version());
        out.flush();
        while (true) {
            String path;
            try {
                path = FactsWire.string(in);
            } catch (java.io.EOFException e) {
                return;   // the supervisor closed stdin: done
            }
            try {
                List<ModuleFacts> modules = reader.readFile(path, Files.readAllBytes(Path.of(path)));
                out.writeInt(OK);
                out.writeInt(modules.size());
                for (ModuleFacts m : modules) FactsWire.write(out, m);
            } catch (BitcodeException | IOException | RuntimeException e) {
                out.writeInt(ERROR);
                FactsWire.string(out, e.getMessage() == null ? e.toString() : e.getMessage());
            }
            out.flush();
        }
    }
}
