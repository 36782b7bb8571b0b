package dev.lucid;

/** Receives progress of long work (tiles, images, training steps); the CLI draws it as a bar. */
public interface Progress {

    /** Starts a new stage with a known number of units. */
    void begin(String stage, long total);

    /** Marks units done in the current stage. */
    void advance(long units);

    /** A short status shown beside the bar, e.g. the running loss of training. */
    default void status(String text) {}

    /**
     * The progress of part {@code index} (from 0) of {@code count} like parts of the work, e.g. one turned copy of a
     * self-ensemble: its stages are named after the part ("tiles, copy 2 of 8"). A front end that shows one fraction
     * for the whole work overrides this to give the part its share of it.
     */
    default Progress part(String name, int index, int count) {
        if (count == 1) return this;
        Progress whole = this;
        String note = ", " + name + " " + (index + 1) + " of " + count;
        return new Progress() {
            @Override public void begin(String stage, long total) { whole.begin(stage + note, total); }
            @Override public void advance(long units) { whole.advance(units); }
            @Override public void status(String text) { whole.status(text); }
        };
    }

    Progress NONE = new Progress() {
        @Override public void begin(String stage, long total) {}
        @Override public void advance(long units) {}
    };
}
