package dev.xcfi.thunk;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * One FFM upcall stub shared by every callback of a signature. An upcall stub costs microseconds
 * and over a kilobyte; a thunk costs 48 bytes. The C signature gains one trailing {@code long}:
 * on x86_64 SysV it lands in the first integer argument register the signature leaves free, where
 * each callback's thunk puts the callback's identity before jumping here; the stub's Java side
 * picks the callback by that identity — through a table switch the JIT inlines for the first
 * {@value #SWITCHED} callbacks, through a table lookup for the rest.
 */
final class SharedStub {
    private static final int SYSV_INTEGER_REGISTERS = 6;

    private static final MethodHandle TARGET_BY_INT, LONG_TO_INT;
    /** The first callbacks of a signature are dispatched by a table switch the JIT can inline; later ones by table lookup. */
    static final int SWITCHED = 64;

    static {
        try {
            TARGET_BY_INT = MethodHandles.lookup().findVirtual(SharedStub.class, "target", MethodType.methodType(MethodHandle.class, int.class));
            LONG_TO_INT = MethodHandles.explicitCastArguments(MethodHandles.identity(long.class), MethodType.methodType(int.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final MemorySegment stub;
    final int register;
    private volatile MethodHandle[] targets = new MethodHandle[16];
    private int count;
    private final java.lang.invoke.MutableCallSite site;
    private final MethodHandle fallback;

    private SharedStub(FunctionDescriptor descriptor, int register, Arena arena, java.util.function.UnaryOperator<MethodHandle> guard) {
        this.register = register;
        MethodType type = descriptor.toMethodType();
        // (int id, args...) -> ret: the table lookup, for ids the switch does not cover
        this.fallback = MethodHandles.filterArguments(MethodHandles.exactInvoker(type), 0, TARGET_BY_INT.bindTo(this));
        this.site = new java.lang.invoke.MutableCallSite(fallback);
        MethodHandle byLong = MethodHandles.filterArguments(site.dynamicInvoker(), 0, LONG_TO_INT);   // (long id, args...)
        int n = type.parameterCount();
        int[] order = new int[n + 1];
        order[0] = n;
        for (int i = 0; i < n; i++) order[i + 1] = i;
        MethodHandle dispatcher = MethodHandles.permuteArguments(byLong, type.appendParameterTypes(long.class), order);
        stub = Linker.nativeLinker().upcallStub(guard.apply(dispatcher), descriptor.appendArgumentLayouts(ValueLayout.JAVA_LONG), arena);
    }

    /** Rebuilds the switch over the first callbacks (at powers of two, so rebuilding costs O(1) per callback). */
    private void rebuild() {
        int n = Math.min(count, SWITCHED);
        MethodHandle[] cases = new MethodHandle[n];
        MethodHandle[] t = targets;
        for (int i = 0; i < n; i++) cases[i] = MethodHandles.dropArguments(t[i], 0, int.class);
        site.setTarget(MethodHandles.tableSwitch(fallback, cases));
    }

    /** A shared stub for {@code descriptor}, if its integer arguments leave a register free and nothing is passed by value in memory. */
    static OptionalInt freeRegister(FunctionDescriptor descriptor) {
        int integers = 0;
        for (MemoryLayout l : descriptor.argumentLayouts()) {
            if (l instanceof GroupLayout) return OptionalInt.empty();
            if (!(l instanceof ValueLayout.OfFloat) && !(l instanceof ValueLayout.OfDouble)) integers++;
        }
        return integers < SYSV_INTEGER_REGISTERS ? OptionalInt.of(integers) : OptionalInt.empty();
    }

    static SharedStub create(FunctionDescriptor descriptor, int register, Arena arena, java.util.function.UnaryOperator<MethodHandle> guard) {
        return new SharedStub(descriptor, register, arena, guard);
    }

    /** Registers a callback; its identity is what its thunk loads into {@link #register}. */
    synchronized int add(MethodHandle callback) {
        MethodHandle[] t = targets;
        if (count == t.length) t = Arrays.copyOf(t, t.length * 2);
        t[count] = callback;
        targets = t;   // volatile write publishes the slot to the threads C calls us on
        int id = count++;
        if (count <= SWITCHED && Integer.bitCount(count) == 1) rebuild();
        return id;
    }

    private MethodHandle target(int identity) {
        return targets[identity];
    }
}
