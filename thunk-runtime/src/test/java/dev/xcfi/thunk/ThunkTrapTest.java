package dev.xcfi.thunk;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The calls KCFI must stop, each in a child JVM (the signal ends that process, not the tests):
 * SIGILL at call_long's ud2 for a raw stub or a thunk with another type's hash, SIGSEGV for a
 * retired thunk.
 */
class ThunkTrapTest {
    @TempDir
    static Path dir;
    static KcfiLibrary lib, prefixed;

    @BeforeAll
    static void build() throws Exception {
        lib = KcfiLibrary.build(dir, "trap");
        prefixed = KcfiLibrary.build(dir, "trap-prefixed", "-fpatchable-function-entry=4,2");
    }

    record Outcome(int exit, String output) {}

    static Outcome probe(String mode) throws Exception {
        return probe(mode, lib);
    }

    static Outcome probe(String mode, KcfiLibrary lib) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + dir.resolve("hs_err_" + mode + ".log"), "-cp", System.getProperty("java.class.path"),
                TrapProbe.class.getName(), mode, lib.path.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Outcome(p.waitFor(), out);
    }

    @Test
    void aRawUpcallStubTrapsAtTheKcfiCheck() throws Exception {
        Outcome o = probe("raw-stub");
        assertThat(o.exit()).as(o.output()).isNotZero();   // 1: the JVM's fatal-error exit without a core dump
        assertThat(o.output()).contains("SIGILL").contains("call_long+").doesNotContain("survived");
    }

    /** The right hash in the wrong place: callers with a patchable prefix read it 2 bytes further back. */
    @Test
    void aThunkWithoutTheCallersPatchablePrefixTraps() throws Exception {
        Outcome o = probe("unprefixed", prefixed);
        assertThat(o.exit()).as(o.output()).isNotZero();
        assertThat(o.output()).contains("SIGILL").contains("call_long+").doesNotContain("survived");
    }

    @Test
    void aThunkTaggedForAnotherPrototypeTraps() throws Exception {
        Outcome o = probe("wrong-prototype");
        assertThat(o.exit()).as(o.output()).isNotZero();
        assertThat(o.output()).contains("SIGILL").contains("call_long+").doesNotContain("survived");
    }

    @Test
    void aThunkCalledAfterCloseFaultsAndReachesNothing() throws Exception {
        Outcome o = probe("closed");
        assertThat(o.output()).contains("before close: 2").doesNotContain("survived");
        assertThat(o.exit()).as(o.output()).isNotZero();
        assertThat(o.output()).contains("SIGSEGV");
    }
}
