package dev.xcfi.thunk;

import java.lang.foreign.MemorySegment;

/**
 * Where thunk code lives. A region is never writable and executable at the same time; pluggable
 * (as closure-ffi's JitAlloc is), with {@link DualMappedMemory} as the default and
 * {@link SealedPagesMemory} where a memfd cannot be had.
 */
public interface ExecutableMemory {
    /** A region of code slots: written through {@link #writable()}, executed at {@link #executable()}. */
    interface Region {
        MemorySegment writable();

        MemorySegment executable();

        /** Makes written bytes visible to execution (a no-op for a dual mapping). */
        void publish();

        /** Whether more slots may be written after {@link #publish()} (not once a region is sealed). */
        default boolean writableAfterPublish() {
            return true;
        }

        /**
         * Ends the region: every address in it faults from now on, and the range stays reserved,
         * so a stale pointer can never reach code placed there later.
         */
        void retire();
    }

    Region allocate(long size);

    /** How large a region the arena asks for: many slots for a region that stays writable. */
    default long regionSize() {
        return 64 * 1024;
    }
}
