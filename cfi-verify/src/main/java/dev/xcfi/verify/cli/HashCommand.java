package dev.xcfi.verify.cli;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.CrossDsoId;
import dev.xcfi.encoding.KcfiHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "hash", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = {"Hash type-id strings: id<TAB>kcfi-xxhash64<TAB>kcfi-fnv1a<TAB>cross_dso.",
        "The cross-DSO id is '-' for .generalized ids, which clang never checks across DSOs."})
final class HashCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "1..*")
    List<String> ids;

    @Override
    public Integer call() {
        for (String id : ids) {
            String xdso = CfiMode.ofSuffixes(id).generalizePointers() ? "-" : CrossDsoId.format(CrossDsoId.of(id));
            spec.commandLine().getOut().println(id + "\t" + KcfiHash.format(KcfiHash.XXHASH64.hash(id)) + "\t"
                    + KcfiHash.format(KcfiHash.FNV1A.hash(id)) + "\t" + xdso);
        }
        return Main.OK;
    }
}
