package dev.xcfi.encoding.source;

/**
 * A bound on how deep a recursive-descent parser may go, so that hostile input ({@code ((((…},
 * import cycles) ends in a located error instead of a StackOverflowError. Each caller reports the
 * error in its own words when {@link #enter()} refuses.
 */
public final class RecursionLimit {
    private final int max;
    private int depth;

    public RecursionLimit(int max) {
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** One level deeper; false (and no change) when the limit is reached. Pair a true with {@link #exit()}. */
    public boolean enter() {
        if (depth == max) return false;
        depth++;
        return true;
    }

    public void exit() {
        depth--;
    }

    /** The levels entered now: {@link #restore} takes a parser back to it, however many levels it entered since. */
    public int depth() {
        return depth;
    }

    public void restore(int depth) {
        this.depth = depth;
    }
}
