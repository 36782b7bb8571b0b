package dev.lucid.cli;

import dev.lucid.degrade.Degradation;
import dev.lucid.image.Image;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.method.TaskReading;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lucid restore}: {@code lucid denoise} with a task, for models that remove rain and haze as well as noise. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Remove noise, rain or haze, with a model that knows several degradations.",
                "--task auto (the default) lets the model read the degradation from each image and prints what it",
                "read; etdiffir removes the noise and rain it reads, but haze only with --task dehaze (it reads some",
                "clear, pale scenes as hazy); weak camera noise it leaves as it is (its denoising is for strong",
                "noise): real photos are better served by lucid denoise. A model that only denoises just denoises.",
                "Inputs are never modified;",
                "outputs are written atomically. Without -o or --out-dir, IMG.ext is written beside the input as",
                "IMG_restored.ext."})
final class RestoreCommand extends DenoiseCommand {

    @Option(names = "--task", paramLabel = "auto|denoise|derain|dehaze", description = "Degradation to remove (default: ${DEFAULT-VALUE}).")
    String task = Guidance.AUTO;

    @Override
    String task() { return task; }

    @Override
    String outputSuffix() { return "_restored"; }

    /**
     * With --task auto, reads the task from the image, prints it with its probability and restores it if the model
     * applies it on its own; otherwise says which --task would, and leaves the image unchanged.
     */
    @Override
    Guidance settleTask(Restorer restorer, Image image, Path in, Guidance guidance) {
        if (!guidance.taskIsAutomatic()) return guidance;
        Optional<TaskReading> reading = restorer.readTask(image);
        if (reading.isEmpty()) return guidance;
        String task = reading.get().task(), name = in.getFileName().toString();
        double p = reading.get().probability();
        if (task.equals(Degradation.NO_TASK)) {
            System.err.printf(Locale.ROOT, "%s: no degradation found (probability %.2f); written unchanged%n", name, p);
        } else if (!reading.get().applied().equals(task)) {
            System.err.printf(Locale.ROOT, "%s: %s read (probability %.2f), which this model does not apply on its own: give --task %s to apply it; written unchanged%n",
                    name, task, p, task);
        } else {
            System.err.printf(Locale.ROOT, "%s: task %s (probability %.2f)%n", name, task, p);
        }
        return guidance.withTask(reading.get().applied());
    }
}
