package dev.lucid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lucid.JavaHeap;
import dev.lucid.Lucid;
import dev.lucid.ModelSpec;
import dev.lucid.Progress;
import dev.lucid.bench.Peers;
import dev.lucid.degrade.Degradation;
import dev.lucid.degrade.Degradations;
import dev.lucid.eval.CaptionModes;
import dev.lucid.eval.Chart;
import dev.lucid.eval.EvalSet;
import dev.lucid.eval.Evaluation;
import dev.lucid.eval.TaskReadingAccuracy;
import dev.lucid.image.AtomicFiles;
import dev.lucid.image.Image;
import dev.lucid.image.TestCard;
import dev.lucid.image.Tiler;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.model.ModelCard;
import dev.lucid.text.Captions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Compare every Lucid model with the peers on the benchmark suite.",
                "Runs the suite (bench/suite.yaml) for every Lucid model and every peer in one JVM, and writes",
                "bench/RESULTS.md and bench/results.json with machine, versions and date."})
final class BenchCommand implements Callable<Integer> {

    @Mixin Main.Common common;

    @Option(names = "--quick", description = "A small subset that runs in a few minutes.")
    boolean quick;

    @Option(names = "--suite", paramLabel = "FILE", description = "Suite definition (default: ${DEFAULT-VALUE}).")
    Path suiteFile = Path.of("bench/suite.yaml");

    @Option(names = "--out", paramLabel = "DIR", description = "Where RESULTS.md, results.json and plots go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench");

    @Option(names = "--model", split = ModelSpec.LIST_SEPARATOR, splitSynopsisLabel = ",", paramLabel = "M", description = "Lucid models to measure, with optional settings (NAME:key=value,...); default: all shipped.")
    List<String> models;

    @Option(names = "--update-cards", description = "Write each shipped Lucid model's results into models/NAME/model.json (\"eval\").")
    boolean updateCards;

    @Option(names = "--from", paramLabel = "RESULTS.json", description = "With --update-cards: take the results of an earlier run instead of running the suite.")
    Path from;

    /** The suffix of the rows where a model that reads its task is given it (suite setting {@code task_given: true}). */
    private static final String TASK_GIVEN = " · task given";

    /** One evaluated (set, model) cell. */
    private record Cell(String set, Evaluation.Result result) {}

    /**
     * A set of the suite, its caption file and modes when it names captions (null otherwise), and the task its
     * degradation calls for (null when the suite does not say, as for real pairs without {@code task:}).
     */
    private record SuiteSet(EvalSet set, Path captions, List<CaptionModes.Mode> modes, String task) {}

    /** A paired caption-mode difference of one model on one set. */
    private record CaptionCell(String set, String model, CaptionModes.Difference difference, boolean ignored) {}

    /** How well one model reads the task (--task auto) on the suite's task_reading mix. */
    private record TaskCell(String model, TaskReadingAccuracy.Report report) {}

    /** Seconds and MP/s of one model on one speed image. */
    private record Speed(String model, String size, double seconds, double megapixels) {}

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (from != null) {
            if (!updateCards) throw new IllegalArgumentException("--from goes with --update-cards");
            updateCards(ModelCard.json().readTree(from.toFile()));
            return 0;
        }
        if (!Files.isRegularFile(suiteFile)) throw new IOException("no benchmark suite at " + suiteFile + " (run from the repository root or give --suite)");
        JsonNode suite = new ObjectMapper(new YAMLFactory()).readTree(suiteFile.toFile());
        Path root = Path.of(suite.path("data_root").asText("../shared/data"));
        List<String> lucidModels = new ArrayList<>(models != null ? models : Lucid.shippedModels());
        if (models == null) {
            // other settings of the models in the run (e.g. a diffusion model's steps), each measured as its own row
            for (JsonNode v : suite.path("variants")) if (lucidModels.contains(baseModel(v.asText()))) lucidModels.add(v.asText());
        }
        List<String> all = new ArrayList<>(lucidModels);
        suite.path("peers").forEach(p -> all.add(p.asText()));
        Map<String, SuiteSet> sets = sets(suite, root);
        List<String> speedSizes = new ArrayList<>();
        (quick ? suite.path("quick").path("speed") : suite.path("speed")).forEach(s -> speedSizes.add(s.asText()));
        // the card's degradation for the speed test: camera noise unless the suite names what its models restore
        // (a model that reads its task from the image leaves an image it finds clean untouched, which times nothing)
        String speedRecipe = suite.path("speed_noise").asText("camera");
        Degradation speedNoise = Degradations.parse(speedRecipe); // a misspelled recipe fails here, before any model runs

