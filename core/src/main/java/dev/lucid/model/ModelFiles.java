package dev.lucid.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.lucid.nn.torch.StateDicts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one model-file format: a directory (or classpath folder) holding {@code model.json} (the card) and
 * {@code weights.safetensors}. Shipped models live on the classpath under {@code models/NAME/}, listed in
 * {@code models/index.txt}; any other model is loaded from a directory path.
 */
public final class ModelFiles {

    public static final String CARD = "model.json";
    public static final String WEIGHTS = StateDicts.LUCID_WEIGHTS;
    private static final String CLASSPATH_ROOT = "models/";

    private ModelFiles() {}

    /** A model's card and the raw bytes of its weights, not yet on any device. */
    public record Source(String location, ModelCard card, byte[] weights) {
        /** The first 16 hex digits of the weights' SHA-256: which version of a model an adapter was made for. */
        public String weightsDigest() {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(weights)).substring(0, 16);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }

        public NDList decodeWeights(NDManager manager) throws IOException {
            return StateDicts.decodeSafetensors(manager, weights, location + "/" + WEIGHTS);
        }
    }

    /** Names of the models shipped inside Lucid, in the order of models/index.txt. */
    public static List<String> shipped() {
        List<String> names = new ArrayList<>();
        byte[] index = resource(CLASSPATH_ROOT + "index.txt");
        if (index == null) return names;
        for (String line : new String(index, StandardCharsets.UTF_8).split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) names.add(name);
        }
        return names;
    }

    /** Resolves a shipped model name or a directory path. */
    public static Source open(String nameOrPath) throws IOException {
        byte[] card = resource(CLASSPATH_ROOT + nameOrPath + "/" + CARD);
        if (card != null && !nameOrPath.contains("/")) {
            byte[] weights = resource(CLASSPATH_ROOT + nameOrPath + "/" + WEIGHTS);
            if (weights == null) throw new IOException("shipped model " + nameOrPath + " has no " + WEIGHTS);
            return new Source("shipped:" + nameOrPath, parseCard(card, "shipped:" + nameOrPath + "/" + CARD), weights);
        }
        Path dir = Path.of(nameOrPath);
        if (Files.isRegularFile(dir) && dir.getFileName().toString().equals(CARD)) dir = dir.getParent();
        if (!Files.isDirectory(dir)) {
            throw new IOException("no model named '" + nameOrPath + "' (shipped: " + String.join(", ", shipped()) + ") and no such directory");
        }
        Path cardFile = dir.resolve(CARD), weightsFile = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(cardFile)) throw new IOException(dir + " has no " + CARD);
        if (!Files.isRegularFile(weightsFile)) throw new IOException(dir + " has no " + WEIGHTS);
        return new Source(dir.toString(), parseCard(Files.readAllBytes(cardFile), cardFile.toString()), Files.readAllBytes(weightsFile));
    }

    /** Where a model keeps its per-camera adapters: {@code cameras/NAME/} beside its weights. */
    public static final String CAMERAS = "cameras";

    /** Where a model keeps its task experts: {@code experts/TASK/} beside its weights. */
    public static final String EXPERTS = "experts";

    /**
     * The camera adapter {@code camera} of a model (Tell-Me's per-camera LoRA): {@code cameras/NAME/} in the model's folder or
     * among a shipped model's resources; an unknown name fails with one line listing the model's cameras.
     */
    public static AdapterFiles.Source camera(Source model, String camera) throws IOException {
        List<String> known = cameras(model);
        if (!known.contains(camera)) {
            throw new IOException("model " + model.card().name() + " has no camera \"" + camera + "\""
                    + (known.isEmpty() ? " (it has no camera adapters)" : " (cameras: " + String.join(", ", known) + ")"));
        }
        return ownAdapter(model, CAMERAS, camera);
    }

    /** The names of a model's camera adapters, as its card lists them ("cameras"). */
    public static List<String> cameras(Source model) { return listed(model, CAMERAS); }

    /**
     * A model's task experts by task, as its card lists them ("experts"): {@link dev.lucid.nn.Lora} adapters, each trained
     * on its task alone with the base frozen, that {@link NetworkRestorer} folds in when an image's task is theirs.
     */
    public static java.util.Map<String, AdapterFiles.Source> experts(Source model) throws IOException {
        java.util.Map<String, AdapterFiles.Source> experts = new java.util.LinkedHashMap<>();
        for (String task : expertTasks(model)) experts.put(task, ownAdapter(model, EXPERTS, task));
        return experts;
    }

    /** The tasks a model has experts for, as its card lists them ("experts"). */
    public static List<String> expertTasks(Source model) { return listed(model, EXPERTS); }

    /** The names a card lists under {@code key}. */
    private static List<String> listed(Source model, String key) {
        List<String> names = new ArrayList<>();
        model.card().tree().path(key).forEach(n -> names.add(n.asText()));
        return names;
    }

    /** The adapter {@code folder/name/} of a model: in its folder, or among a shipped model's resources. */
    private static AdapterFiles.Source ownAdapter(Source model, String folder, String name) throws IOException {
        String shipped = model.location().startsWith("shipped:") ? model.location().substring("shipped:".length()) : null;
        if (shipped == null) return AdapterFiles.open(Path.of(model.location(), folder, name).toString());
        String root = CLASSPATH_ROOT + shipped + "/" + folder + "/" + name + "/";
        byte[] card = resource(root + AdapterFiles.CARD), weights = resource(root + AdapterFiles.WEIGHTS);
        if (card == null || weights == null) throw new IOException("shipped model " + shipped + " lacks the files of its " + folder + "/" + name);
        return AdapterFiles.of(Path.of(model.location(), folder, name), card, weights);
    }

    /** A card, with any problem reported as one line naming its file. */
    private static ModelCard parseCard(byte[] json, String file) throws IOException {
        try {
            return ModelCard.parse(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes card and weights into {@code dir}, each atomically. */
    public static void save(Path dir, ModelCard card, NDList weights) throws IOException {
        Files.createDirectories(dir);
        writeSafetensors(dir.resolve(WEIGHTS), weights);
        dev.lucid.image.AtomicFiles.write(dir.resolve(CARD), tmp -> Files.write(tmp, card.toJson()));
    }

    /** Writes named tensors as safetensors, atomically (weights, training checkpoints). */
    public static void writeSafetensors(Path file, NDList tensors) throws IOException {
        dev.lucid.image.AtomicFiles.write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                tensors.encode(out, NDList.Encoding.SAFETENSORS);
            }
        });
    }

    private static byte[] resource(String name) {
        try (InputStream in = ModelFiles.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
