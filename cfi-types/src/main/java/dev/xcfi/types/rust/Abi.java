package dev.xcfi.types.rust;

/** The ABIs a Rust {@code fn} type or {@code extern} block can name. */
public enum Abi {
    RUST("Rust"), C("C"), C_UNWIND("C-unwind"), SYSTEM("system"), SYSTEM_UNWIND("system-unwind"),
    SYSV64("sysv64"), WIN64("win64"), EFIAPI("efiapi"), AAPCS("aapcs"), STDCALL("stdcall"), FASTCALL("fastcall");

    private final String spelling;

    Abi(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }

    public static Abi parse(String s) {
        for (Abi a : values()) if (a.spelling.equals(s)) return a;
        throw new IllegalArgumentException("unknown ABI \"" + s + "\"");
    }
}
