package dev.lucid;

/** What every front end (the CLI, the server, Spark) shows of a failure: one line, never a stack trace. */
public final class ErrorMessages {

    private ErrorMessages() {}

    /** The first line of the throwable's message, or its class's simple name when it has none. */
    public static String firstLine(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