        List<Cell> cells = new ArrayList<>();
        List<CaptionCell> captionCells = new ArrayList<>();
        List<Speed> speeds = new ArrayList<>();
        List<TaskCell> taskCells = new ArrayList<>();
        JsonNode taskMix = suite.path("task_reading");
        long seed = suite.path("seed").asLong(0);
        long started = System.nanoTime();
        try (ProgressBars bars = ProgressBars.withLog(30)) {
            for (String m : all) {
                try (Restorer r = Peers.load(m, Tiler.Settings.defaults())) {
                    for (Map.Entry<String, SuiteSet> e : sets.entrySet()) {
                        SuiteSet s = e.getValue();
                        if (s.captions() == null) {
                            cells.add(new Cell(e.getKey(), Evaluation.run(m, r, s.set(), bars)));
                            continue;
                        }
                        // a set with captions: one row per caption mode, and the paired differences to "none"
                        CaptionModes.Report report = CaptionModes.run(m, r, s.set(), CaptionModes.captionsOf(s.set(), Captions.read(s.captions())),
                                s.modes(), seed, Evaluation.Perceptual.none(), bars);
                        report.results().forEach((mode, result) -> cells.add(new Cell(e.getKey() + " · captions " + mode.label(), result)));
                        for (CaptionModes.Difference d : report.differences()) captionCells.add(new CaptionCell(e.getKey(), m, d, report.ignoresCaptions()));
                    }
                    if (suite.path("task_given").asBoolean(false) && lucidModels.contains(m) && r.accepts().contains(Guidance.Kind.TASK)) {
                        cells.addAll(taskGiven(m, sets, bars));
                    }
                    if (!m.equals("noisy")) for (String size : speedSizes) speeds.add(speed(m, r, size, speedNoise)); // noisy does no work
                    if (taskMix.has("clean") && lucidModels.contains(m)) {
                        List<String> recipes = new ArrayList<>();
                        taskMix.path("recipes").forEach(x -> recipes.add(x.asText()));
                        TaskReadingAccuracy.run(r, root.resolve(taskMix.get("clean").asText()), recipes, taskMix.path("seed").asLong(1),
                                quick ? suite.path("quick").path("limit").asInt(4) : taskMix.path("limit").asInt(0), bars).ifPresent(t -> taskCells.add(new TaskCell(m, t)));
                    }
                }
            }
        }
        double minutes = (System.nanoTime() - started) / 6e10;
        Files.createDirectories(out);
        ObjectNode json = report(cells, captionCells, speeds, lucidModels, minutes);
        if (!speeds.isEmpty()) json.put("speed_noise", speedRecipe);
        for (TaskCell t : taskCells) {
            TaskReadingAccuracy.Report degraded = t.report().degraded();
            ObjectNode row = json.withArray("task_reading").addObject().put("model", t.model()).put("images", t.report().total())
                    .put("accuracy", t.report().accuracy()).put("degraded_images", degraded.total())
                    .put("degraded_accuracy", degraded.accuracy());
            row.set("confusion", ModelCard.json().valueToTree(t.report().confusion()));
        }
        byte[] jsonBytes = ModelCard.json().writeValueAsBytes(json);
        AtomicFiles.write(out.resolve(quick ? "results-quick.json" : "results.json"), tmp -> Files.write(tmp, jsonBytes));
        String markdown = markdown(json, cells, captionCells, speeds, lucidModels, seed) + taskMarkdown(taskCells, taskMix);
        AtomicFiles.write(out.resolve(quick ? "RESULTS-quick.md" : "RESULTS.md"), tmp -> Files.writeString(tmp, markdown));
        plotSigma(cells, all);
        System.out.print(markdown);
        if (updateCards) updateCards(json);
        return 0;
    }

    /** The task-reading section: accuracy and the confusion table (rows: the true task, columns: the task read). */
    private static String taskMarkdown(List<TaskCell> cells, JsonNode mix) {
        if (cells.isEmpty()) return "";
        StringBuilder md = new StringBuilder("\n## Task read from the image (--task auto)\n\nEvery image of ").append(mix.path("clean").asText())
                .append(" with every recipe of the mix (").append(mix.path("recipes").toString()).append("), seed ").append(mix.path("seed").asLong(1))
                .append(" (not the seed of the quality sets).\n");
        for (TaskCell c : cells) {
            TaskReadingAccuracy.Report degraded = c.report().degraded();
            md.append(String.format(Locale.ROOT, "%n**%s**: %d of %d right (%.1f %%); on the degraded images alone %.1f %% of %d%n%n| true task | read as |%n|---|---|%n",
                    c.model(), c.report().correct(), c.report().total(), 100 * c.report().accuracy(), 100 * degraded.accuracy(), degraded.total()));
            c.report().confusion().forEach((truth, read) -> md.append("| ").append(truth).append(" | ").append(read).append(" |\n"));
        }
        return md.toString();
    }

    /**
     * A model that reads its task from the image, run again on each degraded set with the set's task given (captions
     * given, where the set has them), as task-specific controls are measured: what it restores when it knows the task,
     * apart from how well it reads it. Rows "SET · task given" in the model's own column.
     */
    private static List<Cell> taskGiven(String model, Map<String, SuiteSet> sets, Progress progress) throws IOException {
        Map<String, List<String>> setsByTask = new LinkedHashMap<>();
        sets.forEach((name, s) -> {
            if (s.task() != null && !s.task().equals(Degradation.NO_TASK)) setsByTask.computeIfAbsent(s.task(), t -> new ArrayList<>()).add(name);
        });
        List<Cell> cells = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : setsByTask.entrySet()) {
            try (Restorer given = Peers.load(ModelSpec.parse(model).with("task", e.getKey()).toString(), Tiler.Settings.defaults())) {
                for (String name : e.getValue()) {
                    SuiteSet s = sets.get(name);
                    List<String> captions = s.captions() == null ? null : CaptionModes.captionsOf(s.set(), Captions.read(s.captions()));
                    Evaluation.Result result = Evaluation.run(model, given, s.set(), captions, Evaluation.Perceptual.none(), null, progress);
                    cells.add(new Cell(name + (captions == null ? "" : " · captions given") + TASK_GIVEN, result));
                }
            }
        }
        return cells;
    }

    /** The model of a spec: {@code interp-diffusion} for {@code interp-diffusion:sample_steps=5}. */
    private static String baseModel(String spec) { return ModelSpec.parse(spec).model(); }

    /**
     * Puts each Lucid model's rows of a results.json into its model.json under "eval" (models/NAME, or the
     * model's folder); rows of its variants (NAME:settings) go there too, labelled with their settings.
     */
    private static void updateCards(JsonNode results) throws IOException {
        for (JsonNode name : results.path("lucid_models")) {
            if (!baseModel(name.asText()).equals(name.asText())) continue;
            Path folder = Path.of(name.asText());
            Path card = Files.isDirectory(folder) ? folder.resolve("model.json") : Path.of("models", name.asText(), "model.json");
            if (!Files.isRegularFile(card)) {
                System.err.println("lucid: " + name.asText() + " is not a shipped model under models/; its card is not updated");
                continue;
            }
            ObjectNode root = (ObjectNode) ModelCard.json().readTree(card.toFile());
            ObjectNode eval = root.putObject("eval");
            eval.put("source", "lucid bench" + (results.path("quick").asBoolean() ? " --quick" : "") + ", " + results.path("date").asText());
            ArrayNode rows = eval.putArray("results");
            for (JsonNode r : results.path("results")) {
                String model = r.path("model").asText();
                if (!baseModel(model).equals(name.asText())) continue;
                ObjectNode row = rows.addObject().put("set", r.path("set").asText());
                if (!model.equals(name.asText())) row.put("settings", ModelSpec.parse(model).settingsText());
                row.set("psnr", r.path("mean_psnr"));
                row.set("ssim", r.path("mean_ssim"));
            }
            ArrayNode speed = eval.putArray("speed");
            for (JsonNode sp : results.path("speed")) {
                if (baseModel(sp.path("model").asText()).equals(name.asText())) speed.add(sp);
            }
            byte[] bytes = ModelCard.json().writeValueAsBytes(root);
            AtomicFiles.write(card, tmp -> Files.write(tmp, bytes));
            System.err.println("updated " + card + " with " + rows.size() + " results");
        }
    }

    /**
     * The suite's sets by name. A set may name {@code captions: FILE.tsv} (relative to data_root) and
     * {@code caption_modes: [given, none, shuffled]} (the default): every model then runs once per mode.
     */
    private Map<String, SuiteSet> sets(JsonNode suite, Path root) throws IOException {
        JsonNode q = suite.path("quick");
        List<String> only = new ArrayList<>();
        q.path("sets").forEach(s -> only.add(s.asText()));
        int limit = quick ? q.path("limit").asInt(4) : 0;
        long seed = suite.path("seed").asLong(0);
        Map<String, SuiteSet> sets = new LinkedHashMap<>();
        for (JsonNode s : suite.path("synthetic")) {
            String name = s.get("name").asText();
            if (quick && !only.contains(name)) continue;
            Path clean = root.resolve(s.get("clean").asText());
            for (JsonNode sigma : quick ? q.path("sigmas") : s.path("sigmas")) {
                String recipe = "gaussian:" + sigma.asInt();
                sets.put(name + " σ=" + sigma.asInt(), suiteSet(s, root, EvalSet.synthetic(clean, recipe, seed).limit(limit), Degradations.parse(recipe).task()));
            }
            // other noises by recipe, e.g. for out-of-distribution studies; --quick runs those of quick.recipes
            for (JsonNode recipe : quick ? q.path("recipes") : s.path("recipes")) {
                sets.put(name + " " + recipe.asText(), suiteSet(s, root, EvalSet.synthetic(clean, recipe.asText(), seed).limit(limit),
                        Degradations.parse(recipe.asText()).task()));
            }
        }
        for (JsonNode s : suite.path("real")) {
            String name = s.get("name").asText();
            if (quick && !only.contains(name)) continue;
            Path noisy = root.resolve(s.get("noisy").asText()), clean = s.has("clean") ? root.resolve(s.get("clean").asText()) : null;
            String task = s.hasNonNull("task") ? s.get("task").asText() : null;   // what real pairs call for, when the suite says
            if (s.has("split")) {
                // a scene-disjoint part (paths relative to the working directory, like training configs)
                String part = s.path("part").asText("test");
                sets.put(name, suiteSet(s, root, EvalSet.pairs(noisy, clean, Path.of(s.get("split").asText()), part).limit(limit), task));
            } else {
                sets.put(name, suiteSet(s, root, EvalSet.pairs(noisy, clean).limit(limit), task));
            }
        }
        return sets;
    }

    private static SuiteSet suiteSet(JsonNode entry, Path root, EvalSet set, String task) {
        if (!entry.hasNonNull("captions")) return new SuiteSet(set, null, null, task);
        List<CaptionModes.Mode> modes = new ArrayList<>();
        entry.path("caption_modes").forEach(m -> modes.add(CaptionModes.Mode.parse(m.asText())));
        return new SuiteSet(set, root.resolve(entry.get("captions").asText()), modes.isEmpty() ? List.of(CaptionModes.Mode.values()) : modes, task);
    }

    private static Speed speed(String model, Restorer r, String size, Degradation degradation) {
        String[] wh = size.split("x");
        int w = Integer.parseInt(wh[0]), h = Integer.parseInt(wh[1]);
        // a raw model (4 packed planes) times the raw capture of the card, W x H being the mosaic's size
        boolean raw = r.card().tree().path("architecture").path("channels").asInt(3) == 4;
        Degradation rawNoise = raw ? Degradations.parse("raw-lowlight:0.18") : null; // parsed once, as the sRGB recipe is
        java.util.function.Function<Image, Image> noise = card -> raw
                ? dev.lucid.degrade.RawLowLightNoise.capture(rawNoise, card, 1).noisy()
                : degradation.applyTo(card, 1);
        r.restore(noise.apply(TestCard.render(256, 256, 1)), Guidance.none(), Progress.NONE); // warm-up
        Image noisy = noise.apply(TestCard.render(w, h, 1));
        long t = System.nanoTime();
        r.restore(noisy, Guidance.none(), Progress.NONE);
        return new Speed(model, size, (System.nanoTime() - t) / 1e9, w * (double) h / 1e6);
    }

    private ObjectNode report(List<Cell> cells, List<CaptionCell> captionCells, List<Speed> speeds, List<String> lucidModels, double minutes) {
        ObjectNode root = ModelCard.json().createObjectNode();
        root.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        root.put("quick", quick);
        root.put("minutes", Math.round(minutes * 10) / 10.0);
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("max_heap_mb", JavaHeap.maxMegabytes());
        ObjectNode versions = root.putObject("versions");
        versions.put("lucid", Lucid.version());
        versions.put("djl", ai.djl.engine.Engine.getDjlVersion());
        versions.put("pytorch", ai.djl.engine.Engine.getEngine("PyTorch").getVersion());
        ArrayNode lucid = root.putArray("lucid_models");
        lucidModels.forEach(lucid::add);
        ArrayNode results = root.putArray("results");
        for (Cell c : cells) {
            ObjectNode r = c.result().toJson();
            r.put("set", c.set());
            results.add(r);
        }
        if (!captionCells.isEmpty()) {
            ArrayNode paired = root.putArray("caption_differences");
            for (CaptionCell c : captionCells) {
                paired.addObject().put("set", c.set()).put("model", c.model()).put("difference", c.difference().a().label() + " - " + c.difference().b().label())
                        .put("mean_db", Math.round(c.difference().mean() * 1e4) / 1e4).put("ci95_low_db", Math.round(c.difference().low() * 1e4) / 1e4)
                        .put("ci95_high_db", Math.round(c.difference().high() * 1e4) / 1e4).put("model_ignores_captions", c.ignored());
            }
        }
        ArrayNode speedNode = root.putArray("speed");
        for (Speed s : speeds) {
            speedNode.addObject().put("model", s.model()).put("size", s.size()).put("seconds", Math.round(s.seconds() * 100) / 100.0)
                    .put("megapixels_per_second", Math.round(s.megapixels() / s.seconds() * 1000) / 1000.0);
        }
        return root;
    }

    private String markdown(ObjectNode json, List<Cell> cells, List<CaptionCell> captionCells, List<Speed> speeds, List<String> lucidModels, long seed) {
        StringBuilder md = new StringBuilder();
        md.append("# Lucid benchmark").append(quick ? " (quick subset)" : "").append("\n\n");
        md.append("Generated by `lucid bench").append(quick ? " --quick" : "").append("` on ").append(json.get("date").asText())
                .append(" in ").append(json.get("minutes").asText()).append(" minutes. Do not edit by hand.\n\n");
        JsonNode m = json.get("machine"), v = json.get("versions");
        md.append(String.format(Locale.ROOT, "Machine: %s, %d cores, %s; %s; Lucid %s, DJL %s, PyTorch %s.%n%n",
                m.get("cpu").asText(), m.get("cores").asInt(), m.get("os").asText(), m.get("java").asText(),
                v.get("lucid").asText(), v.get("djl").asText(), v.get("pytorch").asText()));
        md.append("PSNR (dB) / SSIM (scikit-image, 7×7 uniform window) of outputs rounded to 8 bit. Synthetic sets: degradations ")
                .append("added in float, not clipped, noise with seed ").append(seed).append(" for every image, rain and haze with seed ").append(seed)
                .append(" plus the image's index (a draw per image; `EvalSet.synthetic`). Peers: `noisy` (input), `opencv-nlm` (h = 0.6σ, σ given ")
                .append("or estimated), `cdncnn-b` (blind), `ffdnet` (σ given on synthetic sets, estimated on real ones).\n\n");
        if (cells.stream().anyMatch(c -> c.set().contains(" raw-"))) {
            md.append("Raw sets (`raw-lowlight…`, `raw-camera:…`): each clean image captured in raw by a seeded camera, noise added on the ")
                    .append("mosaic; PSNR / SSIM in raw (linear, 16-bit), sRGB models restore the image rendered by the camera's ISP and their ")
                    .append("output is taken back to raw; the PSNR of the rendered images is `mean_psnr_srgb` in the JSON.\n\n");
        }
        if (cells.stream().anyMatch(c -> c.set().endsWith(TASK_GIVEN))) {
            md.append("Rows `").append(TASK_GIVEN.strip()).append("`: a model that reads the task from each image (`--task auto`, the other rows) ")
                    .append("run again with the set's task given, as task-specific controls are measured; the difference is what misread images cost.\n\n");
        }
        List<String> models = new ArrayList<>();
        for (Cell c : cells) if (!models.contains(c.result().model())) models.add(c.result().model());
        List<String> sets = new ArrayList<>();
        for (Cell c : cells) if (!sets.contains(c.set())) sets.add(c.set());
        md.append(table(cells, models, sets, r -> String.format(Locale.ROOT, "%.2f / %.4f", r.meanPsnr(), r.meanSsim())));
        md.append("\n## Seconds per image\n\nMean wall time of one restoration (tiles 512, overlap 32), in the same run.\n\n");
        md.append(table(cells, models, sets, r -> String.format(Locale.ROOT, "%.2f", r.seconds() / Math.max(1, r.rows().size()))));
        if (!captionCells.isEmpty()) {
            md.append("\n## Captions\n\nPaired per-image PSNR differences between caption modes (shuffled: every image gets another ")
                    .append("image's caption), mean and 95 % bootstrap interval. A model without text conditioning ignores captions.\n\n")
                    .append("| set | model | difference | mean (dB) | 95 % interval (dB) |\n|---|---|---|---|---|\n");
            for (CaptionCell c : captionCells) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s − %s | %+.3f | %+.3f .. %+.3f |%s%n", c.set(), c.model(), c.difference().a().label(),
                        c.difference().b().label(), c.difference().mean(), c.difference().low(), c.difference().high(), c.ignored() ? " (ignores captions)" : ""));
            }
        }
        if (!speeds.isEmpty()) {   // a suite may measure quality only (speed: [])
            md.append("\n## Speed\n\nOne image of the procedural test card with `" + json.path("speed_noise").asText() + "` (for raw models its raw capture at shot 0.18, the size being the mosaic's), after a warm-up; tiles 512, overlap 32.\n\n");
            md.append("| model | size | seconds | MP/s |\n|---|---|---|---|\n");
            for (Speed s : speeds) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.3f |%n", s.model(), s.size(), s.seconds(), s.megapixels() / s.seconds()));
            }
        }
        md.append("\n## Lucid relative to the peers\n\nSpeed ratios are stable across machine load where absolute times are not.\n\n");
        for (String lucid : lucidModels) {
            for (Speed s : speeds) {
                if (!s.model().equals(lucid)) continue;
                for (Speed p : speeds) {
                    if (p.size().equals(s.size()) && (p.model().equals("cdncnn-b") || p.model().equals("ffdnet"))) {
                        md.append(String.format(Locale.ROOT, "- %s / %s speed on %s: %.1f×%n", lucid, p.model(), s.size(), p.seconds() / s.seconds()));
                    }
                }
            }
            for (String set : sets) {
                double own = Double.NaN, best = Double.NEGATIVE_INFINITY;
                String bestName = "";
                for (Cell c : cells) {
                    if (!c.set().equals(set)) continue;
                    if (c.result().model().equals(lucid)) own = c.result().meanPsnr();
                    else if (!lucidModels.contains(c.result().model()) && c.result().meanPsnr() > best) {
                        best = c.result().meanPsnr();
                        bestName = c.result().model();
                    }
                }
                if (Double.isNaN(own) || bestName.isEmpty()) continue;   // a row without this model or without peers
                md.append(String.format(Locale.ROOT, "- %s on %s: %+.2f dB against the best peer (%s)%n", lucid, set, own - best, bestName));
            }
        }
        return md.toString();
    }

    /** One row per set, one column per model, each cell formatted from that model's result on that set. */
    private static String table(List<Cell> cells, List<String> models, List<String> sets, Function<Evaluation.Result, String> cell) {
        StringBuilder md = new StringBuilder("| set | images |");
        for (String model : models) md.append(' ').append(model).append(" |");
        md.append("\n|---|---|");
        models.forEach(x -> md.append("---|"));
        md.append('\n');
        for (String set : sets) {
            int n = 0;
            StringBuilder row = new StringBuilder();
            for (String model : models) {
                Cell found = null;
                for (Cell c : cells) if (c.set().equals(set) && c.result().model().equals(model)) found = c;
                if (found == null) {            // a row only some models have (e.g. "task given")
                    row.append(" – |");
                    continue;
                }
                n = found.result().rows().size();
                row.append(' ').append(cell.apply(found.result())).append(" |");
            }
            md.append("| ").append(set).append(" | ").append(n).append(" |").append(row).append('\n');
        }
        return md.toString();
    }

    /** PSNR vs σ for every model on the suite's first synthetic set. */
    private void plotSigma(List<Cell> cells, List<String> models) throws IOException {
        String set = cells.stream().map(Cell::set).filter(n -> n.contains(" σ=")).map(n -> n.substring(0, n.indexOf(" σ="))).findFirst().orElse(null);
        if (set == null) return;
        String prefix = set + " σ=";
        Chart chart = new Chart(set + ": PSNR vs noise level", "sigma", "PSNR (dB)");
        boolean any = false;
        for (String model : models) {
            List<double[]> points = new ArrayList<>();
            for (Cell c : cells) {
                if (c.result().model().equals(model) && c.set().startsWith(prefix) && c.set().substring(prefix.length()).matches("[0-9.]+")) {
                    points.add(new double[] {Double.parseDouble(c.set().substring(prefix.length())), c.result().meanPsnr()});
                }
            }
            if (points.size() < 2) continue;
            chart.add(model, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
            any = true;
        }
        if (any) chart.write(out.resolve("psnr-vs-sigma.png"));
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
