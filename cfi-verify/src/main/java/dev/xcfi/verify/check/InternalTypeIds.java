package dev.xcfi.verify.check;

import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;

import java.util.ArrayList;
import java.util.List;

/**
 * internal-type-id: a function whose type has no linkage (clang gives it a module-local distinct
 * node instead of an id string) but which other modules use: their checks can never match it.
 */
final class InternalTypeIds {
    private InternalTypeIds() {}

    static void find(Program program, List<Finding> findings) {
        program.definitions().forEach((name, defs) -> {
            Site def = program.definition(name);
            if (!hasDistinctId(def.function())) return;
            List<Site> users = program.declarations().getOrDefault(name, List.of()).stream().filter(s -> s.module() != def.module()).toList();
            if (users.isEmpty()) return;
            List<Finding.Location> locations = new ArrayList<>();
            locations.add(new Finding.Location(def.where(), "definition", "distinct !{}", "a type without linkage", def.function().source()));
            users.forEach(u -> locations.add(new Finding.Location(u.where(), "use", "", "", u.function().source())));
            findings.add(new Finding(Rule.INTERNAL_TYPE_ID, name,
                    name + " has a type without linkage (its id is a module-local node), but other modules use it: their checks can never match it",
                    locations, "give the types in its signature linkage (name them outside anonymous namespaces or static scopes)"));
        });
    }

    private static boolean hasDistinctId(FunctionFacts f) {
        for (TypeAttachment t : f.typeIds()) if (t.id() instanceof TypeIdRef.Distinct) return true;
        return false;
    }
}
