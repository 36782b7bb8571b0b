package dev.lucid.cli;

import dev.lucid.Lucid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code lucid} command. Exit codes: 0 success, 1 internal error, 2 bad input or usage. */
@Command(name = "lucid", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Real-world image denoising and text-guided restoration.",
        subcommands = {DenoiseCommand.class, RestoreCommand.class, AdaptCommand.class, SynthCommand.class, NoiseStatsCommand.class, EvalCommand.class, BenchCommand.class, MetricsCommand.class, EmbedCommand.class, ModelsCommand.class, TrainCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        Errors errors = new Errors();
        cli.setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) { // picocli passes Errors on; a heap too small for the image is the user's to fix
            return Errors.outOfMemory(e);
        }
    }

    /** Options every command has. */
    static final class Common {
        @Option(names = "--verbose", description = "Print the cause of errors (stack traces) and engine logs.")
        boolean verbose;

        @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
        Integer threads;

        /** Applies settings that must be in place before the tensor engine starts. */
        void apply() {
            if (threads != null) {
                if (threads < 1) throw new CommandLine.ParameterException(new CommandLine(new Main()), "--threads must be >= 1");
                System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
            Errors.verbose = verbose;
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "error");
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lucid " + Lucid.version(), "Java " + System.getProperty("java.version")};
        }
    }
}
