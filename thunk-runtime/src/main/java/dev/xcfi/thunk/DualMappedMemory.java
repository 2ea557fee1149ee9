package dev.xcfi.thunk;

import java.lang.foreign.MemorySegment;

/**
 * One memfd mapped twice: a read+write view to place thunks and a read+exec view to run them,
 * so slots can be added to a live region while other thunks in it are being called, without
 * any mapping ever being writable and executable at once.
 */
public final class DualMappedMemory implements ExecutableMemory {
    @Override
    public Region allocate(long size) {
        int fd = Libc.memfd(size);
        if (fd < 0) throw new UnsupportedOperationException("memfd_create is not available here: open the arena with SealedPagesMemory");
        try {
            MemorySegment rw = Libc.mmap(MemorySegment.NULL, size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd);
            MemorySegment rx = Libc.mmap(MemorySegment.NULL, size, Libc.PROT_READ | Libc.PROT_EXEC, Libc.MAP_SHARED, fd);
            return new Dual(rw, rx, size);
        } finally {
            Libc.close(fd);   // the mappings keep the file alive
        }
    }

    private record Dual(MemorySegment writable, MemorySegment executable, long size) implements Region {
        @Override
        public void publish() {
            // the same physical pages: x86_64 keeps instruction fetch coherent with stores
        }

        @Override
        public void retire() {
            Libc.munmap(writable, size);
            // replace the code view by an inaccessible reservation: the memfd's pages are freed,
            // the addresses fault and stay taken
            Libc.mmap(executable, size, Libc.PROT_NONE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_FIXED | Libc.MAP_NORESERVE, -1);
        }
    }
}
