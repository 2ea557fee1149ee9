package dev.xcfi.thunk;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Run in a child JVM by ThunkTrapTest: makes one call that KCFI must stop, so the process dies
 * with SIGILL (or SIGSEGV for a retired thunk). Printing "survived" means the check did not fire.
 */
public final class TrapProbe {
    static long increment(long x) {
        return x + 1;
    }

    public static void main(String[] args) throws Throwable {
        KcfiLibrary lib = KcfiLibrary.load(Path.of(args[1]));
        MethodHandle callLong = lib.function("call_long", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
        MethodHandle target = MethodHandles.lookup().findStatic(TrapProbe.class, "increment", MethodType.methodType(long.class, long.class));
        MemorySegment pointer;
        switch (args[0]) {
            case "raw-stub" -> pointer = Linker.nativeLinker().upcallStub(target, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), Arena.global());
            case "unprefixed" -> pointer = ThunkArena.open(CfiScheme.kcfiHost()).upcall("long (long)", target);   // lib built with a prefix
            case "wrong-prototype" -> pointer = ThunkArena.open(CfiScheme.kcfiHost()).upcall("long (int)",
                    MethodHandles.explicitCastArguments(target, MethodType.methodType(long.class, int.class)));
            case "closed" -> {
                ThunkArena arena = ThunkArena.open(CfiScheme.kcfiHost());
                pointer = arena.upcall("long (long)", target);
                System.out.println("before close: " + (long) callLong.invokeExact(pointer, 1L));
                arena.close();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
        long r = (long) callLong.invokeExact(pointer, 41L);
        System.out.println("survived: " + r);
    }
}
