package dev.xcfi.verify.report;

import dev.xcfi.encoding.SymbolNames;
import dev.xcfi.verify.check.Finding;
import dev.xcfi.verify.check.Rule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ArrayList;

/** The report for people: findings grouped by symbol, both sides decoded, the fix. */
public final class TextReport {
    private TextReport() {}

    public static String render(Report r) {
        StringBuilder out = new StringBuilder();
        Map<String, List<Finding>> bySymbol = new LinkedHashMap<>();
        // what the baseline already had is counted, not shown again
        for (Finding f : r.findings()) if (!r.isKnown(f)) bySymbol.computeIfAbsent(f.symbol(), k -> new ArrayList<>()).add(f);
        bySymbol.forEach((symbol, fs) -> {
            out.append(symbol.isEmpty() ? "(whole program)" : symbol);
            SymbolNames.demangle(symbol).ifPresent(path -> out.append(" (").append(path).append(')'));
            out.append('\n');
            for (Finding f : fs) {
                out.append("  ").append(f.rule().severity().name().toLowerCase(Locale.ROOT)).append('[').append(f.rule().id()).append("]: ")
                        .append(f.message()).append('\n');
                for (Finding.Location l : f.locations()) {
                    out.append("    ").append(l.role()).append(": ").append(l.path());
                    if (!l.typeId().isEmpty()) out.append("  ").append(l.typeId());
                    if (l.source().isKnown()) out.append("  at ").append(l.source());
                    out.append('\n');
                    if (!l.decoded().isEmpty()) out.append("      ").append(l.decoded()).append('\n');
                }
                out.append("    fix: ").append(f.fix()).append('\n');
            }
            out.append('\n');
        });
        for (Report.InputError e : r.errors()) out.append("error: ").append(e.path()).append(": ").append(e.message()).append('\n');
        int modules = r.inputs().stream().mapToInt(i -> i.modules().size()).sum();
        count(out, r.count(Rule.Severity.ERROR), "error").append(", ");
        count(count(out, r.count(Rule.Severity.WARNING), "warning").append(" in "), r.inputs().size(), "input").append(" (");
        count(out, modules, "module").append(')');
        r.baseline().ifPresent(b -> out.append("; ").append(b.known().size()).append(" known from the baseline, ").append(b.fixed().size())
                .append(" of its findings gone"));
        if (!r.errors().isEmpty()) out.append("; ").append(r.errors().size()).append(" unreadable");
        return PrintableText.lines(out.append('\n').toString());
    }

    private static StringBuilder count(StringBuilder out, long n, String noun) {
        return out.append(n).append(' ').append(noun).append(n == 1 ? "" : "s");
    }
}
