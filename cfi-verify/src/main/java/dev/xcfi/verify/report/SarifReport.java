package dev.xcfi.verify.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.xcfi.encoding.SymbolNames;
import dev.xcfi.verify.check.Finding;
import dev.xcfi.verify.check.Rule;
import dev.xcfi.verify.facts.SourceLocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0 for code-scanning upload. Bitcode has no source lines, so a result points at the
 * module file and names the function as a logical location; the other side of a mismatch is a
 * related location, and the fix travels in the message (SARIF's "fixes" need text edits).
 */
public final class SarifReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<Rule, String> DESCRIPTIONS = Map.of(
            Rule.DECLARATION_MISMATCH, "A function is declared in one module with a CFI type id other than its definition's",
            Rule.LATENT_DECLARATION_MISMATCH, "A function is declared with a CFI type id other than its definition's, but no indirect call checks the declared id yet",
            Rule.CALLBACK_MISMATCH, "A function passed as a callback does not carry the id the callee checks",
            Rule.SCHEME_MISMATCH, "The modules were built with different CFI schemes or options",
            Rule.UNSATISFIABLE_CHECK, "An indirect-call check that no function in the program can pass",
            Rule.TABLE_ENTRY_MISMATCH, "A function stored in a table carries an id no check tests, while a check tests its twin spelled with other integer types",
            Rule.INTERNAL_TYPE_ID, "A function with a module-local type id is used from other modules");

    private SarifReport() {}

    public static String render(Report r) {
        List<Object> rules = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            rules.add(map("id", rule.id(), "shortDescription", map("text", DESCRIPTIONS.get(rule)),
                    "defaultConfiguration", map("level", level(rule)), "helpUri", "https://github.com/xcfi/xcfi/blob/main/docs/verify.md#" + rule.id()));
        }
        List<Object> results = new ArrayList<>();
        for (Finding f : r.findings()) {
            Map<String, Object> result = result(f);
            r.baseline().ifPresent(b -> result.put("baselineState", b.isKnown(f) ? "unchanged" : "new"));
            results.add(result);
        }
        // what the baseline had and this run no longer finds: SARIF's "absent" results
        r.baseline().ifPresent(b -> b.fixed().forEach(f -> {
            Map<String, Object> result = result(f);
            result.put("baselineState", "absent");
            results.add(result);
        }));
        List<Object> notifications = new ArrayList<>();
        for (Report.InputError e : r.errors()) {
            notifications.add(map("level", "error", "message", map("text", e.message()),
                    "locations", List.of(map("physicalLocation", map("artifactLocation", map("uri", uri(e.path())))))));
        }
        Map<String, Object> run = map("tool", map("driver", map("name", "xcfi", "version", "0.1.0", "rules", rules)),
                "invocations", List.of(map("executionSuccessful", r.errors().isEmpty(), "toolExecutionNotifications", notifications)),
                "results", results);
        Map<String, Object> root = map("$schema", "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", List.of(run));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> result(Finding f) {
        List<Object> related = new ArrayList<>();
        for (int i = 1; i < f.locations().size(); i++) related.add(location(f.locations().get(i), f.symbol(), i));
        Map<String, Object> result = map("ruleId", f.rule().id(), "level", level(f.rule()),
                "message", map("text", f.message() + ". Fix: " + f.fix()),
                "locations", f.locations().isEmpty() ? List.of() : List.of(location(f.locations().get(0), f.symbol(), 0)));
        if (!related.isEmpty()) result.put("relatedLocations", related);
        result.put("partialFingerprints", map("xcfiSymbol/v1", f.rule().id() + ":" + f.symbol()));
        return result;
    }

    private static Map<String, Object> location(Finding.Location l, String symbol, int id) {
        Map<String, Object> loc = map("id", id, "physicalLocation", physical(l),
                "message", map("text", l.role() + (l.typeId().isEmpty() ? "" : ": " + l.typeId()) + (l.decoded().isEmpty() ? "" : " (" + l.decoded() + ")")));
        if (!symbol.isEmpty()) {
            // a Rust symbol's path, a C++ symbol's signature, is what people search for; the symbol itself is the decorated name
            loc.put("logicalLocations", List.of(SymbolNames.demangle(symbol)
                    .map(path -> map("name", symbol, "fullyQualifiedName", path, "decoratedName", symbol, "kind", "function"))
                    .orElse(map("name", symbol, "kind", "function"))));
        }
        return loc;
    }

    /**
     * The source line where the module's debug information gives one (what code scanning shows an
     * alert on: the file as the compiler was given it, relative to the folder it ran in, which a
     * build run from the repository's root makes repository-relative), else the module file.
     */
    private static Map<String, Object> physical(Finding.Location l) {
        if (!l.source().isKnown()) return map("artifactLocation", map("uri", uri(l.path())));
        SourceLocation s = l.source();
        Map<String, Object> region = map("startLine", s.line());
        if (s.column() > 0) region.put("startColumn", s.column());
        Map<String, Object> artifact = map("uri", s.file().startsWith("/") ? "file://" + uri(s.file()) : uri(s.file()));
        return map("artifactLocation", artifact, "region", region, "properties", map("module", l.path(), "buildDirectory", s.directory()));
    }

    /**
     * A path as a URI reference (SARIF's {@code uri} is one): a space, {@code #}, {@code ?},
     * {@code %}, {@code :} (which would read as a scheme) and anything outside ASCII's printable
     * path characters percent-encoded as UTF-8, so that {@code a b#1.bc} does not end at its
     * fragment.
     */
    static String uri(String path) {
        StringBuilder b = new StringBuilder(path.length());
        for (byte x : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/!$&'()*+,;=@".indexOf(c) >= 0;
            if (plain) b.append(c);
            else b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
        return b.toString();
    }

    private static String level(Rule rule) {
        return rule.severity().name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }
}
