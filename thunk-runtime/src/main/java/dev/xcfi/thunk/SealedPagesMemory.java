package dev.xcfi.thunk;

import java.lang.foreign.MemorySegment;

/**
 * Write, then seal: each region is an anonymous read+write mapping that {@link Region#publish()}
 * turns read+exec for good, so nothing can be added to it afterwards. The fallback where a memfd
 * cannot be had (a sandbox that forbids {@code memfd_create}): correct everywhere, but one page per
 * callback instead of one 48-byte slot, because every callback is published as soon as it is made.
 */
public final class SealedPagesMemory implements ExecutableMemory {
    private static final long PAGE = 4096;

    @Override
    public long regionSize() {
        return PAGE;
    }

    @Override
    public Region allocate(long size) {
        MemorySegment pages = Libc.mmap(MemorySegment.NULL, size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1);
        return new Sealed(pages, size);
    }

    private record Sealed(MemorySegment pages, long size) implements Region {
        @Override
        public MemorySegment writable() {
            return pages;
        }

        @Override
        public MemorySegment executable() {
            return pages;
        }

        @Override
        public void publish() {
            Libc.mprotect(pages, size, Libc.PROT_READ | Libc.PROT_EXEC);
        }

        @Override
        public boolean writableAfterPublish() {
            return false;
        }

        @Override
        public void retire() {
            Libc.mmap(pages, size, Libc.PROT_NONE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_FIXED | Libc.MAP_NORESERVE, -1);
        }
    }
}
