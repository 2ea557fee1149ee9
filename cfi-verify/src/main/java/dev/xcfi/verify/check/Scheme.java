package dev.xcfi.verify.check;

import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.ModuleFacts;

/** The indirect-call check a module was built with. */
enum Scheme {
    NONE, CFI_ICALL, KCFI;

    static Scheme of(ModuleFacts m) {
        if (m.flags().kcfi()) return KCFI;
        if (!m.typeTests().isEmpty()) return CFI_ICALL;
        for (FunctionFacts f : m.functions()) if (!f.typeIds().isEmpty()) return CFI_ICALL;
        return NONE;
    }
}
