package dev.xcfi.verify.cli;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.CrossDsoId;
import dev.xcfi.encoding.KcfiHash;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.concurrent.Callable;

final class HashCommand implements Callable<Integer> {
    final CommandModel model = new CommandModel("hash", this, "Hash type-id strings: id<TAB>kcfi-xxhash64<TAB>kcfi-fnv1a<TAB>cross_dso.",
            "The cross-DSO id is '-' for .generalized ids, which clang never checks across DSOs.");
    private final PositionalParamSpec ids = model.operands(String.class, "ID", "Type-id strings, as _ZTSFvlE.");

    @Override
    public Integer call() {
        List<String> ids = this.ids.getValue();
        for (String id : ids) {
            String xdso = CfiMode.ofSuffixes(id).generalizePointers() ? "-" : CrossDsoId.format(CrossDsoId.of(id));
            model.spec().commandLine().getOut().println(id + "\t" + KcfiHash.format(KcfiHash.XXHASH64.hash(id)) + "\t"
                    + KcfiHash.format(KcfiHash.FNV1A.hash(id)) + "\t" + xdso);
        }
        return Main.OK;
    }
}
