package dev.xcfi.thunk;

import dev.xcfi.encoding.c.HeaderParser;
import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.Target;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * KCFI-tagged C function pointers for Java callbacks ({@link #upcall}) and for native functions
 * that lack the tag ({@link #retag}). The hash is computed from the C prototype by this project's
 * encoder. Thunks live in {@link ExecutableMemory} regions owned by the arena; {@link #close()}
 * retires them, after which a call through any of its pointers faults — it can never reach a
 * callback created later, because retired ranges are never handed out again.
 */
public final class ThunkArena implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();

    private final CfiScheme scheme;
    private final ThunkLayout layout;
    private final ExecutableMemory memory;
    private final Arena stubs = Arena.ofShared();
    private final List<ExecutableMemory.Region> regions = new ArrayList<>();
    private final Consumer<Throwable> exceptionHandler;
    private final Dispatch dispatch;
    private ExecutableMemory.Region current;
    private long used;
    private boolean closed;

    /**
     * How a callback's thunk reaches Java. {@code SHARED}: one upcall stub per signature, each
     * thunk passing its callback's identity in a free register (creation about 10× cheaper in
     * time and 20× in memory; calls cost what a raw stub's do for a signature's first 64
     * callbacks, about 3 ns more after that). {@code DIRECT}: one upcall stub per callback, the
     * thunk jumps straight to it. Signatures without a free register are always direct.
     */
    public enum Dispatch { SHARED, DIRECT }

    private ThunkArena(CfiScheme scheme, ExecutableMemory memory, Consumer<Throwable> exceptionHandler, Dispatch dispatch) {
        if (scheme.target().arch() != Target.Arch.X86_64) {
            throw new UnsupportedOperationException("KCFI thunks are implemented for x86_64 only, not " + scheme.target().triple());
        }
        this.scheme = scheme;
        this.layout = new ThunkLayout(scheme.patchablePrefix(), scheme.endbr());
        this.memory = memory;
        this.exceptionHandler = exceptionHandler;
        this.dispatch = dispatch;
    }

    public static ThunkArena open(CfiScheme scheme) {
        return open(scheme, Dispatch.SHARED);
    }

    /** As {@link #open(CfiScheme)}, choosing how callbacks are dispatched. */
    public static ThunkArena open(CfiScheme scheme, Dispatch dispatch) {
        return new ThunkArena(scheme, new DualMappedMemory(), ThunkArena::report, dispatch);
    }

    /** As {@link #open(CfiScheme)}, with another executable-memory strategy and exception handler. */
    public static ThunkArena open(CfiScheme scheme, ExecutableMemory memory, Consumer<Throwable> exceptionHandler) {
        return new ThunkArena(scheme, memory, exceptionHandler, Dispatch.SHARED);
    }

    /** The default handler: an exception must not cross into C (it would end the JVM), so it is reported and the call returns zero. */
    private static void report(Throwable t) {
        System.err.println("xcfi: exception in a KCFI callback (returning zero): " + t);
    }

    /**
     * A C function pointer of type {@code cPrototype} (e.g. {@code "void (long)"}) that calls
     * {@code target}, tagged with that type's KCFI hash.
     *
     * @throws IllegalArgumentException if the prototype does not parse or {@code target}'s type is
     *                                  not the Java type the prototype maps to (named in the message)
     */
    public MemorySegment upcall(String cPrototype, MethodHandle target) {
        return upcall(signature(cPrototype), "'" + cPrototype + "'", target);
    }

    /**
     * A C function pointer of the type {@code name} stands for in {@code header} — a typedef of a
     * function or function-pointer type, or a declared function's own type — that calls
     * {@code target}, tagged with that type's KCFI hash.
     *
     * @throws IllegalArgumentException if the header cannot be read or has no such name, or
     *                                  {@code target}'s type is not the Java type the C type maps to
     */
    public MemorySegment upcall(CHeader header, String name, MethodHandle target) {
        return upcall(signature(header, name), "'" + name + "' in " + header.file(), target);
    }

    private MemorySegment upcall(Signature signature, String what, MethodHandle target) {
        FunctionDescriptor descriptor = signature.descriptor();
        MethodType expected = descriptor.toMethodType();
        if (!target.type().equals(expected)) {
            throw new IllegalArgumentException(what + " needs a method handle of type " + expected + ", not " + target.type());
        }
        synchronized (this) {
            checkOpen();
            java.util.OptionalInt register = dispatch == Dispatch.SHARED ? SharedStub.freeRegister(descriptor) : java.util.OptionalInt.empty();
            if (register.isPresent()) {
                SharedStub shared = sharedStubs.computeIfAbsent(descriptor, d -> SharedStub.create(d, register.getAsInt(), stubs,
                        dispatcher -> guarded(dispatcher, d.returnLayout())));
                int identity = shared.add(target);
                return place(layout.sharedSlot, slot -> layout.writeShared(slot, signature.hash(), shared.register, identity, shared.stub));
            }
            MemorySegment stub = LINKER.upcallStub(guarded(target, descriptor.returnLayout()), descriptor, stubs);
            return place(signature.hash(), stub);
        }
    }

    /** A pointer to {@code nativeFunction} that KCFI-checked callers of type {@code cPrototype} accept. */
    public MemorySegment retag(String cPrototype, MemorySegment nativeFunction) {
        return retag(signature(cPrototype), nativeFunction);
    }

    /** A pointer to {@code nativeFunction} that KCFI-checked callers of the type {@code name} stands for in {@code header} accept. */
    public MemorySegment retag(CHeader header, String name, MemorySegment nativeFunction) {
        return retag(signature(header, name), nativeFunction);
    }

    private MemorySegment retag(Signature signature, MemorySegment nativeFunction) {
        int hash = signature.hash();
        synchronized (this) {
            checkOpen();
            return place(hash, nativeFunction);
        }
    }

    /** A prototype parsed once: its hash, and its FFM descriptor (null where it has no FFM form: retag needs none). */
    private record Signature(int hash, FunctionDescriptor descriptor, RuntimeException noDescriptor) {
        @Override
        public FunctionDescriptor descriptor() {
            if (noDescriptor != null) throw noDescriptor;
            return descriptor;
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Signature> signatures = new java.util.concurrent.ConcurrentHashMap<>();

    private Signature signature(String cPrototype) {
        return signature(cPrototype, () -> prototype(cPrototype));
    }

    private Signature signature(CHeader header, String name) {
        return signature(header.file().toAbsolutePath() + "\0" + header.includeDirs() + "\0" + header.defines() + "\0" + name, () -> {
            try {
                List<HeaderParser.Input> inputs = List.of(new HeaderParser.Input("<command line>", header.commandLine(), null), HeaderParser.Input.of(header.file()));
                return HeaderParser.named(scheme.target(), header.includeDirs(), inputs, name);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read " + header.file() + ": " + e.getMessage());
            }
        });
    }

    /** {@code key}'s signature, parsed once per arena. */
    private Signature signature(String key, java.util.function.Supplier<HeaderParser.Prototype> parse) {
        Signature known = signatures.get(key);
        if (known != null) return known;
        HeaderParser.Prototype prototype = parse.get();
        FunctionType type = prototype.type();
        FunctionDescriptor descriptor = null;
        RuntimeException noDescriptor = null;
        try {
            descriptor = CLayouts.descriptor(prototype, scheme.target());
        } catch (IllegalArgumentException e) {
            noDescriptor = e;
        }
        Signature s = new Signature(scheme.kcfi(type), descriptor, noDescriptor);
        signatures.putIfAbsent(key, s);
        return s;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (ExecutableMemory.Region r : regions) r.retire();
        regions.clear();
        stubs.close();
    }

    private HeaderParser.Prototype prototype(String cPrototype) {
        try {
            return HeaderParser.prototype(scheme.target(), cPrototype);
        } catch (SyntaxException e) {
            throw new IllegalArgumentException("bad C prototype '" + cPrototype + "': " + e.getMessage());
        }
    }

    /** Routes any exception to the handler and returns zero (or nothing), so none reaches C. */
    private MethodHandle guarded(MethodHandle target, java.util.Optional<MemoryLayout> returned) {
        return MethodHandles.catchException(target, Throwable.class, handlers.computeIfAbsent(new Handled(target.type(), returned), this::handler));
    }

    /** A Java type and the C value it returns: a pointer and a struct both return a MemorySegment, with different zeros. */
    private record Handled(MethodType type, java.util.Optional<MemoryLayout> returned) {}

    /** Built once per Java type and returned C value: (Throwable, args…) → report, return zero. */
    private final java.util.concurrent.ConcurrentHashMap<Handled, MethodHandle> handlers = new java.util.concurrent.ConcurrentHashMap<>();

    private MethodHandle handler(Handled h) {
        MethodType type = h.type();
        MethodHandle report = HANDLE_EXCEPTION.bindTo(exceptionHandler);   // (Throwable) void
        MethodHandle zero = type.returnType() == void.class ? report
                : MethodHandles.filterReturnValue(report, MethodHandles.constant(type.returnType(), zeroOf(type.returnType(), h.returned())));
        return MethodHandles.dropArguments(zero, 1, type.parameterList());
    }

    /**
     * The value a callback that threw returns to C. A null segment would itself throw inside the
     * upcall (fatal there), so a pointer is NULL and a struct is all-zero bytes, shared and never written.
     */
    private Object zeroOf(Class<?> carrier, java.util.Optional<MemoryLayout> returned) {
        if (carrier != MemorySegment.class) return zero(carrier);
        MemoryLayout layout = returned.orElseThrow();
        return layout instanceof java.lang.foreign.AddressLayout ? MemorySegment.NULL : stubs.allocate(layout).asReadOnly();
    }

    private static Object zero(Class<?> carrier) {
        try {
            return (Object) MethodHandles.zero(carrier).invoke();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final MethodHandle HANDLE_EXCEPTION;

    static {
        try {
            HANDLE_EXCEPTION = MethodHandles.lookup().findStatic(ThunkArena.class, "handle",
                    MethodType.methodType(void.class, Consumer.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void handle(Consumer<Throwable> handler, Throwable t) {
        try {
            handler.accept(t);
        } catch (Throwable ignored) {
            // a failing handler must not carry an exception into C either
        }
    }

    private final java.util.Map<FunctionDescriptor, SharedStub> sharedStubs = new java.util.HashMap<>();

    private MemorySegment place(int hash, MemorySegment target) {
        return place(layout.slot, slot -> layout.write(slot, hash, target));
    }

    /** Writes one slot of {@code size} bytes (a multiple of 16, so every entry is 16-aligned) and returns its entry. */
    private MemorySegment place(int size, java.util.function.Consumer<MemorySegment> writer) {
        long regionSize = memory.regionSize();
        if (current == null || used + size > regionSize) {
            current = memory.allocate(regionSize);
            regions.add(current);
            used = 0;
        }
        writer.accept(current.writable().asSlice(used, size));
        current.publish();
        MemorySegment entry = MemorySegment.ofAddress(current.executable().address() + used + layout.entry);
        used += size;
        if (!current.writableAfterPublish()) current = null;   // sealed: the next slot needs a new region
        return entry;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the thunk arena is closed");
    }
}
