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

    /**
     * Two modules' views of one function that must agree, and how a finding words them: {@code use}
     * is the view that traps. Only a check can trap: while no indirect call in the analysed modules
     * is checked against {@code use}'s id or hash (for two declarations, either's), calls to the
     * function are direct or go through pointers of other types, and the mismatch is latent: a
     * warning that says what would make it trap (FFI declarations are mostly called directly).
     */
    private enum Views {
        DECLARED_DEFINED("declaration", " is declared with ", " but defined with ", "definition",
                ": a call through a pointer of the declared type traps", ": indirect calls through the declared type trap",
                ": no indirect call in the analysed modules is checked against the declared %s yet, so nothing traps now; "
                        + "a call through a pointer of the declared type would (passing %s as a callback, say)"),
        WEAK_STRONG("weak definition", " has a weak definition with ", " but the strong definition that replaces it carries ", "definition",
                ": a call through a pointer of the weak definition's type traps", ": indirect calls through the weak definition's type trap",
                ": no indirect call in the analysed modules is checked against the weak definition's %s yet, so nothing traps now; "
                        + "a call through a pointer of its type would (passing %s as a callback, say)"),
        DECLARED_TWICE("declaration", " is declared with ", " but another module declares it with ", "other declaration",
                ", and no analysed module defines it: the link keeps one declaration's id for it, so calls through pointers of the other type trap",
                ", and no analysed module defines it: its definition carries one hash at most, so indirect calls through the other type trap",
                ", and no analysed module defines it; no indirect call in the analysed modules is checked against either %s yet, so "
                        + "nothing traps now; a call through a pointer of the type the link does not keep would (passing %s as a callback, say)");

        final String role, verb, against, otherRole, idConsequence, hashConsequence, latentConsequence;

        Views(String role, String verb, String against, String otherRole, String idConsequence, String hashConsequence, String latentConsequence) {
            this.role = role;
            this.verb = verb;
            this.against = against;
            this.otherRole = otherRole;
            this.idConsequence = idConsequence;
            this.hashConsequence = hashConsequence;
            this.latentConsequence = latentConsequence;
        }

        String latent(String what, String name) {
            return latentConsequence.formatted(what, Sides.name(name));
        }
    }

    /** Whether a view's mismatch can trap now: some check tests {@code use}'s id or hash (or, for two declarations, {@code other}'s). */
    private static boolean checked(Views views, boolean use, boolean other) {
        return use || views == Views.DECLARED_TWICE && other;
    }

    /** {@code use}'s view of {@code name} against {@code other}'s: KCFI hashes when both have one, else the tested ids. */
    private void compare(String name, Site use, Views views, Site other) {
        if (other.function().kcfiType().isPresent() && use.function().kcfiType().isPresent()) {
            int a = other.function().kcfiType().getAsInt(), b = use.function().kcfiType().getAsInt();
            if (a == b) return;
            boolean checked = checked(views, program.checks(b), program.checks(a));
            findings.add(sides.mismatch(checked ? Rule.DECLARATION_MISMATCH : Rule.LATENT_DECLARATION_MISMATCH, name,
                    name + views.verb + "KCFI hash " + Sides.hex(b) + views.against + Sides.hex(a) + (checked ? views.hashConsequence : views.latent("hash", name)),
                    use, sides.hash(use.function().source(), views.role, b, use.module(), use.function().signature()),
                    other, sides.hash(other.function().source(), views.otherRole, a, other.module(), other.function().signature()),
                    "make the " + views.role + "'s parameter and return types encode like the " + views.otherRole + "'s"));
            return;
        }
        // the variant some check tests, if one disagrees; else the first that disagrees, as latent
        CfiMode latent = null;
        for (CfiMode mode : program.testedModes()) {
            Optional<String> a = other.id(mode), b = use.id(mode);
            if (a.isEmpty() || b.isEmpty() || a.get().equals(b.get())) continue;
            if (checked(views, program.checks(b.get()), program.checks(a.get()))) {
                idMismatch(name, use, views, other, mode, true);
                return;
            }
            if (latent == null) latent = mode;
        }
        if (latent != null) idMismatch(name, use, views, other, latent, false);
    }

    private void idMismatch(String name, Site use, Views views, Site other, CfiMode mode, boolean checked) {
        String a = other.id(mode).orElseThrow(), b = use.id(mode).orElseThrow();
        findings.add(sides.mismatch(checked ? Rule.DECLARATION_MISMATCH : Rule.LATENT_DECLARATION_MISMATCH, name,
                name + views.verb + "type id " + b + views.against + a + (checked ? views.idConsequence : views.latent("id", name)),
                use, sides.id(use.module(), use.function().source(), views.role, b), other, sides.id(other.module(), other.function().source(), views.otherRole, a),
                "make the " + views.role + "'s parameter and return types the same as the " + views.otherRole + "'s"));
    }
}
