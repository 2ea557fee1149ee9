package dev.xcfi.types.rust;

import java.util.List;

/**
 * Where an item is defined: its crate and the path inside it, as rustc's CFI encoder spells it
 * ({@code NtNtC<crate-disambiguator>4core6option6Option}).
 */
public record DefPath(String crate, List<Segment> segments) {
    /**
     * One path component.
     *
     * @param namespace      rustc's namespace tag: {@code t} type (modules, structs, enums, traits…),
     *                       {@code v} value (fns, consts)
     * @param disambiguator  0 unless the same name repeats in one scope
     */
    public record Segment(char namespace, String name, int disambiguator) {
        public static Segment type(String name) {
            return new Segment('t', name, 0);
        }
    }

    public DefPath {
        segments = List.copyOf(segments);
    }

    /** A path of type-namespace segments: {@code DefPath.of("core", "option", "Option")}. */
    public static DefPath of(String crate, String... names) {
        return new DefPath(crate, java.util.Arrays.stream(names).map(Segment::type).toList());
    }

    public String name() {
        return segments.get(segments.size() - 1).name();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(crate);
        for (Segment s : segments) sb.append("::").append(s.name());
        return sb.toString();
    }
}
