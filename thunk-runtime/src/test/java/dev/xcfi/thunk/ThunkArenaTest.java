package dev.xcfi.thunk;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Calls through upcall and retag thunks from C compiled with -fsanitize=kcfi: every call here is checked. */
class ThunkArenaTest {
    @TempDir
    static Path dir;
    static KcfiLibrary plain, normalized, generalized, fnv, prefixedIbt;
    static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    @BeforeAll
    static void build() throws Exception {
        plain = KcfiLibrary.build(dir, "plain");
        normalized = KcfiLibrary.build(dir, "normalized", "-fsanitize-cfi-icall-experimental-normalize-integers");
        generalized = KcfiLibrary.build(dir, "generalized", "-fsanitize-cfi-icall-generalize-pointers");
        fnv = KcfiLibrary.build(dir, "fnv", "-Xclang", "-fsanitize-kcfi-hash=FNV-1a");
        prefixedIbt = KcfiLibrary.build(dir, "prefixed", "-fpatchable-function-entry=4,2", "-fcf-protection=branch");
    }

    static long increment(long x) {
        return x + 1;
    }

    static int mixed(byte a, short b, int c, long d, double e, float f, MemorySegment p) {
        return (int) (a * 1000 + b * 100 + c * 10 + d + (int) (e * 4) + (int) (f * 8) + p.address());
    }

    static double hypotSquared(double a, double b) {
        return a * a + b * b;
    }

    static byte flip(byte c, boolean on) {
        return on ? (byte) ~c : c;
    }

    static final List<Long> seen = new ArrayList<>();

    static void record(long i) {
        seen.add(i);
    }

    static int compareInts(MemorySegment a, MemorySegment b) {
        return Integer.compare(a.reinterpret(4).get(JAVA_INT, 0), b.reinterpret(4).get(JAVA_INT, 0));
    }

    static long boom(long x) {
        throw new IllegalStateException("boom " + x);
    }

    static MethodHandle method(String name, Class<?> ret, Class<?>... params) throws ReflectiveOperationException {
        return LOOKUP.findStatic(ThunkArenaTest.class, name, MethodType.methodType(ret, params));
    }

