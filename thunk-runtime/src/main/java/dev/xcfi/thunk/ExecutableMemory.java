package dev.xcfi.thunk;

import java.lang.foreign.MemorySegment;

/**
 * Where thunk code lives. A region is never writable and executable through the same mapping;
 * pluggable (as closure-ffi's JitAlloc is), with {@link DualMappedMemory} as the default.
 */
public interface ExecutableMemory {
    /** A region of code slots: written through {@link #writable()}, executed at {@link #executable()}. */
    interface Region {
        MemorySegment writable();

        MemorySegment executable();

        /** Makes written bytes visible to execution (a no-op for a dual mapping). */
        void publish();

        /**
         * Ends the region: every address in it faults from now on, and the range stays reserved,
         * so a stale pointer can never reach code placed there later.
         */
        void retire();
    }

    Region allocate(long size);
}
