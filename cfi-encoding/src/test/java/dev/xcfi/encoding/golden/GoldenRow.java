package dev.xcfi.encoding.golden;

/**
 * One row of a golden TSV, in exactly the CLI's {@code tsv} format:
 * {@code name<TAB>type_id<TAB>kcfi<TAB>cross_dso}.
 */
public record GoldenRow(String name, String typeId, String kcfi, String crossDso) {
    public String tsv() {
        return name + "\t" + typeId + "\t" + kcfi + "\t" + crossDso;
    }

    public static GoldenRow parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 4) throw new IllegalArgumentException("not a 4-column golden row: " + line);
        return new GoldenRow(f[0], f[1], f[2], f[3]);
    }
}