    @Test
    void upcallsOfManyShapesPassTheKcfiCheck() throws Throwable {
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost())) {
            MethodHandle callLong = plain.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            assertThat((long) callLong.invokeExact(arena.upcall("long (long)", method("increment", long.class, long.class)), 41L)).isEqualTo(42L);

            MethodHandle callMixed = plain.function("call_mixed", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            MemorySegment m = arena.upcall("int cb(signed char, short, int, long long, double, float, void *)",
                    method("mixed", int.class, byte.class, short.class, int.class, long.class, double.class, float.class, MemorySegment.class));
            assertThat((int) callMixed.invokeExact(m, MemorySegment.ofAddress(7))).isEqualTo(-1000 - 200 - 30 - 4 + 2 + 2 + 7);

            MethodHandle callDouble = plain.function("call_double", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, JAVA_DOUBLE, JAVA_DOUBLE));
            assertThat((double) callDouble.invokeExact(arena.upcall("double (double, double)", method("hypotSquared", double.class, double.class, double.class)), 3.0, 4.0))
                    .isEqualTo(25.0);

            MethodHandle callBytes = plain.function("call_bytes", FunctionDescriptor.of(JAVA_BYTE, ADDRESS, JAVA_BYTE));
            assertThat((byte) callBytes.invokeExact(arena.upcall("unsigned char (unsigned char, _Bool)", method("flip", byte.class, byte.class, boolean.class)), (byte) 0x0f))
                    .isEqualTo((byte) 0xf0);

            MethodHandle callVoid = plain.function("call_void", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            seen.clear();
            assertThat((long) callVoid.invokeExact(arena.upcall("void (long)", method("record", void.class, long.class)), 4L)).isEqualTo(4L);
            assertThat(seen).containsExactly(0L, 1L, 2L, 3L);
        }
    }

    static long plus(long k, long x) {
        return x + k;
    }

    static long weighted(long a, long b, long c, long d, long e, long f) {
        return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
    }

    @Test
    void callbacksSharingAStubEachReachTheirOwnTarget() throws Throwable {
        MethodHandle callLong = plain.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
        MethodHandle plus = method("plus", long.class, long.class, long.class);
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost())) {
            List<MemorySegment> pointers = new ArrayList<>();
            for (long k = 0; k < 3000; k++) pointers.add(arena.upcall("long (long)", MethodHandles.insertArguments(plus, 0, k * 1000)));
            assertThat(pointers).doesNotHaveDuplicates();
            for (int k = 0; k < pointers.size(); k += 7) assertThat((long) callLong.invokeExact(pointers.get(k), 5L)).isEqualTo(k * 1000L + 5);
            assertThat((long) callLong.invokeExact(pointers.get(2999), 1L)).isEqualTo(2_999_001L);
        }
    }

    @Test
    void manyThreadsCreateCallAndCloseConcurrently() throws Throwable {
        MethodHandle callLong = plain.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
        MethodHandle plus = method("plus", long.class, long.class, long.class);
        try (ThunkArena shared = ThunkArena.open(CfiScheme.kcfiHost())) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++) {
                long base = t * 1_000_000L;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (ThunkArena own = ThunkArena.open(CfiScheme.kcfiHost())) {
                        for (long k = 0; k < 300; k++) {
                            ThunkArena arena = k % 2 == 0 ? shared : own;
                            MemorySegment f = arena.upcall("long (long)", MethodHandles.insertArguments(plus, 0, base + k));
                            long r = (long) callLong.invokeExact(f, 1L);
                            if (r != base + k + 1) throw new AssertionError("callback " + (base + k) + " answered " + r);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertThat(failures).isEmpty();
        }
    }

    @Test
    void signaturesWithoutAFreeRegisterGetTheirOwnStub() throws Throwable {
        MethodHandle callSix = plain.function("call_six", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost())) {
            MemorySegment f = arena.upcall("long (long, long, long, long, long, long)",
                    method("weighted", long.class, long.class, long.class, long.class, long.class, long.class, long.class));
            assertThat((long) callSix.invokeExact(f)).isEqualTo(1 + 4 + 9 + 16 + 25 + 36);
        }
    }

    @Test
    void aComparatorSortsThroughManyCheckedCalls() throws Throwable {
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost()); Arena memory = Arena.ofConfined()) {
            MemorySegment values = memory.allocateFrom(JAVA_INT, 5, -3, 9, 0, 2, 2, -7);
            MethodHandle sort = plain.function("sort_ints", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
            int ignored = (int) sort.invokeExact(values, 7L, arena.upcall("int cmp(const void *, const void *)",
                    method("compareInts", int.class, MemorySegment.class, MemorySegment.class)));
            assertThat(values.toArray(JAVA_INT)).containsExactly(-7, -3, 0, 2, 2, 5, 9);
        }
    }

    /**
     * Callback types named as the library's header names them (a typedef there, reached through
     * an include folder): the hashes are the ones clang compiled the library's checks against.
     */
    @Test
    void callbackTypesAreNamedAsTheLibrarysHeaderNamesThem() throws Throwable {
        Path include = java.nio.file.Files.createDirectories(dir.resolve("include"));
        java.nio.file.Files.writeString(include.resolve("callbacks-types.h"), """
                typedef int (*compare_fn)(const void *, const void *);
                typedef long long_fn(long);
                """);
        Path header = java.nio.file.Files.writeString(dir.resolve("callbacks.h"), """
                #include <stddef.h>
                #include "callbacks-types.h"
                int sort_ints(int *values, size_t n, compare_fn cmp);
                long call_long(long_fn *f, long x);
                struct sorter { size_t width; compare_fn cmp; };
                typedef struct { long (*apply)(long); } holder_t;
                #ifndef CALLBACK_ARG
                #define CALLBACK_ARG int
                #endif
                typedef long (*configured_fn)(CALLBACK_ARG);
                """);
        CHeader h = CHeader.of(header, include);
        MemorySegment labs = Linker.nativeLinker().defaultLookup().find("labs").orElseThrow();
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost()); Arena memory = Arena.ofConfined()) {
            MemorySegment values = memory.allocateFrom(JAVA_INT, 5, -3, 9, 0, 2, 2, -7);
            MethodHandle sort = plain.function("sort_ints", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
            int ignored = (int) sort.invokeExact(values, 7L, arena.upcall(h, "compare_fn",
                    method("compareInts", int.class, MemorySegment.class, MemorySegment.class)));
            assertThat(values.toArray(JAVA_INT)).containsExactly(-7, -3, 0, 2, 2, 5, 9);
            MethodHandle callLong = plain.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            assertThat((long) callLong.invokeExact(arena.retag(h, "long_fn", labs), -5L)).isEqualTo(5L);
            assertThat((long) callLong.invokeExact(arena.upcall(h, "long_fn", method("increment", long.class, long.class)), 41L)).isEqualTo(42L);
            // a function-pointer member, of a struct by tag or of a typedef'd one
            values = memory.allocateFrom(JAVA_INT, 3, 1, 2);
            ignored = (int) sort.invokeExact(values, 3L, arena.upcall(h, "struct sorter.cmp",
                    method("compareInts", int.class, MemorySegment.class, MemorySegment.class)));
            assertThat(values.toArray(JAVA_INT)).containsExactly(1, 2, 3);
            assertThat((long) callLong.invokeExact(arena.retag(h, "holder_t.apply", labs), -7L)).isEqualTo(7L);
            assertThatThrownBy(() -> arena.retag(h, "struct sorter.width", labs))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("member 'struct sorter.width' is");
            assertThatThrownBy(() -> arena.retag(h, "struct sorter.size", labs))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("struct sorter has no member 'size'");
            // a declared function's own type
            assertThat(arena.retag(h, "call_long", labs).address()).isNotZero();
            // a header configured by macros, read as the library was built
            assertThat((long) callLong.invokeExact(arena.retag(h.define("CALLBACK_ARG", "long"), "configured_fn", labs), -9L)).isEqualTo(9L);
            assertThatThrownBy(() -> h.define("1x", "long")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> arena.upcall(h, "compare_fn", method("increment", long.class, long.class)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'compare_fn' in " + header + " needs a method handle of type (MemorySegment,MemorySegment)int");
            assertThatThrownBy(() -> arena.upcall(h, "size_t", method("increment", long.class, long.class)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'size_t' is a typedef of");
            assertThatThrownBy(() -> arena.retag(h, "nothing", labs))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no function, function type or function-pointer typedef named 'nothing'");
        }
    }

    @Test
    void retagMakesAnUntaggedNativeFunctionCallable() throws Throwable {
        MemorySegment labs = Linker.nativeLinker().defaultLookup().find("labs").orElseThrow();
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost())) {
            MethodHandle callLong = plain.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            assertThat((long) callLong.invokeExact(arena.retag("long labs(long)", labs), -5L)).isEqualTo(5L);
        }
    }

    static long pointSum(MemorySegment p) {
        return 10L * p.get(JAVA_INT, 0) + p.get(JAVA_INT, 4);
    }

    /** struct pair { double a; long b; } (a, b), int k → (a * k, b * k): the returned struct is written into a fresh segment. */
    static MemorySegment scalePair(MemorySegment p, int k) {
        MemorySegment out = Arena.ofAuto().allocate(16, 8);
        out.set(JAVA_DOUBLE, 0, p.get(JAVA_DOUBLE, 0) * k);
        out.set(JAVA_LONG, 8, p.get(JAVA_LONG, 8) * k);
        return out;
    }

    static long bigSum(MemorySegment b) {
        long s = 0;
        for (int i = 0; i < 4; i++) s += b.getAtIndex(JAVA_LONG, i);
        return s * 1000 + b.get(JAVA_BYTE, 32);
    }

    /** (z, w) → z * w, complex numbers as structs of their real and imaginary parts. */
    static MemorySegment multiplyComplex(MemorySegment z, MemorySegment w) {
        double a = z.get(JAVA_DOUBLE, 0), b = z.get(JAVA_DOUBLE, 8), c = w.get(JAVA_FLOAT, 0), d = w.get(JAVA_FLOAT, 4);
        MemorySegment out = Arena.ofAuto().allocate(16, 8);
        out.set(JAVA_DOUBLE, 0, a * c - b * d);
        out.set(JAVA_DOUBLE, 8, a * d + b * c);
        return out;
    }

    static MemorySegment throwingPair(MemorySegment p, int k) {
        throw new IllegalStateException("no pair today");
    }

    @Test
    void structsByValueWhenThePrototypeDefinesThem() throws Throwable {
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost(), new DualMappedMemory(), t -> { })) {
            MethodHandle callPoint = plain.function("call_point", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT));
            MemorySegment point = arena.upcall("struct point { int x; int y; }; long (struct point)", method("pointSum", long.class, MemorySegment.class));
            assertThat((long) callPoint.invokeExact(point, 4, 2)).isEqualTo(42L);

            StructLayout pair = MemoryLayout.structLayout(JAVA_DOUBLE, JAVA_LONG);
            MethodHandle callPair = plain.function("call_pair", FunctionDescriptor.of(pair, ADDRESS, JAVA_DOUBLE, JAVA_LONG));
            String pairPrototype = "struct pair { double a; long b; }; struct pair (struct pair, int)";
            MemorySegment scaled = (MemorySegment) callPair.invokeExact((SegmentAllocator) Arena.ofAuto(),
                    arena.upcall(pairPrototype, method("scalePair", MemorySegment.class, MemorySegment.class, int.class)), 1.5, 7L);
            assertThat(scaled.get(JAVA_DOUBLE, 0)).isEqualTo(4.5);
            assertThat(scaled.get(JAVA_LONG, 8)).isEqualTo(21L);
            // A callback that throws returns an all-zero struct, not a fault.
            MemorySegment zero = (MemorySegment) callPair.invokeExact((SegmentAllocator) Arena.ofAuto(),
                    arena.upcall(pairPrototype, method("throwingPair", MemorySegment.class, MemorySegment.class, int.class)), 1.5, 7L);
            assertThat(zero.get(JAVA_DOUBLE, 0)).isZero();
            assertThat(zero.get(JAVA_LONG, 8)).isZero();

            StructLayout complexDouble = MemoryLayout.structLayout(JAVA_DOUBLE, JAVA_DOUBLE);
            MethodHandle callComplex = plain.function("call_complex", FunctionDescriptor.of(complexDouble, ADDRESS, JAVA_DOUBLE, JAVA_DOUBLE));
            MemorySegment product = (MemorySegment) callComplex.invokeExact((SegmentAllocator) Arena.ofAuto(),
                    arena.upcall("double _Complex (double _Complex, float _Complex)", method("multiplyComplex", MemorySegment.class, MemorySegment.class, MemorySegment.class)),
                    3.0, 4.0);
            assertThat(product.get(JAVA_DOUBLE, 0)).isEqualTo(10.0);   // (3 + 4i)(2 - i) = 10 + 5i
            assertThat(product.get(JAVA_DOUBLE, 8)).isEqualTo(5.0);

            MethodHandle callBig = plain.function("call_big", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            MemorySegment big = arena.upcall("struct big { long v[4]; char tag; }; long (struct big)", method("bigSum", long.class, MemorySegment.class));
            assertThat((long) callBig.invokeExact(big, 10L)).isEqualTo(46L * 1000 + 'z');
        }
    }

    static MemorySegment throwingPointer(MemorySegment p) {
        throw new IllegalStateException("no pointer today");
    }

    static MemorySegment samePointer(MemorySegment p) {
        return p;
    }

    /** The permissions /proc/self/maps lists for the mapping holding {@code address}, e.g. "r-xp". */
    static String permissions(long address) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] f = line.split("\\s+");
            String[] range = f[0].split("-");
            if (Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16)) return f[1];
        }
        return "unmapped";
    }

    /** Write-then-seal pages, for where memfd_create is refused: the same calls work, and no page is ever writable and executable. */
    @Test
    void sealedPagesWorkWhereThereIsNoMemfd() throws Throwable {
        MemorySegment a;
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost(), new SealedPagesMemory(), t -> { })) {
            MethodHandle callLong = plain.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            a = arena.upcall("long (long)", method("increment", long.class, long.class));
            MemorySegment b = arena.upcall("long (long)", MethodHandles.insertArguments(method("plus", long.class, long.class, long.class), 0, 100L));
            MemorySegment labs = arena.retag("long labs(long)", Linker.nativeLinker().defaultLookup().find("labs").orElseThrow());
            assertThat((long) callLong.invokeExact(a, 41L)).isEqualTo(42L);
            assertThat((long) callLong.invokeExact(b, 1L)).isEqualTo(101L);
            assertThat((long) callLong.invokeExact(labs, -5L)).isEqualTo(5L);
            assertThat(permissions(a.address())).isEqualTo("r-xp");
            assertThat(a.address() >>> 12).isNotEqualTo(b.address() >>> 12);   // a sealed page takes no second thunk
        }
        assertThat(permissions(a.address())).isEqualTo("---p");   // retired: reserved, never reused
    }

    /** Direct dispatch: one upcall stub per callback, the same behaviour (and the same KCFI check) as shared. */
    @Test
    void directDispatchCallsTheSameCallbacks() throws Throwable {
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost(), ThunkArena.Dispatch.DIRECT)) {
            MethodHandle callLong = plain.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            MemorySegment a = arena.upcall("long (long)", method("increment", long.class, long.class));
            MemorySegment b = arena.upcall("long (long)", MethodHandles.insertArguments(method("plus", long.class, long.class, long.class), 0, 100L));
            assertThat((long) callLong.invokeExact(a, 41L)).isEqualTo(42L);
            assertThat((long) callLong.invokeExact(b, 1L)).isEqualTo(101L);
        }
    }

    /** A pointer-returning callback that throws returns NULL: a null segment would be fatal inside the upcall. */
    @Test
    void aThrowingPointerCallbackReturnsNull() throws Throwable {
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost(), new DualMappedMemory(), t -> { })) {
            MethodHandle callPtr = plain.function("call_ptr", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
            MemorySegment p = MemorySegment.ofAddress(0x1234);
            assertThat(((MemorySegment) callPtr.invokeExact(arena.upcall("void *(void *)", method("samePointer", MemorySegment.class, MemorySegment.class)), p)).address())
                    .isEqualTo(0x1234);
            assertThat(((MemorySegment) callPtr.invokeExact(arena.upcall("void *(void *)", method("throwingPointer", MemorySegment.class, MemorySegment.class)), p)).address())
                    .isZero();
        }
    }

    @Test
    void aStructWithoutItsDefinitionOrWithALayoutXcfiDoesNotModelIsAClearError() throws Throwable {
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost())) {
            MethodHandle h = method("pointSum", long.class, MemorySegment.class);
            assertThatThrownBy(() -> arena.upcall("long (struct point)", h))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'struct point' by value needs its definition in the prototype text");
            // a bit-field, and packing or alignment by attribute, _Alignas or #pragma pack: the natural
            // layout would put the members elsewhere than the caller does, so it is refused, not guessed
            for (String record : List.of("struct point { int x : 3; int y; };", "struct __attribute__((packed)) point { char x; long y; };",
                    "struct point { char x; long y; } __attribute__((__packed__));", "struct point { char x; long y __attribute__((aligned(16))); };",
                    "struct point { char x; _Alignas(16) long y; };", "_Pragma(\"pack(1)\") struct point { char x; long y; };")) {
                assertThatThrownBy(() -> arena.upcall(record + " long (struct point)", h)).as(record)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("'struct point' has a bit-field or a packed or aligned layout, which xcfi does not lay out: pass a pointer to it");
            }
            // clang passes a struct ending in a flexible array in memory even at 16 bytes (byval): FFM would pass it in registers
            assertThatThrownBy(() -> arena.upcall("struct message { short kind; long length; char text[]; }; long (struct message)", h))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("'struct message' ends in a flexible array member: clang passes "
                            + "such a struct in memory on x86_64 whatever its size, which FFM cannot describe; pass a pointer to it");
            // not C (a struct cannot hold itself), but text a caller may pass: an error, not a stack overflow
            assertThatThrownBy(() -> arena.upcall("struct point { int x; struct point p; }; long (struct point)", h))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'struct point'");
        }
    }

    /** Callers built with -fpatchable-function-entry=4,2 read the hash 6 bytes before the entry; -fcf-protection=branch wants endbr64 there. */
    @Test
    void patchablePrefixAndEndbrSchemesMatchTheirLibrary() throws Throwable {
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost().withPatchablePrefix(2).withEndbr())) {
            MethodHandle callLong = prefixedIbt.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            assertThat((long) callLong.invokeExact(arena.upcall("long (long)", method("increment", long.class, long.class)), 41L)).isEqualTo(42L);
            MethodHandle first = MethodHandles.insertArguments(method("weighted", long.class, long.class, long.class, long.class, long.class, long.class, long.class), 1, 0L, 0L, 0L, 0L, 0L);
            assertThat((long) callLong.invokeExact(arena.upcall("long (long)", first), 7L)).isEqualTo(7L);   // a second callback behind the same shared stub
            MemorySegment labs = Linker.nativeLinker().defaultLookup().find("labs").orElseThrow();
            assertThat((long) callLong.invokeExact(arena.retag("long labs(long)", labs), -5L)).isEqualTo(5L);
        }
        assertThat(CfiScheme.kcfiHost().withPatchablePrefix(2).withEndbr().withNormalizedIntegers())
                .satisfies(s -> assertThat(s.patchablePrefix()).isEqualTo(2)).satisfies(s -> assertThat(s.endbr()).isTrue());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CfiScheme.kcfiHost().withPatchablePrefix(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patchable prefix");
    }

    @Test
    void schemeVariantsMatchLibrariesBuiltWithTheMatchingFlags() throws Throwable {
        MethodHandle increment = method("increment", long.class, long.class);
        try (ThunkArena n = ThunkArena.open(CfiScheme.kcfiHost().withNormalizedIntegers());
             ThunkArena f = ThunkArena.open(CfiScheme.kcfiHost().withFnv1a())) {
            MethodHandle viaNormalized = normalized.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            assertThat((long) viaNormalized.invokeExact(n.upcall("long (long)", increment), 1L)).isEqualTo(2L);
            MethodHandle viaFnv = fnv.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            assertThat((long) viaFnv.invokeExact(f.upcall("long (long)", increment), 2L)).isEqualTo(3L);
        }
        try (ThunkArena g = ThunkArena.open(CfiScheme.kcfiHost().withGeneralizedPointers()); Arena memory = Arena.ofConfined()) {
            MemorySegment values = memory.allocateFrom(JAVA_INT, 3, 1, 2);
            MethodHandle sort = generalized.function("sort_ints", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
            int ignored = (int) sort.invokeExact(values, 3L, g.upcall("int (const void *, const void *)",
                    method("compareInts", int.class, MemorySegment.class, MemorySegment.class)));
            assertThat(values.toArray(JAVA_INT)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void anExceptionInACallbackGoesToTheHandlerAndTheCallReturnsZero() throws Throwable {
        List<Throwable> caught = new ArrayList<>();
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost(), new DualMappedMemory(), caught::add)) {
            MethodHandle callLong = plain.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
            assertThat((long) callLong.invokeExact(arena.upcall("long (long)", method("boom", long.class, long.class)), 7L)).isZero();
        }
        assertThat(caught).singleElement().satisfies(t -> assertThat(t).hasMessage("boom 7"));
    }

    @Test
    void mismatchedHandlesAndBadPrototypesAreClearErrors() throws Throwable {
        try (ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost())) {
            assertThatThrownBy(() -> arena.upcall("int (long)", method("increment", long.class, long.class)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("'int (long)' needs a method handle of type (long)int, not (long)long");
            assertThatThrownBy(() -> arena.upcall("void (struct point)", method("record", void.class, long.class)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'struct point' by value needs its definition");
            assertThatThrownBy(() -> arena.upcall("long (long", method("increment", long.class, long.class)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bad C prototype 'long (long'");
        }
        ThunkArena closed = ThunkArena.open(CfiScheme.kcfiHost());
        closed.close();
        assertThatThrownBy(() -> closed.upcall("long (long)", method("increment", long.class, long.class))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void endbrHashesAreMaskedAsClangDoes() {
        assertThat(ThunkLayout.mask(0xFA1E0FF3)).isEqualTo(0xFA1E0FF4);
        assertThat(ThunkLayout.mask(-0xFA1E0FF3)).isEqualTo(-0xFA1E0FF3 + 1);
        assertThat(ThunkLayout.mask(0xFB1E0FF3)).isEqualTo(0xFB1E0FF4);
        assertThat(ThunkLayout.mask(0xbde2bfc8)).isEqualTo(0xbde2bfc8);
    }
}
