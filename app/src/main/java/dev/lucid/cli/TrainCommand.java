package dev.lucid.cli;

import dev.lucid.train.TrainConfig;
import dev.lucid.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model from a YAML or JSON config.",
                "Checkpoints go to the run directory; stopping (Ctrl-C, SIGTERM) checkpoints first, and --resume",
                "continues bit for bit."})
final class TrainCommand implements Callable<Integer> {

    @Mixin Main.Common common;

    @Parameters(paramLabel = "CONFIG", description = "Training config (.yaml, .yml or .json).")
    Path config;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Where checkpoints, log and model go (default: runs/NAME).")
    Path runDir;

    @Option(names = "--resume", description = "Continue from the checkpoint in the run directory.")
    boolean resume;

    @Option(names = "--steps", paramLabel = "N", description = "Train at most N more steps in this invocation.")
    Integer steps;

    @Option(names = "--hours", paramLabel = "H", description = "Stop after H hours, the last checkpoint written by then.")
    Double hours;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        common.apply();
        if (!Files.isRegularFile(config)) throw new java.io.IOException("no such config file: " + config);
        TrainConfig cfg = TrainConfig.read(config);
        Path dir = runDir != null ? runDir : Path.of("runs", cfg.name());
        try (Trainer trainer = new Trainer(cfg, dir, System.err::println)) {
            startOrResume(trainer, resume, dir, "--run-dir");
            System.err.printf(Locale.ROOT, "%s: %,d parameters, %,d FLOPs/pixel, %d training images, step %d of %d%n",
                    cfg.name(), trainer.parameterCount(), 2 * trainer.macsPerPixel(), trainer.trainingImages(), trainer.step(), cfg.iterations());
            run(trainer, steps, hours == null ? null : started + (long) (hours * 3.6e12));
            System.err.printf(Locale.ROOT, "stopped at step %d; checkpoint and model in %s%n", trainer.step(), dir);
        }
        return 0;
    }

    /** Resumes the run in {@code dir} when asked to; refuses to start over a checkpoint, or to resume without one. */
    static void startOrResume(Trainer trainer, boolean resume, Path dir, String dirOption) throws java.io.IOException {
        if (trainer.hasCheckpoint() && !resume) {
            throw new IllegalArgumentException(dir + " already holds a checkpoint: add --resume to continue it, or choose another " + dirOption);
        }
        if (resume) {
            if (!trainer.hasCheckpoint()) throw new IllegalArgumentException("--resume: no checkpoint in " + dir);
            trainer.resume();
        }
    }

    /**
     * Trains until the run's iterations, {@code steps} more steps or the {@code deadline} (a {@link System#nanoTime()}
     * value, null for none), whichever comes first, with a progress bar; the last checkpoint is written by the deadline.
     * Ctrl-C or SIGTERM stops it after a checkpoint (the JVM waits for it).
     */
    static void run(Trainer trainer, Integer steps, Long deadline) throws java.io.IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try { finished.await(); } catch (InterruptedException ignored) { Thread.currentThread().interrupt(); }
        }, "lucid-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (deadline != null) trainer.stopBy(deadline);
        try (ProgressBars bars = ProgressBars.withLog(60)) {
            trainer.train(steps == null ? Integer.MAX_VALUE : steps, bars);
        } finally {
            finished.countDown(); // lets the JVM finish stopping, if a SIGTERM is waiting for this checkpoint
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException stopping) {
                // the JVM is already stopping: the hook is running and has just been released
            }
        }
    }
}
