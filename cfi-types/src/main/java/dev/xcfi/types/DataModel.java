package dev.xcfi.types;

/** The widths of {@code int}, {@code long} and pointers that name a C data model. */
public enum DataModel {
    ILP32(32, 32, 32),
    LP64(32, 64, 64),
    LLP64(32, 32, 64),
    ILP64(64, 64, 64);

    private final int intBits;
    private final int longBits;
    private final int pointerBits;

    DataModel(int intBits, int longBits, int pointerBits) {
        this.intBits = intBits;
        this.longBits = longBits;
        this.pointerBits = pointerBits;
    }

    public int intBits() {
        return intBits;
    }

    public int longBits() {
        return longBits;
    }

    public int pointerBits() {
        return pointerBits;
    }
}
