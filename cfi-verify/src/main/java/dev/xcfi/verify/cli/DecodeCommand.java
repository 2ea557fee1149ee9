package dev.xcfi.verify.cli;

import dev.xcfi.encoding.Compiler;
import dev.xcfi.encoding.RustIdDecoder;
import dev.xcfi.encoding.TypeIdDecoder;
import dev.xcfi.types.Target;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

final class DecodeCommand implements Callable<Integer> {
    final CommandModel model = new CommandModel("decode", this, "Read CFI type ids back as types: id<TAB>C view<TAB>Rust view[<TAB>(mode)].",
            "_ZTSFvPFvlElE -> void (void (*)(long), long) / extern \"C\" fn(extern \"C\" fn(c_long), c_long).",
            "A view an id cannot be read in (a rustc path in C, say) is '-'; a C++ id, which neither reads, is id<TAB>C++: type<TAB>-.");
    private final OptionSpec target = model.choice("--target", EncodeCommand.TARGET_NAMES, "TRIPLE",
            "Target whose type codes to assume (default: this machine). Known: ${COMPLETION-CANDIDATES}");
    private final OptionSpec writer = model.choice("--writer", java.util.List.of("clang", "rustc"), "COMPILER",
            "The compiler that wrote the ids, whose numbering of back-references both views then follow (rustc counts a function pointer "
                    + "as one substitution, clang as two). Default: the C view as clang numbers, the Rust view as rustc does.");
    private final PositionalParamSpec ids = model.operands(String.class, "ID", "Type ids (_ZTS…, with any .normalized/.generalized suffix).");

    @Override
    public Integer call() {
        String triple = target.getValue();
        List<String> ids = this.ids.getValue();
        Target t = triple == null ? Target.host() : Target.of(triple);
        String w = writer.getValue();
        if (w != null && !w.equals("clang") && !w.equals("rustc")) throw new picocli.CommandLine.ParameterException(model.spec().commandLine(),
                "--writer must be clang or rustc, not '" + w + "'");
        Compiler cWriter = w == null ? Compiler.CLANG : Compiler.valueOf(w.toUpperCase(java.util.Locale.ROOT));
        Compiler rustWriter = w == null ? Compiler.RUSTC : cWriter;
        PrintWriter out = model.spec().commandLine().getOut();
        PrintWriter err = model.spec().commandLine().getErr();
        int status = Main.OK;
        for (String id : ids) {
            String c = null, rust = null, mode = null, why = null;
            try {
                TypeIdDecoder.Decoded d = TypeIdDecoder.decode(id, t, cWriter);
                c = d.c();
                mode = d.mode().label();
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
            try {
                RustIdDecoder.Decoded d = RustIdDecoder.decode(id, rustWriter);
                rust = d.rust();
                mode = d.mode().label();
            } catch (IllegalArgumentException e) {
                if (why == null) why = e.getMessage();
            }
            if (c == null && rust == null) {
                java.util.Optional<String> cxx = dev.xcfi.encoding.ItaniumDemangler.typeId(id);
                if (cxx.isPresent()) {
                    String suffix = dev.xcfi.encoding.CfiMode.ofSuffixes(id).label();
                    out.println(id + "\tC++: " + cxx.get() + "\t-" + (suffix.equals("plain") ? "" : "\t(" + suffix + ")"));
                    continue;
                }
                err.println("xcfi: " + why);
                status = Main.INPUT_ERRORS;
                continue;
            }
            out.println(id + "\t" + (c == null ? "-" : c) + "\t" + (rust == null ? "-" : rust) + (mode.equals("plain") ? "" : "\t(" + mode + ")"));
            String asRustc = w == null && c != null ? cAsRustcWrote(id, t) : null;
            if (asRustc != null && !asRustc.equals(c)) {
                err.println("xcfi: " + id + " reads as another type if rustc wrote it (it numbers back-references after a function pointer "
                        + "one lower than clang): --writer rustc reads it so");
            }
        }
        return status;
    }

    /** The C view of {@code id} by rustc's numbering, or null. */
    private static String cAsRustcWrote(String id, Target t) {
        try {
            return TypeIdDecoder.decode(id, t, Compiler.RUSTC).c();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
