package dev.xcfi.bench;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.c.DeclarationEncoder;
import dev.xcfi.encoding.c.FunctionDeclaration;
import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.types.Target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * What parsing a large header on two threads would buy, before building it: parse and encode one
 * header as {@code xcfi encode} does (encoding in batches on worker threads), or parse its two
 * halves at once — the second already prefixed with the header's type definitions, as a parser
 * that split the file would have to reconstruct — and encode the second half's rows after the
 * first's. Prints the wall time of the whole job in milliseconds. {@code benchmarks/parse-split}
 * runs both in fresh JVMs.
 *
 * <p>Usage: {@code SplitParseOnce whole HEADER} or {@code SplitParseOnce halves FIRST SECOND}.
 */
public final class SplitParseOnce {
    private static final Target TARGET = Target.X86_64_LINUX_GNU;
    private static final int BATCH = 1024;

    public static void main(String[] args) throws Exception {
        boolean halves = args[0].equals("halves");
        ExecutorService workers = Executors.newFixedThreadPool(halves ? 2 : 1, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<DeclarationEncoder> encoders = ThreadLocal.withInitial(() -> new DeclarationEncoder(TARGET, CfiMode.PLAIN, KcfiHash.XXHASH64));
        List<Future<String>> rows = new ArrayList<>();
        List<List<FunctionDeclaration>> batch = new ArrayList<>(List.of(new ArrayList<>()));
        Consumer<FunctionDeclaration> encode = d -> {
            batch.get(0).add(d);
            if (batch.get(0).size() == BATCH) {
                List<FunctionDeclaration> full = batch.set(0, new ArrayList<>());
                rows.add(workers.submit(() -> tsv(full, encoders.get())));
            }
        };
        long start = System.nanoTime();
        if (halves) {
            HeaderParser.Input first = HeaderParser.Input.of(Path.of(args[1])), second = HeaderParser.Input.of(Path.of(args[2]));
            List<FunctionDeclaration> later = new ArrayList<>();
            Thread other = new Thread(() -> HeaderParser.parse(TARGET, List.of(), List.of(second), later::add));
            other.start();
            HeaderParser.parse(TARGET, List.of(), List.of(first), encode);
            other.join();
            later.forEach(encode);
        } else {
            HeaderParser.parse(TARGET, List.of(), List.of(HeaderParser.Input.of(Path.of(args[1]))), encode);
        }
        if (!batch.get(0).isEmpty()) rows.add(workers.submit(() -> tsv(batch.get(0), encoders.get())));
        long chars = 0;
        for (Future<String> f : rows) chars += f.get().length();
        System.out.println((System.nanoTime() - start) / 1_000_000 + " ms, " + chars + " characters of rows");
    }

    private static String tsv(List<FunctionDeclaration> declarations, DeclarationEncoder encoder) {
        StringBuilder out = new StringBuilder(declarations.size() * 96);
        for (FunctionDeclaration d : declarations) {
            encoder.encode(d).appendTsv(out);
            out.append('\n');
        }
        return out.toString();
    }
}
