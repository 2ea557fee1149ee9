package dev.xcfi.types;

/** One of C's builtin arithmetic types, {@code void} or {@code nullptr_t}. */
public record BuiltinType(Kind kind) implements CType {

    /** Builtin kinds. Sizes, signedness and some manglings depend on the {@link Target}. */
    public enum Kind {
        VOID("void"), BOOL("_Bool"),
        CHAR("char"), SIGNED_CHAR("signed char"), UNSIGNED_CHAR("unsigned char"),
        SHORT("short"), UNSIGNED_SHORT("unsigned short"),
        INT("int"), UNSIGNED_INT("unsigned int"),
        LONG("long"), UNSIGNED_LONG("unsigned long"),
        LONG_LONG("long long"), UNSIGNED_LONG_LONG("unsigned long long"),
        INT128("__int128"), UNSIGNED_INT128("unsigned __int128"),
        FLOAT("float"), DOUBLE("double"), LONG_DOUBLE("long double"),
        FLOAT16("_Float16"), BFLOAT16("__bf16"), HALF("__fp16"),
        FLOAT128("__float128"), IBM128("__ibm128"),
        NULLPTR("nullptr_t");

        private final String spelling;

        Kind(String spelling) {
            this.spelling = spelling;
        }

        /** The C spelling, as a declaration would write it. */
        public String spelling() {
            return spelling;
        }

        /** clang's {@code isInteger()}: what integer normalization applies to. */
        public boolean isInteger() {
            return ordinal() >= BOOL.ordinal() && ordinal() <= UNSIGNED_INT128.ordinal();
        }

        public boolean isFloating() {
            return ordinal() >= FLOAT.ordinal() && ordinal() <= IBM128.ordinal();
        }
    }

    private static final BuiltinType[] INSTANCES;

    static {
        Kind[] kinds = Kind.values();
        INSTANCES = new BuiltinType[kinds.length];
        for (Kind k : kinds) INSTANCES[k.ordinal()] = new BuiltinType(k);
    }

    public static BuiltinType of(Kind kind) {
        return INSTANCES[kind.ordinal()];
    }

    public static final BuiltinType VOID = of(Kind.VOID);
    public static final BuiltinType INT = of(Kind.INT);
    public static final BuiltinType CHAR = of(Kind.CHAR);

    @Override
    public CType canonical() {
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuiltinType b && kind == b.kind;
    }

    @Override
    public int hashCode() {
        return kind.ordinal();
    }
}
