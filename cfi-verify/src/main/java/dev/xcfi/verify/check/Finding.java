package dev.xcfi.verify.check;

import dev.xcfi.verify.facts.SourceLocation;

import java.util.List;

/** One problem: the rule, the symbol it concerns ("" for the whole program), both sides, and a fix. */
public record Finding(Rule rule, String symbol, String message, List<Location> locations, String fix) {
    public Finding {
        locations = List.copyOf(locations);
    }

    /**
     * One side of a finding: where (the module's file, and with debug information the place in the
     * source), in what role, the id there and what it means.
     */
    public record Location(String path, String role, String typeId, String decoded, dev.xcfi.verify.facts.SourceLocation source) {
        public Location(String path, String role, String typeId, String decoded) {
            this(path, role, typeId, decoded, dev.xcfi.verify.facts.SourceLocation.NONE);
        }
    }
}
