package dev.lucid.cli;

import dev.lucid.Lucid;
import dev.lucid.model.AdapterFiles;
import dev.lucid.model.ModelCard;
import dev.lucid.model.ModelFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"List the shipped models and your adapters, or print one model's card (model.json).",
                "A NAME may also be a model directory. Adapters are made by lucid adapt and stored under ~/.lucid/adapters."})
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
            ModelFiles.Source source = ModelFiles.open(model);
            ModelCard card = source.card();
            String mark = model.equals(Lucid.DEFAULT_MODEL) ? " (default)" : "";
            System.out.printf(Locale.ROOT, "%-16s %-12s %10s %12s  %s%s%n", model, card.status().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    String.format(Locale.ROOT, "%,d", card.tree().path("parameters").asLong()),
                    String.format(Locale.ROOT, "%,d", card.tree().path("flops_per_pixel").asLong()), card.description(), mark);
            if (card.status() != ModelCard.Status.TRAINED) {
                System.out.printf(Locale.ROOT, "%-16s %s%n", "", statusNote(card));
            }
            java.util.List<String> cameras = ModelFiles.cameras(source);
            if (!cameras.isEmpty()) System.out.printf(Locale.ROOT, "%-16s cameras: %s (use with --camera NAME)%n", "", String.join(", ", cameras));
            java.util.List<String> experts = ModelFiles.expertTasks(source);
            if (!experts.isEmpty()) {
                System.out.printf(Locale.ROOT, "%-16s task experts: %s (used for their tasks; %s:experts=off leaves them out)%n", "", String.join(", ", experts), model);
            }
        }
        List<String> adapters = AdapterFiles.installed();
        if (!adapters.isEmpty()) {
            System.out.printf(Locale.ROOT, "%nADAPTERS (%s; use with --adapter NAME)%n", AdapterFiles.home());
            System.out.printf(Locale.ROOT, "%-16s %-16s %6s %-17s %6s %7s %8s  %s%n", "NAME", "FOR MODEL", "PHOTOS", "LOSS", "STRIDE", "STEPS", "MINUTES", "CAMERA");
            for (String adapter : adapters) {
                try {
                    var card = AdapterFiles.open(adapter).card();
                    System.out.printf(Locale.ROOT, "%-16s %-16s %6d %-17s %6d %7d %8.1f  %s%n", adapter, card.path("base").asText(), card.path("photos").asInt(),
                            card.path("loss").asText("-"), card.path("pd_stride").asInt(1), card.path("steps").asInt(), card.path("cpu_minutes").asDouble(), card.path("camera").asText("not in EXIF"));
                } catch (java.io.IOException e) {
                    System.out.printf(Locale.ROOT, "%-16s unreadable: %s%n", adapter, e.getMessage());
                }
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
