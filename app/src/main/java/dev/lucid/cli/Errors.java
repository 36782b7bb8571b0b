package dev.lucid.cli;

import picocli.CommandLine;

/**
 * Turns exceptions into one clear line on stderr and an exit code: bad input (I/O, format, argument errors)
 * exits 2, anything else 1. With --verbose the stack trace follows.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {

    static volatile boolean verbose;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        report(e);
        return isBadInput(e) ? Main.EXIT_BAD_INPUT : 1;
    }

    static boolean isBadInput(Throwable e) {
        return e instanceof java.io.IOException || e instanceof IllegalArgumentException;
    }

    static void report(Throwable e) {
        System.err.println("lucid: error: " + message(e));
        if (verbose) e.printStackTrace(System.err);
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
