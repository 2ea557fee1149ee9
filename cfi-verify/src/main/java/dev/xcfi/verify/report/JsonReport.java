package dev.xcfi.verify.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.xcfi.encoding.SymbolNames;
import dev.xcfi.verify.check.Finding;
import dev.xcfi.verify.check.Rule;
import dev.xcfi.verify.facts.ModuleFacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON report (version 1); its shape is the CLI contract other tools rely on. */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    public static String render(Report r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        List<Object> inputs = new ArrayList<>();
        for (Report.Input in : r.inputs()) {
            Map<String, Object> o = new LinkedHashMap<>();
            ModuleFacts first = in.modules().get(0);
            o.put("path", in.path());
            o.put("reader", in.reader());
            o.put("producer", first.producer());
            o.put("triple", first.triple());
            o.put("modules", in.modules().size());
            o.put("functions", in.modules().stream().mapToInt(m -> m.functions().size()).sum());
            o.put("typeTests", in.modules().stream().mapToInt(m -> m.typeTests().size()).sum());
            o.put("kcfiCalls", in.modules().stream().mapToInt(m -> m.kcfiCalls().size()).sum());
            Map<String, Object> scheme = new LinkedHashMap<>();
            scheme.put("kcfi", first.flags().kcfi());
            scheme.put("kcfiHash", first.flags().kcfi() ? first.flags().kcfiHash().orElse("xxHash64") : null);
            scheme.put("normalizeIntegers", first.flags().normalizeIntegers());
            scheme.put("crossDso", first.flags().crossDso());
            scheme.put("canonicalJumpTables", first.flags().canonicalJumpTables());
            scheme.put("typeIds", in.modules().stream().flatMap(m -> m.functions().stream()).mapToInt(f -> f.typeIds().size()).sum());
            scheme.put("kcfiTypes", in.modules().stream().flatMap(m -> m.functions().stream()).filter(f -> f.kcfiType().isPresent()).count());
            o.put("scheme", scheme);
            inputs.add(o);
        }
        root.put("inputs", inputs);
        List<Object> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            Map<String, Object> o = finding(f);
            // with a baseline, as SARIF's baselineState says it
            r.baseline().ifPresent(b -> o.put("baseline", b.isKnown(f) ? "unchanged" : "new"));
            findings.add(o);
        }
        root.put("findings", findings);
        r.baseline().ifPresent(b -> root.put("fixed", b.fixed().stream().map(JsonReport::finding).toList()));
        List<Object> errors = new ArrayList<>();
        // Linked maps throughout (not Map.of): keys print in a fixed order, so reports can be diffed.
        for (Report.InputError e : r.errors()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("path", e.path());
            o.put("message", e.message());
            errors.add(o);
        }
        root.put("errors", errors);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("errors", r.count(Rule.Severity.ERROR));
        summary.put("warnings", r.count(Rule.Severity.WARNING));
        r.baseline().ifPresent(b -> {
            summary.put("known", b.known().size());
            summary.put("fixed", b.fixed().size());
        });
        root.put("summary", summary);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> finding(Finding f) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("rule", f.rule().id());
        o.put("severity", f.rule().severity().name().toLowerCase(Locale.ROOT));
        o.put("symbol", f.symbol());
        SymbolNames.demangle(f.symbol()).ifPresent(path -> o.put("demangled", path));
        o.put("message", f.message());
        List<Object> locations = new ArrayList<>();
        for (Finding.Location l : f.locations()) {
            Map<String, Object> lo = new LinkedHashMap<>();
            lo.put("path", l.path());
            lo.put("role", l.role());
            lo.put("typeId", l.typeId());
            lo.put("decoded", l.decoded());
            if (l.source().isKnown()) lo.put("source", source(l.source()));
            locations.add(lo);
        }
        o.put("locations", locations);
        o.put("fix", f.fix());
        return o;
    }

    /** A place in the source as the module's debug information gives it: the file as the compiler was given it, and its folder. */
    private static Map<String, Object> source(dev.xcfi.verify.facts.SourceLocation s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", s.file());
        o.put("line", s.line());
        if (s.column() > 0) o.put("column", s.column());
        if (!s.directory().isEmpty()) o.put("directory", s.directory());
        return o;
    }
}
