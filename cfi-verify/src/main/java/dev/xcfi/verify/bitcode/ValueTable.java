package dev.xcfi.verify.bitcode;

import java.util.Arrays;

/**
 * LLVM's value numbering, kept as one kind byte and one int per value: globals in record order,
 * then module constants; inside a function, its arguments, its constants and every instruction
 * that produces a value. Only what the facts need is remembered: which values are functions,
 * integer constants (their value) and arguments (their position); {@link #data} is the function
 * index, argument position or integer slot.
 */
final class ValueTable extends LayeredTable<ValueTable> {
    /**
     * SLOT: an alloca; LOADED: a load from an alloca (data: the alloca's value id); AGGREGATE: a
     * module-level struct, array or vector constant (data: its slot in {@link #aggregates}), kept
     * for the functions global initializers hold.
     */
    static final byte FUNCTION = 1, INTEGER = 2, ARGUMENT = 3, SLOT = 4, LOADED = 5, AGGREGATE = 6;
    private static final int SETTYPE = 1, NULL = 2, INTEGER_CODE = 4, WIDE_INTEGER = 5, AGGREGATE_CODE = 7;

    private long[] integers;
    private int integerCount;
    /** The element value ids of each module-level aggregate (a function's are not kept: no global holds them). */
    private int[][] aggregates = new int[0][];
    private int aggregateCount;
    /**
     * How many elements may be kept in all: a real module spends at least five bits on each (an
     * operand, or a fixed field as wide as the value count needs), so a budget of two per byte of
     * the module never binds; a crafted one of one-bit fields is refused rather than held.
     */
    private long elementBudget = Long.MAX_VALUE;

    ValueTable() {
        this(null, 1024);
    }

    /** A function's values, numbered after {@code module}'s. */
    ValueTable(ValueTable module) {
        this(module, 64);
    }

    private ValueTable(ValueTable module, int capacity) {
        super(module, capacity);
        this.integers = new long[capacity / 4];
    }

    void addInteger(long value) {
        if (integerCount == integers.length) integers = Arrays.copyOf(integers, integerCount * 2);
        integers[integerCount] = value;
        add(INTEGER, integerCount++);
    }

    @Override
    void reset() {
        super.reset();
        integerCount = 0;
    }

    /** Keeps at most {@code 2 * moduleBytes} aggregate elements (see {@link #elementBudget}). */
    void limitAggregates(long moduleBytes) {
        elementBudget = 2 * moduleBytes;
    }

    private void addAggregate(Record r) throws BitcodeException {
        elementBudget -= r.size;
        if (elementBudget < 0) throw new BitcodeException("aggregate constants with more elements than the module has room for", r.position);
        int[] elements = new int[r.size];
        for (int i = 0; i < r.size; i++) elements[i] = r.ops[i] <= Integer.MAX_VALUE ? (int) r.ops[i] : -1;
        if (aggregateCount == aggregates.length) aggregates = Arrays.copyOf(aggregates, Math.max(16, aggregateCount * 2));
        aggregates[aggregateCount] = elements;
        add(AGGREGATE, aggregateCount++);
    }

    /** The element value ids of aggregate {@code id} (whose kind is {@link #AGGREGATE}); -1 for one out of range. */
    int[] elements(long id) {
        return aggregates[data(id)];
    }

    long integer(long id) {
        return id < base ? module.integer(id) : integers[data(id)];
    }

    /**
     * A CONSTANTS_BLOCK: each record but SETTYPE defines one value; integers are kept (a wide
     * integer by its low word: the facts keep 32 bits). LLVM starts the block's type at i32.
     */
    void readConstants(BlockReader blocks, Record r, TypeTable types) throws BitcodeException {
        byte current = TypeTable.INTEGER;
        for (int code; (code = blocks.nextRecord()) != BlockReader.END; ) {
            switch (code) {
                case SETTYPE -> {
                    blocks.read(r, code);
                    current = types.kind(r.op(0));
                }
                case INTEGER_CODE, WIDE_INTEGER -> {
                    blocks.read(r, code);
                    if (current == TypeTable.INTEGER) addInteger(signed(r.op(0)));
                    else add(OTHER, 0);
                }
                case AGGREGATE_CODE -> {
                    if (module == null) {
                        blocks.read(r, code);
                        addAggregate(r);
                    } else {
                        blocks.skip();
                        add(OTHER, 0);
                    }
                }
                case NULL -> {
                    blocks.skip();
                    if (current == TypeTable.INTEGER) addInteger(0);
                    else add(OTHER, 0);
                }
                default -> {
                    blocks.skip();
                    add(OTHER, 0);
                }
            }
        }
    }

    /** LLVM's sign-rotated VBR: the sign in bit 0. */
    private static long signed(long v) {
        if ((v & 1) == 0) return v >>> 1;
        return v != 1 ? -(v >>> 1) : Long.MIN_VALUE;
    }
}
