package dev.xcfi.verify.llvm;

import dev.xcfi.encoding.golden.Compilers;
import dev.xcfi.verify.TestBitcode;
import dev.xcfi.verify.facts.ModuleFacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker process: same facts as in-process, and crashes or limits cost one file only. */
class SupervisedReaderTest {
    @TempDir
    static Path dir;
    static Path libllvm;
    static Path small;
    static Path large;

    @BeforeAll
    static void setUp() throws Exception {
        Compilers.requireClang();
        libllvm = LlvmReader.openFirst(LibLlvmLocator.candidates(Optional.empty()), 22).library();
        small = TestBitcode.clang(dir, "x", LlvmReaderTest.SOURCE, "-flto", "-fsanitize=cfi-icall", "-fvisibility=hidden");
        large = largeModule(dir.resolve("large.ll"), 60_000);
    }

    /** Textual IR with many checked indirect calls: slow enough to parse that a limit or a kill lands mid-read. */
    static Path largeModule(Path file, int functions) throws IOException {
        return TestBitcode.manyFunctions(file, functions);
    }

    @Test
    void answersLikeTheInProcessReader() throws Exception {
        try (SupervisedReader r = SupervisedReader.start(libllvm, SupervisedReader.Limits.DEFAULT)) {
            SupervisedReader.Result result = r.read(small);
            assertThat(result).isInstanceOfSatisfying(SupervisedReader.Result.Read.class, read -> {
                try {
                    assertThat(read.modules()).isEqualTo(LlvmReader.open(libllvm).readFile(small.toAbsolutePath().toString(), Files.readAllBytes(small)));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            SupervisedReader.Result big = r.read(large);
            assertThat(big).isInstanceOfSatisfying(SupervisedReader.Result.Read.class, read -> {
                ModuleFacts m = read.modules().get(0);
                assertThat(m.functions()).hasSize(60_000);   // llvm.type.test is an intrinsic: not listed
                assertThat(m.typeTests()).hasSize(60_000);
            });
            assertThat(r.read(dir.resolve("missing.bc"))).isInstanceOfSatisfying(SupervisedReader.Result.Failed.class,
                    f -> assertThat(f.message()).contains("missing.bc"));
            assertThat(r.restarts()).isZero();
        }
    }

    @Test
    void aKilledWorkerCostsOneFileAndIsReplaced() throws Exception {
        try (SupervisedReader r = SupervisedReader.start(libllvm, SupervisedReader.Limits.DEFAULT)) {
            long pid = r.workerPid();
            CompletableFuture<SupervisedReader.Result> pending = CompletableFuture.supplyAsync(() -> r.read(large));
            Thread.sleep(300);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertThat(pending.get()).isInstanceOfSatisfying(SupervisedReader.Result.Failed.class,
                    f -> assertThat(f.message()).isEqualTo("libLLVM crashed while reading this file (signal 9, SIGKILL); the other files are unaffected"));
            assertThat(r.read(small)).isInstanceOf(SupervisedReader.Result.Read.class);
            assertThat(r.restarts()).isEqualTo(1);
            assertThat(r.workerPid()).isNotEqualTo(pid);
        }
    }

    @Test
    void limitsStopTheWorkerNotTheCaller() throws Exception {
        try (SupervisedReader r = SupervisedReader.start(libllvm, new SupervisedReader.Limits(Duration.ofMillis(1), 4L << 30))) {
            assertThat(r.read(large)).isInstanceOfSatisfying(SupervisedReader.Result.Failed.class,
                    f -> assertThat(f.message()).isEqualTo("reading took longer than 1 ms; stopped"));
        }
        try (SupervisedReader r = SupervisedReader.start(libllvm, new SupervisedReader.Limits(Duration.ofSeconds(60), 16L << 20))) {
            assertThat(r.read(large)).isInstanceOfSatisfying(SupervisedReader.Result.Failed.class,
                    f -> assertThat(f.message()).isEqualTo("reading needed more than 16 MiB of memory; stopped"));
            assertThat(r.restarts()).isEqualTo(1);
        }
    }
}
