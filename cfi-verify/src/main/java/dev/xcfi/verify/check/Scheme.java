package dev.xcfi.verify.check;

import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.ModuleFacts;

/** The indirect-call check a module was built with. */
enum Scheme {
    NONE, CFI_ICALL, KCFI;

    /** How reports name the scheme ("KCFI", "CFI"), what a function carries under it, and how to build with it. */
    String label() {
        return this == KCFI ? "KCFI" : "CFI";
    }

    String carried() {
        return this == KCFI ? "hash" : "type id";
    }

    String flags() {
        return this == KCFI ? "-fsanitize=kcfi (rustc -Zsanitizer=kcfi)" : "-fsanitize=cfi-icall (rustc -Zsanitizer=cfi)";
    }

    static Scheme of(ModuleFacts m) {
        if (m.flags().kcfi()) return KCFI;
        if (!m.typeTests().isEmpty()) return CFI_ICALL;
        for (FunctionFacts f : m.functions()) if (!f.typeIds().isEmpty()) return CFI_ICALL;
        return NONE;
    }
}
