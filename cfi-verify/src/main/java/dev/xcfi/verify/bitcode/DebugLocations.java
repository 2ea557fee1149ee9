package dev.xcfi.verify.bitcode;

import dev.xcfi.verify.facts.SourceLocation;

/**
 * The place in the source of each instruction of a function body, as its block says: a
 * DEBUG_LOC record {@code [line, column, scope, inlinedAt, ...]} right after the instruction, or
 * DEBUG_LOC_AGAIN for the same place as the last DEBUG_LOC. Most instructions' places are never
 * asked for, so a DEBUG_LOC is decoded only when its instruction's is; of the others only where
 * the record starts is kept, and an AGAIN that is asked for reads it again from there.
 */
final class DebugLocations {
    static final int DEBUG_LOC_AGAIN = 33, DEBUG_LOC = 35;

    private final DebugInfoSource debugInfo;
    private final Record r = new Record();
    private long line, column, scope = -1;
    /** Where the last DEBUG_LOC passed over without decoding starts, or -1 when the last one was decoded. */
    private long lastUndecoded = -1;

    DebugLocations(DebugInfoSource debugInfo) {
        this.debugInfo = debugInfo;
    }

    /** For the next body. */
    void reset() {
        scope = -1;
        lastUndecoded = -1;
    }

    /**
     * Reads the DEBUG_LOC or DEBUG_LOC_AGAIN record {@code blocks} is at; returns the place it gives
     * the instruction before it when {@code wanted}, else null.
     */
    SourceLocation read(int code, BlockReader blocks, boolean wanted) throws BitcodeException {
        if (code == DEBUG_LOC) {
            if (!wanted) {
                lastUndecoded = blocks.recordStart();
                blocks.skip();
                return null;
            }
            blocks.read(r, code, 3);
            decoded();
        } else {
            blocks.skip();
            if (!wanted) return null;
            if (lastUndecoded >= 0) {
                blocks.reread(lastUndecoded, r, 3);
                decoded();
            }
        }
        return debugInfo.location(scope, line, column);
    }

    private void decoded() throws BitcodeException {
        line = r.op(0);
        column = r.op(1);
        scope = r.op(2) - 1;
        lastUndecoded = -1;
    }
}
