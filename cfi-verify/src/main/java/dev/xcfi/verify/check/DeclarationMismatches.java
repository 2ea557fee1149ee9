package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;

import java.util.List;
import java.util.Optional;

/**
 * declaration-mismatch: two modules' views of one function that disagree, so that calls through
 * pointers of one view's type trap — a declaration against the definition, a weak definition
 * against the strong one that replaces it, or two declarations of a function no analysed module
 * defines.
 */
final class DeclarationMismatches {
    private final Program program;
    private final Sides sides;
    private final List<Finding> findings;

    private DeclarationMismatches(Program program, Sides sides, List<Finding> findings) {
        this.program = program;
        this.sides = sides;
        this.findings = findings;
    }

    static void find(Program program, Sides sides, List<Finding> findings) {
        new DeclarationMismatches(program, sides, findings).find();
    }

    private void find() {
        program.declarations().forEach((name, decls) -> {
            Site def = program.definition(name);
            if (def != null) {
                for (Site decl : decls) if (decl.module() != def.module()) compare(name, decl, Views.DECLARED_DEFINED, def);
                return;
            }
            // Defined outside the analysed modules (a native library): the link keeps one
            // declaration's ids for the function's jump-table entry, so the other modules' checks fail.
            Site first = decls.get(0);
            for (Site decl : decls) if (decl.module() != first.module()) compare(name, decl, Views.DECLARED_TWICE, first);
        });
        // A weak definition (C's __attribute__((weak)) default) is, to the linker, a declaration
        // once a strong definition exists: its module's pointers to it point to the strong one.
        program.definitions().forEach((name, defs) -> {
            Site strong = program.definition(name);
            if (strong.function().linkage().isReplaceable()) return;
            for (Site weak : defs) {
                if (weak.module() != strong.module() && weak.function().linkage().isReplaceable()) compare(name, weak, Views.WEAK_STRONG, strong);
            }
        });
    }

    /** Two modules' views of one function that must agree, and how a finding words them: {@code use} is the view that traps. */
    private enum Views {
        DECLARED_DEFINED("declaration", " is declared with ", " but defined with ", "definition",
                ": a call through a pointer of the declared type traps", ": indirect calls through the declared type trap"),
        WEAK_STRONG("weak definition", " has a weak definition with ", " but the strong definition that replaces it carries ", "definition",
                ": a call through a pointer of the weak definition's type traps", ": indirect calls through the weak definition's type trap"),
        DECLARED_TWICE("declaration", " is declared with ", " but another module declares it with ", "other declaration",
                ", and no analysed module defines it: the link keeps one declaration's id for it, so calls through pointers of the other type trap",
                ", and no analysed module defines it: its definition carries one hash at most, so indirect calls through the other type trap");

        final String role, verb, against, otherRole, idConsequence, hashConsequence;

        Views(String role, String verb, String against, String otherRole, String idConsequence, String hashConsequence) {
            this.role = role;
            this.verb = verb;
            this.against = against;
            this.otherRole = otherRole;
            this.idConsequence = idConsequence;
            this.hashConsequence = hashConsequence;
        }
    }

    /** {@code use}'s view of {@code name} against {@code other}'s: KCFI hashes when both have one, else the tested ids. */
    private void compare(String name, Site use, Views views, Site other) {
        if (other.function().kcfiType().isPresent() && use.function().kcfiType().isPresent()) {
            int a = other.function().kcfiType().getAsInt(), b = use.function().kcfiType().getAsInt();
            if (a == b) return;
            findings.add(sides.mismatch(Rule.DECLARATION_MISMATCH, name,
                    name + views.verb + "KCFI hash " + Sides.hex(b) + views.against + Sides.hex(a) + views.hashConsequence,
                    use, sides.hash(use.function().source(), views.role, b, use.module(), use.function().signature()),
                    other, sides.hash(other.function().source(), views.otherRole, a, other.module(), other.function().signature()),
                    "make the " + views.role + "'s parameter and return types encode like the " + views.otherRole + "'s"));
            return;
        }
        for (CfiMode mode : program.testedModes()) {
            Optional<String> a = other.id(mode), b = use.id(mode);
            if (a.isPresent() && b.isPresent() && !a.get().equals(b.get())) {
                findings.add(sides.mismatch(Rule.DECLARATION_MISMATCH, name, name + views.verb + "type id " + b.get() + views.against + a.get() + views.idConsequence,
                        use, sides.id(use.module(), use.function().source(), views.role, b.get()), other, sides.id(other.module(), other.function().source(), views.otherRole, a.get()),
                        "make the " + views.role + "'s parameter and return types the same as the " + views.otherRole + "'s"));
                return;
            }
        }
    }
}
