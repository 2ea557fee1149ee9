package dev.xcfi.verify.cli;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.CrossDsoId;
import dev.xcfi.encoding.KcfiHash;

import java.io.PrintWriter;

import java.util.List;

final class HashCommand implements Command {
    private final CommandModel model = new CommandModel("hash", "Hash type-id strings: id<TAB>kcfi-xxhash64<TAB>kcfi-fnv1a<TAB>cross_dso.",
            "The cross-DSO id is '-' for .generalized ids, which clang never checks across DSOs.");
    private final CommandModel.Option<List<String>> ids = model.operands("ID", String::valueOf, "Type-id strings, as _ZTSFvlE.");

    @Override
    public CommandModel model() {
        return model;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) {
        List<String> ids = this.ids.value();
        for (String id : ids) {
            String xdso = CfiMode.ofSuffixes(id).generalizePointers() ? "-" : CrossDsoId.format(CrossDsoId.of(id));
            out.println(id + "\t" + KcfiHash.format(KcfiHash.XXHASH64.hash(id)) + "\t"
                    + KcfiHash.format(KcfiHash.FNV1A.hash(id)) + "\t" + xdso);
        }
        return Main.OK;
    }
}
