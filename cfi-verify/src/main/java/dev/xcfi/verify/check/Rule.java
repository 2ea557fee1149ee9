package dev.xcfi.verify.check;

/** The verifier's rules; ids and severities are part of the CLI contract. */
public enum Rule {
    DECLARATION_MISMATCH("declaration-mismatch", Severity.ERROR),
    /** A declaration mismatch no check in the analysed modules tests yet: calls to the function are direct. */
    LATENT_DECLARATION_MISMATCH("latent-declaration-mismatch", Severity.WARNING),
    CALLBACK_MISMATCH("callback-mismatch", Severity.ERROR),
    SCHEME_MISMATCH("scheme-mismatch", Severity.ERROR),
    UNSATISFIABLE_CHECK("unsatisfiable-check", Severity.WARNING),
    TABLE_ENTRY_MISMATCH("table-entry-mismatch", Severity.WARNING),
    INTERNAL_TYPE_ID("internal-type-id", Severity.WARNING);

    public enum Severity { ERROR, WARNING }

    private final String id;
    private final Severity severity;

    Rule(String id, Severity severity) {
        this.id = id;
        this.severity = severity;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }
}
