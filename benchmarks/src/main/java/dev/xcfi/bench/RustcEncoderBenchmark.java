package dev.xcfi.bench;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.HashedTypeId;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.encoding.RustcEncoder;
import dev.xcfi.encoding.rust.RustParser;
import dev.xcfi.types.Target;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.RustStd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Parse-free rustc encoding of typical {@code extern "C"} signatures (id string plus KCFI hash). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RustcEncoderBenchmark {
    @Param({"c_int cmp(*const c_char, usize, *mut Point, c_long)", "c_void callback(Option<extern \"C\" fn(c_int)>, &[u8])"})
    public String signature;

    @Param({"plain", "normalized.generalized"})
    public String mode;

    private FnSig sig;
    private CfiMode cfiMode;
    private RustcEncoder encoder;

    @Setup
    public void setUp() {
        String[] parts = signature.split(" ", 2);
        String ret = parts[0].equals("c_void") ? "" : " -> " + parts[0];
        String name = parts[1].substring(0, parts[1].indexOf('('));
        String params = parts[1].substring(parts[1].indexOf('(') + 1, parts[1].lastIndexOf(')'));
        StringBuilder named = new StringBuilder();
        int i = 0;
        for (String p : splitTopLevel(params)) named.append(i > 0 ? ", " : "").append("a").append(i++).append(": ").append(p.strip());
        String src = "use std::ffi::*;\n#[repr(C)] pub struct Point { x: i32 }\nextern \"C\" { fn " + name + "(" + named + ")" + ret + "; }\n";
        sig = RustParser.parse(Target.X86_64_LINUX_GNU, "bench", List.of(new RustParser.Source("bench.rs", src))).declarations().get(0).signature();
        cfiMode = mode.equals("plain") ? CfiMode.PLAIN : CfiMode.NORMALIZED_GENERALIZED;
        java.util.Map<String, String> crates = new java.util.HashMap<>(RustStd.RUSTC_1_95_CRATES);
        crates.put("bench", "s0_");
        encoder = RustcEncoder.of(Target.X86_64_LINUX_GNU, crates);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new java.util.ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<' || c == '(' || c == '[') depth++;
            else if (c == '>' || c == ')' || c == ']') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    @Benchmark
    public HashedTypeId encodeAndHash() {
        return encoder.encode(sig, cfiMode, KcfiHash.XXHASH64);
    }
}
