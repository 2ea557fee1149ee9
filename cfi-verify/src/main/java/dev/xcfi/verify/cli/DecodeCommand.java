package dev.xcfi.verify.cli;

import dev.xcfi.encoding.Compiler;
import dev.xcfi.encoding.RustIdDecoder;
import dev.xcfi.encoding.TypeIdDecoder;
import dev.xcfi.types.Target;

import java.io.PrintWriter;
import java.util.List;

final class DecodeCommand implements Command {
    private final CommandModel model = new CommandModel("decode", "Read CFI type ids back as types: id<TAB>C view<TAB>Rust view[<TAB>(mode)].",
            "_ZTSFvPFvlElE -> void (void (*)(long), long) / extern \"C\" fn(extern \"C\" fn(c_long), c_long).",
            "A view an id cannot be read in (a rustc path in C, say) is '-'; a C++ id, which neither reads, is id<TAB>C++: type<TAB>-.");
    private final CommandModel.Option<String> target = model.option("--target", "TRIPLE", null, String::valueOf,
            "Target whose type codes to assume (default: this machine). Known: " + String.join(", ", TargetOptions.TARGET_NAMES));
    private final CommandModel.Option<String> writer = model.choice("--writer", "COMPILER", List.of("clang", "rustc"),
            "The compiler that wrote the ids, whose numbering of back-references both views then follow (rustc counts a function pointer "
                    + "as one substitution, clang as two). Default: the C view as clang numbers, the Rust view as rustc does.");
    private final CommandModel.Option<List<String>> ids = model.operands("ID", String::valueOf, "Type ids (_ZTS…, with any .normalized/.generalized suffix).");

    @Override
    public CommandModel model() {
        return model;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) {
        String triple = target.value();
        List<String> ids = this.ids.value();
        Target t = triple == null ? Target.host() : Target.of(triple);
        String w = writer.value();
        Compiler cWriter = w == null ? Compiler.CLANG : Compiler.valueOf(w.toUpperCase(java.util.Locale.ROOT));
        Compiler rustWriter = w == null ? Compiler.RUSTC : cWriter;
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
