package dev.lucid.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.eval.EvalSet;
import dev.lucid.eval.NoiseRealism;
import dev.lucid.image.AtomicFiles;
import dev.lucid.model.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "noise-stats", mixinStandardHelpOptions = true,
        description = {"Measure how real synthetic noise looks against real noisy/clean pairs.",
                "Each recipe puts noise on every clean image; AKLD and KS compare it with that pair's real noise",
                "(DANet's definitions; lower is better). KIND:fit recipes (gaussian:fit, poisson-gaussian:fit,",
                "camera:fit, and transfer:fit[@MODEL], NoiseTransfer with the reference's noisy image) are fitted to the pair",
                "itself (--reference self) or to another pair of the same camera (other)."})
final class NoiseStatsCommand implements Callable<Integer> {

    @Mixin Main.Common common;

    @Option(names = "--pairs", arity = "1..2", required = true, paramLabel = "DIR", description = "NOISY_DIR CLEAN_DIR (same names), or one PolyU-style folder (*_real / *_mean).")
    List<Path> pairs;

    @Option(names = "--split", paramLabel = "FILE.yaml", description = "A scene split file; with --part, only that part's pairs (e.g. configs/splits/polyu.yaml).")
    Path split;

    @Option(names = "--part", paramLabel = "NAME", description = "Part of --split to measure (default: ${DEFAULT-VALUE}).")
    String part = "test";

    @Option(names = "--noise", required = true, paramLabel = "R1,R2,...", description = "Recipes to compare, comma-separated (a comma before a digit stays in its recipe: camera:0.04,0.03).")
    String noise;

    @Option(names = "--reference", paramLabel = "self|other", description = "Reference pair of the fitted recipes (default: ${DEFAULT-VALUE}).")
    String reference = "self";

    @Option(names = "--seed", description = "Seed of the synthetic noise (image i uses seed + i; default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N pairs in name order.")
    int limit;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the table as JSON.")
    Path json;

    @Option(names = "--crops", paramLabel = "FILE.png", description = "Write a strip of the first pair's centre crop: clean, real noisy, each recipe's, each noise amplified 4x.")
    Path crops;

    @Option(names = "--crop-size", paramLabel = "PX", description = "Crop side for --crops (default: ${DEFAULT-VALUE}).")
    int cropSize = 96;

    @Override
    public Integer call() throws Exception {
        common.apply();
        NoiseRealism.Reference ref = NoiseRealism.Reference.parse(reference);
        List<String> recipes = List.of(noise.split(",(?=[a-z])"));
        Path noisyDir = pairs.get(0), cleanDir = pairs.size() > 1 ? pairs.get(1) : null;
        EvalSet set = split == null ? EvalSet.pairs(noisyDir, cleanDir)
                : EvalSet.pairs(noisyDir, cleanDir, split, part);
        if (limit > 0) set = set.limit(limit);
        List<NoiseRealism.Row> rows;
        dev.lucid.eval.CropStrip strip = crops == null ? null : new dev.lucid.eval.CropStrip(set.cases().get(0).load().clean(), cropSize);
        try (ProgressBars bars = ProgressBars.create()) {
            rows = NoiseRealism.run(set, recipes, ref, seed, strip, bars);
        }
        if (strip != null) strip.write(crops);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%s, reference %s%n%-40s %8s %8s %6s %8s%n", set.description(), reference, "recipe", "AKLD", "KS",
                "pairs", "s/MP"));
        for (NoiseRealism.Row r : rows) {
            table.append(String.format(Locale.ROOT, "%-40s %8.4f %8.4f %6d %8.3f%n", r.recipe(), r.akld(), r.ks(), r.pairs(), r.secondsPerMegapixel()));
        }
        System.out.print(table);
        if (json != null) {
            ObjectNode root = ModelCard.json().createObjectNode().put("set", set.description()).put("reference", reference).put("seed", seed);
            for (NoiseRealism.Row r : rows) root.withArray("rows").addObject().put("recipe", r.recipe()).put("akld", r.akld()).put("ks", r.ks()).put("pairs", r.pairs())
                    .put("seconds_per_megapixel", r.secondsPerMegapixel());
            byte[] bytes = ModelCard.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            AtomicFiles.write(json, tmp -> Files.write(tmp, bytes));
        }
        return 0;
    }
}
