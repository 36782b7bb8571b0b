package dev.lucid.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything a training run needs, read from a YAML or JSON file: architecture, data, noise, patches,
 * optimiser, schedule, EMA, loss, checkpointing and validation. A new experiment is a new file, not a code
 * edit. Relative data paths are resolved against the working directory. A config may start from another
 * with {@code base: other.yaml} (relative to its own folder): its objects are merged key by key into the
 * base's, and any other value replaces the base's, so a variant names only what it changes. An object with
 * a different "type" (another architecture) replaces the base's whole.
 */
public record TrainConfig(
        String name,
        String description,
        long seed,
        JsonNode architecture,
        List<Source> clean,
        List<NoiseOption> noise,
        List<PairSource> pairs,
        List<Path> noisyOnly,
        double captionDropout,
        double captionShuffle,
        int patch,
        int batch,
        double learningRate,
        double minLearningRate,
        double weightDecay,
        double beta1,
        double beta2,
        double gradClip,
        int iterations,
        int warmup,
        double emaDecay,
        String loss,
        int checkpointEvery,
        int snapshotEvery,
        int validateEvery,
        String validationNoise,
        JsonNode raw) {

    /**
     * A folder of clean images, its share of the samples, how many images (last by name) to hold out for
     * validation, and optionally its caption file (see {@link dev.lucid.text.Captions}).
     */
    public record Source(Path path, double weight, int holdout, Path captions) {}

    /**
     * With {@code adapt: {base: MODEL, ...}} and {@code data.noisy}, the run teaches the base model's adapters the noise
     * of these noisy photos (files or folders) alone ({@link dev.lucid.method.adapt.NoiseBankAdaptation}, or with
     * {@code adapt.loss: neighbor2neighbor} {@link dev.lucid.method.adapt.Neighbor2NeighborAdaptation}); with
     * {@code data.clean}, a known noise (e.g. a simulated camera's) by the base method's own loss
     * ({@link dev.lucid.method.adapt.SupervisedAdaptation}). The architecture and method are the base model's.
     */
    public JsonNode adapt() { return raw.get("adapt"); }

    /**
     * With {@code data.raw: true} the clean images are captured in raw by the noise recipes, which must be raw ones
     * ({@code raw-lowlight…}: a random camera per sample; {@code raw-camera:FILE}: a {@link dev.lucid.degrade.SimulatedCamera}):
     * unprocessed to a mosaic, noised there and packed to 4 half-size planes, so the network trains on packed raw.
     */
    public boolean rawCapture() { return raw.path("data").path("raw").asBoolean(false); }

    /**
     * With {@code data.reference: true} every sample also brings a reference: another patch of the same noisy image (for a
     * clean source, the other corner of a crop twice the patch size noised as a whole), as NoiseTransfer learns from.
     */
    public boolean references() { return raw.path("data").path("reference").asBoolean(false); }

    /**
     * A noise recipe (see {@link dev.lucid.degrade.Degradations}), its share of the samples, and the task a multi-task
     * model is taught for it: by default the recipe's own ({@link dev.lucid.degrade.Degradation#task()}); e.g. {@code none}
     * for noise too weak for the model's denoising to improve on.
     */
    public record NoiseOption(String recipe, double weight, String task) {}

    /**
     * With {@code trainable: [PREFIX, ...]} only the parameters whose names start with one of the prefixes train; the
     * others stay as {@code init} left them (e.g. ETDiffIR's own task reader taught a new kind of degradation while the
     * restorer stays unchanged). Empty: every parameter the method trains.
     */
    public List<String> trainable() {
        List<String> prefixes = new ArrayList<>();
        raw.path("trainable").forEach(p -> prefixes.add(p.asText()));
        return prefixes;
    }

    /**
     * Real noisy/clean pairs: two folders of equal names, or one PolyU-style folder (clean null); optionally
     * restricted to one part of a scene split file; weight is its share of the samples.
     */
    public record PairSource(Path noisy, Path clean, Path split, String part, double weight, Path captions) {}

    public static TrainConfig read(Path file) throws IOException {
        try {
            return parse(readTree(file, new java.util.HashSet<>()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The keys each part of a config may hold; "method" and "architecture" are checked by the method that reads them. */
    private static final java.util.Map<String, java.util.Set<String>> KEYS = java.util.Map.ofEntries(
            java.util.Map.entry("", java.util.Set.of("name", "description", "seed", "init", "init_step", "method", "architecture", "data", "optimizer", "schedule", "ema", "loss",
                    "checkpoint_every", "snapshot_every", "validation", "adapt", "trainable")),
            java.util.Map.entry("data", java.util.Set.of("clean", "pairs", "noise", "noisy", "raw", "reference", "patch", "batch", "caption_dropout", "caption_shuffle")),
            java.util.Map.entry("data.noisy[]", java.util.Set.of("path")),
            java.util.Map.entry("adapt", java.util.Set.of("base", "rank", "alpha", "loss", "gamma", "consistency", "flat_share", "pd_stride", "timesteps")),
            java.util.Map.entry("data.clean[]", java.util.Set.of("path", "weight", "holdout", "captions")),
            java.util.Map.entry("data.pairs[]", java.util.Set.of("noisy", "clean", "split", "part", "weight", "captions")),
            java.util.Map.entry("data.noise[]", java.util.Set.of("recipe", "weight", "task")),
            java.util.Map.entry("optimizer", java.util.Set.of("lr", "weight_decay", "beta1", "beta2", "grad_clip")),
            java.util.Map.entry("schedule", java.util.Set.of("iterations", "warmup", "min_lr")),
            java.util.Map.entry("validation", java.util.Set.of("every", "noise")));

    /** A misspelled key would silently fall back to a default: refuse it, naming where it is and what is known. */
    private static void checkKeys(JsonNode node, String where) {
        if (node == null || !node.isObject()) return;
        java.util.Set<String> known = KEYS.get(where);
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown key \"" + key + "\"" + (where.isEmpty() ? "" : " in " + where.replace("[]", ""))
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        });
    }

    private static JsonNode readTree(Path file, java.util.Set<Path> seen) throws IOException {
        if (!seen.add(file.toAbsolutePath().normalize())) throw new IOException(file + ": \"base\" chain loops back to this file");
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = lower.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = mapper.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not valid " + (lower.endsWith(".json") ? "JSON" : "YAML") + ": " + e.getOriginalMessage(), e);
        }
        if (!(root instanceof ObjectNode object) || !object.has("base")) return root;
        Path basePath = file.toAbsolutePath().getParent().resolve(object.remove("base").asText());
        if (!Files.isRegularFile(basePath)) throw new IOException(file + ": base config " + basePath + " does not exist");
        return merge(readTree(basePath, seen).deepCopy(), object);
    }

    /** Objects of the same type merge key by key; anything else in {@code override} replaces what {@code base} had. */
    private static JsonNode merge(JsonNode base, JsonNode override) {
        if (!(base instanceof ObjectNode target) || !override.isObject()) return override;
        if (override.has("type") && !override.get("type").equals(base.get("type"))) return override;
        override.fields().forEachRemaining(e -> target.set(e.getKey(), merge(target.path(e.getKey()), e.getValue())));
        return target;
    }

    public static TrainConfig parse(JsonNode root) {
        checkKeys(root, "");
        JsonNode data = required(root, "data");
        checkKeys(data, "data");
        for (String part : new String[] {"optimizer", "schedule", "validation", "adapt"}) checkKeys(root.get(part), part);
        for (String flag : new String[] {"raw", "reference"}) {
            if (data.has(flag) && !data.get(flag).isBoolean()) throw new IllegalArgumentException("data." + flag + " is true or false, got " + data.get(flag));
        }
        for (String list : new String[] {"clean", "pairs", "noise", "noisy"}) data.path(list).forEach(item -> checkKeys(item, "data." + list + "[]"));
        boolean adapting = root.has("adapt");
        if (root.has("trainable") && (!root.get("trainable").isArray() || root.get("trainable").isEmpty())) {
            throw new IllegalArgumentException("trainable is a list of parameter-name prefixes, got " + root.get("trainable"));
        }
        if (root.has("trainable") && (adapting || !root.hasNonNull("init"))) {
            throw new IllegalArgumentException("trainable trains part of a model that init gives (an adaptation trains its adapters only)");
        }
        if (adapting && (!root.path("adapt").hasNonNull("base") || !data.has("noisy") && !data.has("clean"))) {
            throw new IllegalArgumentException("an adaptation needs adapt.base (the model) and data.noisy (noisy photos) or data.clean (clean images and their noise)");
        }
        if (adapting && root.has("snapshot_every")) throw new IllegalArgumentException("snapshot_every keeps whole models along a run; an adaptation's adapter is its last state");
        if (adapting && data.has("noisy") && data.has("clean")) throw new IllegalArgumentException("an adaptation learns from data.noisy or from data.clean, not both");
        if (!adapting && data.has("noisy")) throw new IllegalArgumentException("data.noisy (photos without clean images) is for adaptations: add adapt.base");
        if (!adapting && !data.has("clean") && !data.has("pairs")) throw new IllegalArgumentException("training config lacks \"data.clean\" or \"data.pairs\"");
        List<Source> clean = new ArrayList<>();
        for (JsonNode s : data.path("clean")) {
            clean.add(new Source(Path.of(required(s, "path").asText()), s.path("weight").asDouble(1), s.path("holdout").asInt(0), optionalPath(s, "captions")));
        }
        List<NoiseOption> noise = new ArrayList<>();
        for (JsonNode n : data.path("noise")) {
            noise.add(new NoiseOption(required(n, "recipe").asText(), n.path("weight").asDouble(1), n.hasNonNull("task") ? n.get("task").asText() : null));
        }
        List<PairSource> pairs = new ArrayList<>();
        for (JsonNode p : data.path("pairs")) {
            pairs.add(new PairSource(Path.of(required(p, "noisy").asText()), p.has("clean") ? Path.of(p.get("clean").asText()) : null,
                    optionalPath(p, "split"), p.path("part").asText("all"), p.path("weight").asDouble(1), optionalPath(p, "captions")));
        }
        List<Path> noisyOnly = new ArrayList<>();
        for (JsonNode n : data.path("noisy")) noisyOnly.add(Path.of(required(n, "path").asText()));
        if (clean.isEmpty() && pairs.isEmpty() && noisyOnly.isEmpty()) {
            throw new IllegalArgumentException("training config lacks \"data\" sources: give data.clean (with data.noise) or data.pairs");
        }
        double captionDropout = share(data, "caption_dropout"), captionShuffle = share(data, "caption_shuffle");
        if (!clean.isEmpty() && noise.isEmpty()) throw new IllegalArgumentException("data.clean needs at least one data.noise recipe");
        if (data.path("raw").asBoolean() && (!pairs.isEmpty() || !noisyOnly.isEmpty())) throw new IllegalArgumentException("raw training (data.raw) takes data.clean images only");
        if ((data.path("raw").asBoolean() || data.path("reference").asBoolean()) && noise.stream().anyMatch(n -> n.task() != null)) {
            throw new IllegalArgumentException("data.noise[].task labels the patches of data.clean for a multi-task model; data.raw and data.reference batches are all denoising");
        }
        JsonNode opt = root.path("optimizer"), sched = root.path("schedule"), val = root.path("validation");
        return new TrainConfig(
                required(root, "name").asText(),
                root.path("description").asText(""),
                root.path("seed").asLong(0),
                adapting ? root.path("architecture") : required(root, "architecture"),
                clean, noise, pairs, noisyOnly,
                captionDropout,
                captionShuffle,
                data.path("patch").asInt(128),
                data.path("batch").asInt(8),
                opt.path("lr").asDouble(1e-3),
                sched.path("min_lr").asDouble(1e-6),
                opt.path("weight_decay").asDouble(0),
                opt.path("beta1").asDouble(0.9),
                opt.path("beta2").asDouble(0.999),
                opt.path("grad_clip").asDouble(0),
                required(sched, "iterations").asInt(),
                sched.path("warmup").asInt(0),
                root.path("ema").asDouble(0.999),
                root.path("loss").asText("l1"),
                root.path("checkpoint_every").asInt(500),
                root.path("snapshot_every").asInt(0),
                val.path("every").asInt(1000),
                val.path("noise").asText("gaussian:25"),
                root);
    }

    private static Path optionalPath(JsonNode node, String field) {
        return node.hasNonNull(field) ? Path.of(node.get(field).asText()) : null;
    }

    /** data.KEY as a share of the samples, 0 when absent. */
    private static double share(JsonNode data, String key) {
        double share = data.path(key).asDouble(0);
        if (share < 0 || share > 1) throw new IllegalArgumentException("data." + key + " must be between 0 and 1, got " + share);
        return share;
    }

    private static JsonNode required(JsonNode node, String field) {
        if (!node.has(field)) throw new IllegalArgumentException("training config lacks \"" + field + "\"");
        return node.get(field);
    }
}
