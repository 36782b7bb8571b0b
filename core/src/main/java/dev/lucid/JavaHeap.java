package dev.lucid;

/**
 * The Java heap as Lucid reports it: its limit, and the one phrase every front end (the CLI, the server, Spark, the image
 * reader) starts its out-of-memory line with, before its own remedy.
 */
public final class JavaHeap {

    private JavaHeap() {}

    /** The heap's limit in MB (-Xmx, or the JVM's default). */
    public static long maxMegabytes() { return Runtime.getRuntime().maxMemory() >> 20; }

    /** "out of memory (Java heap space, at most N MB)": what ran out, in the error's own words, and the heap's limit. */
    public static String outOfMemory(OutOfMemoryError e) {
        return "out of memory (" + ErrorMessages.firstLine(e) + ", at most " + maxMegabytes() + " MB)";
    }
}
