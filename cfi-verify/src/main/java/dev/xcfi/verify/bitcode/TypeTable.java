package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.facts.Signature;

import java.util.Arrays;

/**
 * The module's TYPE_BLOCK, reduced to what value numbering needs (which types are void, integer,
 * metadata or label, and each function type's return, parameters and variadic flag) and to what a
 * {@link Signature} spells.
 */
final class TypeTable {
    static final byte OTHER = 0, VOID = 1, INTEGER = 2, METADATA = 3, LABEL = 4, FUNCTION = 5;
    private static final int TYPE_CODE_NUMENTRY = 1, VOID_CODE = 2, LABEL_CODE = 5, INTEGER_CODE = 7, FUNCTION_OLD = 9,
            METADATA_CODE = 16, STRUCT_NAME = 19, FUNCTION_CODE = 21, POINTER = 8, OPAQUE_POINTER = 25;
    /** The scalar types by record code, as {@link Signature} spells them. */
    private static final String[] SCALARS = new String[26];

    static {
        SCALARS[3] = "float";
        SCALARS[4] = "double";
        SCALARS[10] = "half";
        SCALARS[13] = "x86_fp80";
        SCALARS[14] = "fp128";
        SCALARS[15] = "ppc_fp128";
        SCALARS[23] = "bfloat";
        SCALARS[POINTER] = "ptr";
        SCALARS[OPAQUE_POINTER] = "ptr";
    }

    private byte[] kinds = new byte[64];
    /** Each type as a signature spells it. */
    private String[] spellings = new String[64];
    /** For function types: start of {@code [vararg, return, params...]} in {@link #functions}. */
    private int[] starts = new int[64];
    private int[] functions = new int[256];
    private int size, used;
    private String[] signatures = new String[0];

    /** Reads the body of TYPE_BLOCK_ID_NEW. */
    void read(BlockReader blocks, Record r) throws BitcodeException {
        for (int code; (code = blocks.nextRecord()) != BlockReader.END; ) {
            switch (code) {
                case TYPE_CODE_NUMENTRY, STRUCT_NAME -> blocks.skip();   // define no type
                case VOID_CODE -> define(blocks, VOID, "void");
                case LABEL_CODE -> define(blocks, LABEL, Signature.UNKNOWN);
                case INTEGER_CODE -> {
                    blocks.read(r, code);
                    add(INTEGER, r.size > 0 && r.ops[0] > 0 && r.ops[0] <= (1 << 23) ? Signature.integer((int) r.ops[0]) : Signature.UNKNOWN);
                }
                case METADATA_CODE -> define(blocks, METADATA, Signature.UNKNOWN);
                case FUNCTION_CODE, FUNCTION_OLD -> {
                    blocks.read(r, code);
                    int skip = code == FUNCTION_OLD ? 1 : 0;   // the old form has an unused attribute id
                    if (r.size < 2 + skip) throw blocks.error("function type record with " + r.size + " operands", r.position);
                    int n = r.size - skip;
                    grow(n);
                    starts[size] = used;
                    functions[used++] = n - 2;
                    functions[used++] = (int) r.op(0);
                    for (int i = 1 + skip; i < r.size; i++) functions[used++] = (int) Math.min(r.ops[i], Integer.MAX_VALUE);
                    spellings[size] = Signature.UNKNOWN;
                    kinds[size++] = FUNCTION;
                }
                default -> define(blocks, OTHER, code < SCALARS.length && SCALARS[code] != null ? SCALARS[code] : Signature.UNKNOWN);
            }
        }
    }

    /** A type whose record says nothing more than its kind (and spelling). */
    private void define(BlockReader blocks, byte kind, String spelling) throws BitcodeException {
        blocks.skip();
        add(kind, spelling);
    }

    private void add(byte kind, String spelling) {
        grow(0);
        starts[size] = -1;
        spellings[size] = spelling;
        kinds[size++] = kind;
    }

    private void grow(int pool) {
        if (size == kinds.length) {
            kinds = Arrays.copyOf(kinds, size * 2);
            starts = Arrays.copyOf(starts, size * 2);
            spellings = Arrays.copyOf(spellings, size * 2);
        }
        if (used + pool + 2 > functions.length) functions = Arrays.copyOf(functions, Math.max(functions.length * 2, used + pool + 2));
    }

    byte kind(long type) {
        return type >= 0 && type < size ? kinds[(int) type] : OTHER;
    }

    boolean isFunction(long type) {
        return kind(type) == FUNCTION;
    }

    int parameterCount(int fn) {
        return functions[starts[fn]];
    }

    boolean isVarArg(int fn) {
        return functions[starts[fn] + 1] != 0;
    }

    int returnType(int fn) {
        return functions[starts[fn] + 2];
    }

    int parameterType(int fn, int i) {
        return functions[starts[fn] + 3 + i];
    }

    /**
     * Function type {@code fn} as {@link Signature} spells it, made once per type: a KCFI module
     * asks it for every indirect call. Two body-reading threads may both make one; a String is
     * safe to publish through a plain array, so either copy serves.
     */
    String signature(int fn) {
        if (signatures.length < size) signatures = Arrays.copyOf(signatures, size);
        String known = fn >= 0 && fn < signatures.length ? signatures[fn] : null;
        if (known != null) return known;
        java.util.List<String> parameters = new java.util.ArrayList<>(parameterCount(fn));
        for (int i = 0; i < parameterCount(fn); i++) parameters.add(spelling(parameterType(fn, i)));
        String made = Signature.of(spelling(returnType(fn)), parameters, isVarArg(fn));
        if (fn >= 0 && fn < signatures.length) signatures[fn] = made;
        return made;
    }

    private String spelling(int type) {
        return type >= 0 && type < size ? spellings[type] : Signature.UNKNOWN;
    }
}
