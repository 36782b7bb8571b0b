package dev.lucid;

/** Receives progress of long work (tiles, images, training steps); the CLI draws it as a bar. */
public interface Progress {

    /** Starts a new stage with a known number of units. */
    void begin(String stage, long total);

    /** Marks units done in the current stage. */
    void advance(long units);

    /** A short status shown beside the bar, e.g. the running loss of training. */
    default void status(String text) {}

    Progress NONE = new Progress() {
        @Override public void begin(String stage, long total) {}
        @Override public void advance(long units) {}
    };
}
