package dev.lucid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.Lucid;
import dev.lucid.model.AdapterFiles;
import dev.lucid.model.ModelCard;
import dev.lucid.train.TrainConfig;
import dev.lucid.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "adapt", mixinStandardHelpOptions = true,
        description = {"Teach a model your camera's noise from your own noisy photos, no clean images needed.",
                "Trains a small adapter (LoRA, the model's weights frozen) on patches of all",
                "the photos: their own noise, cut from their flattest regions, put on the",
                "model's pseudo-clean images of them. Then use it with lucid denoise --adapter",
                "NAME. Stop it at any time (Ctrl-C): the adapter written so far is usable,",
                "and --resume continues it."})
final class AdaptCommand implements Callable<Integer> {

    @Mixin Main.Common common;

    @Parameters(arity = "1..*", paramLabel = "NOISY", description = "Noisy photos of one camera, or folders of them.")
    List<Path> inputs;

    @Option(names = "--model", paramLabel = "NAME|DIR", description = "The model to adapt (default: ${DEFAULT-VALUE}).")
    String model = Lucid.DEFAULT_MODEL;

    @Option(names = "--name", paramLabel = "NAME", description = "Store the adapter as ~/.lucid/adapters/NAME (default: the first input's name).")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "Store the adapter in DIR instead.")
    Path out;

    @Option(names = "--minutes", paramLabel = "M", description = "Stop after M minutes in all, reading the photos included (default: ${DEFAULT-VALUE}).")
    double minutes = 10;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps in all (default: ${DEFAULT-VALUE}); whichever of --minutes and --steps comes first ends it.")
    int steps = 2000;

    @Option(names = "--rank", paramLabel = "R", description = "Rank of the adapter (default: ${DEFAULT-VALUE}).")
    int rank = 4;

    @Option(names = "--pd-stride", paramLabel = "auto|1|2|3|4", description = "The pixel-shuffle stride of the pseudo-clean images (noise bank; the adapter restores whole images), "
            + "or of learning and restoring (Neighbor2Neighbor); auto picks 2 when the photos' noise is correlated between "
            + "neighbouring pixels only (default: ${DEFAULT-VALUE}).")
    String pdStride = "auto";

    @Option(names = "--loss", paramLabel = "neighbor2neighbor|noise-bank", description = "What the adapter learns from: Neighbor2Neighbor's "
            + "sub-sampled pairs, or the photos' own noise (cut from their flattest blocks) put on the model's pseudo-clean images (default: ${DEFAULT-VALUE}).")
    String loss = "noise-bank";

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the patches drawn and the adapter's start (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--resume", description = "Continue the adapter in the output folder.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        long started = startOfThisProcess();                // --minutes bounds the whole command, as a user times it
        common.apply();
        if (name != null && out != null) throw new IllegalArgumentException("give --name or --out, not both");
        if (minutes <= 0 || steps < 1 || rank < 1) throw new IllegalArgumentException("--minutes, --steps and --rank must be positive");
        for (Path p : inputs) if (!Files.exists(p)) throw new java.io.IOException("no such file or folder: " + p);
        String adapterName = name != null ? name : out != null ? out.getFileName().toString() : defaultName(inputs.get(0));
        if (!adapterName.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("an adapter name may hold letters, digits, '.', '_' and '-', got \"" + adapterName + "\"");
        Path dir = out != null ? out : AdapterFiles.home().resolve(adapterName);
        ObjectNode tree = config(adapterName);
        TrainConfig config = TrainConfig.parse(tree);
        try (Trainer trainer = new Trainer(config, dir, System.err::println)) {
            TrainCommand.startOrResume(trainer, resume, dir, "--name or --out");
            Files.createDirectories(dir);
            dev.lucid.image.AtomicFiles.write(dir.resolve("adapt.json"), tmp -> Files.write(tmp, ModelCard.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree)));
            JsonNode card = trainer.adapterCard(), noise = card.path("noise");
            String stride = card.has("pseudo_clean_stride")
                    ? "so pseudo-clean images at pixel-shuffle stride " + card.path("pseudo_clean_stride").asInt() + " and the adapter at stride 1"
                    : "so pixel-shuffle stride " + card.path("pd_stride").asInt();
            System.err.printf(Locale.ROOT, "adapting %s to %d photo%s: noise sigma %.1f, correlation %.2f / %.2f / %.2f at 1 / 2 / 3 pixels, %s;"
                    + " %,d adapter parameters, step %d of %d, at most %.1f minutes%n", model, trainer.trainingImages(), trainer.trainingImages() == 1 ? "" : "s", noise.path("sigma").asDouble(),
                    noise.path("lag1").asDouble(), noise.path("lag2").asDouble(), noise.path("lag3").asDouble(), stride,
                    card.path("adapter_parameters").asLong(), trainer.step(), steps, minutes);
            TrainCommand.run(trainer, null, started + (long) (minutes * 6e10));
            System.err.printf(Locale.ROOT, "adapter %s written to %s after %d steps; use it with: lucid denoise --model %s --adapter %s IN -o OUT%n",
                    adapterName, dir, trainer.step(), model, out != null ? dir : adapterName);
        }
        return 0;
    }

    /** The adaptation as a training config (also kept beside the adapter as adapt.json, so a run can be repeated). */
    private ObjectNode config(String adapterName) {
        ObjectNode root = ModelCard.json().createObjectNode();
        root.put("name", adapterName).put("seed", seed);
        root.putObject("adapt").put("base", model).put("rank", rank).put("loss", loss).put("pd_stride", pdStride);
        ObjectNode data = root.putObject("data");
        inputs.forEach(p -> data.withArray("noisy").addObject().put("path", p.toString()));
        data.put("patch", 128).put("batch", 4);
        root.putObject("optimizer").put("lr", 5e-4).put("weight_decay", 0.0).put("grad_clip", 1.0);
        root.putObject("schedule").put("iterations", steps).put("warmup", Math.min(50, steps / 10)).put("min_lr", 5e-5);
        root.put("ema", 0.99);
        root.put("checkpoint_every", 50);
        root.putObject("validation").put("every", Integer.MAX_VALUE);
        return root;
    }

    /** When the JVM started, as a {@link System#nanoTime()} value (now, if the system does not say). */
    private static long startOfThisProcess() {
        long now = System.nanoTime();
        return ProcessHandle.current().info().startInstant()
                .map(start -> now - java.time.Duration.between(start, java.time.Instant.now()).toNanos())
                .orElse(now);
    }

    /** A folder's name, or a photo's name without its extension. */
    private static String defaultName(Path input) {
        Path file = input.toAbsolutePath().normalize().getFileName();
        String n = file == null ? "adapter" : file.toString();
        if (!Files.isDirectory(input) && n.contains(".")) n = n.substring(0, n.lastIndexOf('.'));
        return n.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
