package dev.xcfi.verify.cli;

import dev.xcfi.encoding.c.DeclarationEncoder;
import dev.xcfi.encoding.c.EncodedDeclaration;
import dev.xcfi.encoding.c.FunctionDeclaration;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@code xcfi encode}'s TSV rows for headers of any size: the parser hands declarations over as
 * it reads them, a second thread encodes and formats them in batches, and the rows are written in
 * input order. Parsing is the larger half of the work, so the encoding is all but free on two cores.
 */
final class TsvRows implements Consumer<FunctionDeclaration>, AutoCloseable {
    private static final int BATCH = 1024;

    /** A batch's rows as text, and whether any was an error row. */
    private record Rows(String text, boolean anyError) {}

    private final DeclarationEncoder encoder;
    private final PrintWriter out;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "xcfi-encode");
        t.setDaemon(true);
        return t;
    });
    private final ArrayDeque<Future<Rows>> pending = new ArrayDeque<>();
    private List<FunctionDeclaration> batch = new ArrayList<>(BATCH);
    private boolean anyError;

    /** {@code encoder} is used by the worker thread only. */
    TsvRows(DeclarationEncoder encoder, PrintWriter out) {
        this.encoder = encoder;
        this.out = out;
    }

    @Override
    public void accept(FunctionDeclaration d) {
        batch.add(d);
        if (batch.size() == BATCH) {
            submit();
            while (!pending.isEmpty() && pending.peek().isDone()) write(pending.poll());
        }
    }

    /** Writes every row; true if any was an error row. */
    boolean finish() {
        if (!batch.isEmpty()) submit();
        while (!pending.isEmpty()) write(pending.poll());
        return anyError;
    }

    private void submit() {
        List<FunctionDeclaration> declarations = batch;
        batch = new ArrayList<>(BATCH);
        pending.add(worker.submit(() -> {
            StringBuilder text = new StringBuilder(declarations.size() * 96);
            boolean error = false;
            for (FunctionDeclaration d : declarations) {
                EncodedDeclaration row = encoder.encode(d);
                error |= !row.ok();
                row.appendTsv(text);
                text.append('\n');
            }
            return new Rows(text.toString(), error);
        }));
    }

    private void write(Future<Rows> rows) {
        Rows r;
        try {
            r = rows.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
        anyError |= r.anyError();
        out.write(r.text());
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
