package dev.xcfi.verify.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xcfi.verify.check.Finding;
import dev.xcfi.verify.check.Rule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Findings accepted earlier, so that CI fails on new ones only: the JSON report of an earlier run
 * ({@code ./xcfi verify --format json … > baseline.json}). A finding is the same one when its rule,
 * its symbol and the role and id of each of its sides are: not its paths (build folders move), its
 * message or its fix (their wording may improve between versions).
 */
public record Baseline(List<Finding> findings) {
    public Baseline {
        findings = List.copyOf(findings);
    }

    /** The current findings against the baseline: those it has ({@code known}), and those it has that are gone ({@code fixed}). */
    public record Comparison(Set<Finding> known, List<Finding> fixed) {
        public boolean isKnown(Finding f) {
            return known.contains(f);
        }
    }

    /**
     * Reads a JSON report as a baseline.
     *
     * @throws IllegalArgumentException when the file is not a report xcfi wrote, saying where
     */
    public static Baseline read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the baseline " + file + " does not exist (write one with ./xcfi verify --format json ... > " + file + ")");
        } catch (java.nio.charset.CharacterCodingException e) {
            // a module or an object given where the report belongs, say
            throw new IllegalArgumentException("the baseline " + file + " is not JSON: not UTF-8 text (an xcfi JSON report, from ./xcfi verify --format json)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the baseline " + file + " is not JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || root.path("version").asInt() != 1 || !root.path("findings").isArray()) {
            throw new IllegalArgumentException("the baseline " + file + " is not an xcfi JSON report (version 1 with a findings list)");
        }
        List<Finding> findings = new ArrayList<>();
        int index = 0;
        for (JsonNode f : root.get("findings")) {
            String where = "the baseline " + file + ", finding " + index++;
            Rule rule = rule(f.path("rule").asText(), where);
            List<Finding.Location> locations = new ArrayList<>();
            for (JsonNode l : f.path("locations")) {
                locations.add(new Finding.Location(l.path("path").asText(), l.path("role").asText(), l.path("typeId").asText(), l.path("decoded").asText()));
            }
            if (!f.path("symbol").isTextual()) throw new IllegalArgumentException(where + " has no symbol");
            findings.add(new Finding(rule, f.get("symbol").asText(), f.path("message").asText(), locations, f.path("fix").asText()));
        }
        return new Baseline(findings);
    }

    private static Rule rule(String id, String where) {
        for (Rule r : Rule.values()) if (r.id().equals(id)) return r;
        throw new IllegalArgumentException(where + " has an unknown rule '" + id + "'");
    }

    /** Matches each current finding to an equal baseline finding, each baseline finding used once. */
    public Comparison compare(List<Finding> current) {
        Map<String, Integer> available = new HashMap<>();
        for (Finding f : findings) available.merge(key(f), 1, Integer::sum);
        Set<Finding> known = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Finding f : current) {
            if (available.merge(key(f), -1, Integer::sum) >= 0) known.add(f);
        }
        List<Finding> fixed = new ArrayList<>();
        Map<String, Integer> left = new HashMap<>(available);
        for (Finding f : findings) {
            if (left.getOrDefault(key(f), 0) > 0) {
                fixed.add(f);
                left.merge(key(f), -1, Integer::sum);
            }
        }
        return new Comparison(known, fixed);
    }

    /** What makes two findings the same across runs. */
    static String key(Finding f) {
        StringBuilder k = new StringBuilder(f.rule().id()).append('\0').append(f.symbol());
        for (Finding.Location l : f.locations()) k.append('\0').append(l.role()).append('\0').append(l.typeId());
        return k.toString();
    }
}
