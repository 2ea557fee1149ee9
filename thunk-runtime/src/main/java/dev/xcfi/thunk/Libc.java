package dev.xcfi.thunk;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The few libc calls executable memory needs, as FFM downcalls (errno captured). */
final class Libc {
    static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = handle("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = handle("mprotect", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUNMAP = handle("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MEMFD_CREATE = handle("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = handle("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Libc() {}

    private static MethodHandle handle(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsupportedOperationException("libc has no " + name)), d);
    }

    static MemorySegment mmap(MemorySegment at, long size, int prot, int flags, int fd) {
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(at, size, prot, flags, fd, 0L);
            if (p.address() == -1L) throw new IllegalStateException("mmap of " + size + " bytes failed");
            return p.reinterpret(size);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void mprotect(MemorySegment at, long size, int prot) {
        try {
            if ((int) MPROTECT.invokeExact(at, size, prot) != 0) throw new IllegalStateException("mprotect failed");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void munmap(MemorySegment at, long size) {
        try {
            int ignored = (int) MUNMAP.invokeExact(at, size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** An anonymous in-memory file of {@code size} bytes, or -1 where memfd_create is refused. */
    static int memfd(long size) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) MEMFD_CREATE.invokeExact(arena.allocateFrom("xcfi-thunks"), 0);
            if (fd < 0) return -1;
            if ((int) FTRUNCATE.invokeExact(fd, size) != 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                return -1;
            }
            return fd;
        } catch (Throwable t) {
            return -1;
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
