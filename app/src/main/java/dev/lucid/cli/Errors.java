package dev.lucid.cli;

import dev.lucid.ErrorMessages;
import dev.lucid.JavaHeap;
import picocli.CommandLine;

/**
 * Turns exceptions into one clear line on stderr and an exit code: bad input (I/O, format, argument errors)
 * exits 2, anything else 1. With --verbose the stack trace follows. A usage error (a missing or malformed option) is
 * one line too, naming the command's help, rather than picocli's default of the whole usage text after it.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    static volatile boolean verbose;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        report(e);
        return isBadInput(e) ? Main.EXIT_BAD_INPUT : 1;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        System.err.println("lucid: error: " + ErrorMessages.firstLine(e) + " (see " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
        return Main.EXIT_BAD_INPUT;
    }

    static boolean isBadInput(Throwable e) {
        return e instanceof java.io.IOException || e instanceof IllegalArgumentException;
    }

    /** A heap too small for the work: one line saying how large it is and how to give more; exit 1. */
    static int outOfMemory(OutOfMemoryError e) {
        report(JavaHeap.outOfMemory(e) + ": give Java a larger heap, e.g. LUCID_JAVA_OPTS=-Xmx8g", e);
        return 1;
    }

    static void report(Throwable e) { report(ErrorMessages.firstLine(e), e); }

    private static void report(String line, Throwable e) {
        System.err.println("lucid: error: " + line);
        if (verbose) e.printStackTrace(System.err);
    }
}
