package dev.lucid.cli;

import dev.lucid.Lucid;
import dev.lucid.model.ModelCard;
import dev.lucid.model.ModelFiles;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"List the shipped models with their training status, or print one model's card (model.json).",
                "A NAME may also be a model directory."})
final class ModelsCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Print this model's full card.")
    String name;

    @Override
    public Integer call() throws Exception {
        if (name != null) {
            System.out.println(new String(ModelFiles.open(name).card().toJson(), StandardCharsets.UTF_8));
            return 0;
        }
        System.out.printf(Locale.ROOT, "%-16s %-12s %10s %12s  %s%n", "NAME", "STATUS", "PARAMS", "FLOPS/PX", "DESCRIPTION");
        for (String model : ModelFiles.shipped()) {
            ModelCard card = ModelFiles.open(model).card();
            String mark = model.equals(Lucid.DEFAULT_MODEL) ? " (default)" : "";
            System.out.printf(Locale.ROOT, "%-16s %-12s %10s %12s  %s%s%n", model, card.status().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    String.format(Locale.ROOT, "%,d", card.tree().path("parameters").asLong()),
                    String.format(Locale.ROOT, "%,d", card.tree().path("flops_per_pixel").asLong()), card.description(), mark);
            if (card.status() != ModelCard.Status.TRAINED) {
                System.out.printf(Locale.ROOT, "%-16s %s%n", "", statusNote(card));
            }
        }
        return 0;
    }

    private static String statusNote(ModelCard card) {
        if (card.status() == ModelCard.Status.UNTRAINED) return "NOT TRAINED: plumbing only, output is not denoised meaningfully.";
        var t = card.training();
        return String.format(Locale.ROOT, "STILL TRAINING: %d of %d iterations done (%.1f CPU h); validation PSNR %s.",
                t.path("iterations_done").asInt(), t.path("iterations_planned").asInt(), t.path("cpu_hours").asDouble(),
                t.has("validation_psnr") ? t.get("validation_psnr").asText() + " dB (" + t.path("validation").asText() + ")" : "not measured yet");
    }
}
