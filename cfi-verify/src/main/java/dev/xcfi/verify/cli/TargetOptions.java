package dev.xcfi.verify.cli;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.types.Target;

import java.util.List;

/**
 * Which ids a command computes — {@code --target} (and {@code -fshort-wchar}), {@code --normalize-integers},
 * {@code --generalize-pointers}, {@code --kcfi-hash} — declared once for {@code encode} and
 * {@code which}; each declares the group where its help lists it.
 */
final class TargetOptions {
    /** The targets xcfi knows, by short name, for the help of the commands that take a target. */
    static final List<String> TARGET_NAMES = Target.known().stream().map(Target::shortName).toList();

    private final CommandModel.Option<String> target;
    private final CommandModel.Option<Boolean> normalize, generalize, shortWchar;
    private final CommandModel.Option<String> kcfiHash;

    TargetOptions(CommandModel model) {
        target = model.option("--target", "TRIPLE", null, String::valueOf, "Target triple (default: this machine). Known: " + String.join(", ", TARGET_NAMES));
        normalize = model.flag("--normalize-integers", "Integer normalization (-fsanitize-cfi-icall-experimental-normalize-integers).");
        generalize = model.flag("--generalize-pointers", "Pointer generalization (-fsanitize-cfi-icall-generalize-pointers).");
        shortWchar = model.flag("-fshort-wchar", "wchar_t is unsigned short, as clang's -fshort-wchar makes it (Linux's EFI code, UEFI firmware).");
        kcfiHash = model.option("--kcfi-hash", "HASH", "xxhash64", String::valueOf, "KCFI hash: xxhash64 (default) or fnv1a.");
    }

    /** The target named, else this machine's; with {@code -fshort-wchar}'s wchar_t if given. */
    Target target() {
        Target t = target.value() == null ? Target.host() : Target.of(target.value());
        return shortWchar.value() ? t.withShortWchar() : t;
    }

    CfiMode mode() {
        return CfiMode.of(normalize.value(), generalize.value());
    }

    KcfiHash kcfiHash() {
        return KcfiHash.parse(kcfiHash.value());
    }
}
