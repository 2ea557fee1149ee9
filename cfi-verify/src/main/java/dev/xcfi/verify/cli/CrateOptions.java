package dev.xcfi.verify.cli;

import java.util.Map;

/**
 * What encoding Rust sources needs to know of their crates — {@code --crate-name}, {@code --crate},
 * {@code --rustc} — declared once for {@code encode} and {@code which} ({@link EncodeCommand#encodeRust}).
 */
final class CrateOptions {
    private final CommandModel.Option<String> crateName;
    private final CommandModel.Option<Map<String, String>> crates;
    private final CommandModel.Option<String> rustc;

    CrateOptions(CommandModel model) {
        crateName = model.option("--crate-name", "NAME", null, String::valueOf, "Rust: the crate the .rs files belong to (default: the first one's name).");
        crates = model.keyValues("--crate", "NAME=DISAMBIGUATOR", "Rust: a crate disambiguator, the text between C and the name's length in an id "
                + "(--crate core=sgEmfK2I1SDT_ for NtCsgEmfK2I1SDT_4core). Missing ones are learned from rustc.");
        rustc = model.option("--rustc", "RUSTC", "rustc", String::valueOf, "Rust: the rustc to learn crate disambiguators from.");
    }

    /** The crate named, or null for the first file's. */
    String crateName() {
        return crateName.value();
    }

    Map<String, String> crates() {
        return crates.value();
    }

    String rustc() {
        return rustc.value();
    }
}
