package dev.lucid.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.LucidHome;
import dev.lucid.nn.torch.StateDicts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The adapter-file format of {@code lucid adapt}: a folder holding {@code adapter.json} (its card: the base model,
 * rank, photos, camera, steps, minutes) and {@code adapter.safetensors} (the {@link dev.lucid.nn.Lora} tensors only).
 * Named adapters live in {@code ~/.lucid/adapters/NAME} (or under {@code $LUCID_HOME/adapters}); any other is a path.
 */
public final class AdapterFiles {

    public static final String CARD = "adapter.json", WEIGHTS = "adapter.safetensors";

    private AdapterFiles() {}

    /** An adapter's card and the raw bytes of its tensors. */
    public record Source(Path location, JsonNode card, byte[] weights) {
        public NDList decodeWeights(NDManager manager) throws IOException {
            return StateDicts.decodeSafetensors(manager, weights, location.resolve(WEIGHTS).toString());
        }

        /** The model the adapter was made for (its card's "base"). */
        public String base() { return card.path("base").asText(); }

        public int rank() { return card.path("rank").asInt(); }

        public double alpha() { return card.path("alpha").asDouble(); }

        /** The pixel-shuffle stride the adapter was trained at and restores at (1: the whole image). */
        public int pdStride() { return card.path("pd_stride").asInt(1); }
    }

    /** Where named adapters live: {@code $LUCID_HOME/adapters}, else {@code ~/.lucid/adapters}. */
    public static Path home() { return LucidHome.resolve("adapters"); }

    /** The names of the adapters in {@link #home()}, sorted. */
    public static List<String> installed() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(home())) return names;
        try (Stream<Path> dirs = Files.list(home())) {
            dirs.filter(d -> Files.isRegularFile(d.resolve(CARD))).map(d -> d.getFileName().toString()).sorted().forEach(names::add);
        } catch (IOException e) {
            return names;                                   // an unreadable folder lists nothing
        }
        return names;
    }

    /** The folder of an adapter given by path, or by name under {@link #home()}. */
    public static Path locate(String nameOrPath) throws IOException {
        Path given = Path.of(nameOrPath);
        if (Files.isRegularFile(given.resolve(CARD))) return given;
        if (!nameOrPath.contains("/") && Files.isRegularFile(home().resolve(nameOrPath).resolve(CARD))) return home().resolve(nameOrPath);
        List<String> known = installed();
        throw new IOException("no adapter '" + nameOrPath + "': give a folder made by lucid adapt" + (known.isEmpty() ? "" : " or one of: " + String.join(", ", known)));
    }

    public static Source open(String nameOrPath) throws IOException {
        Path dir = locate(nameOrPath);
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) throw new IOException(dir + " has no " + WEIGHTS);
        return of(dir, Files.readAllBytes(dir.resolve(CARD)), Files.readAllBytes(weights));
    }

    /** An adapter from its card and weights as bytes (a folder's files, or a shipped model's resources), labelled {@code location}. */
    static Source of(Path location, byte[] cardJson, byte[] weights) throws IOException {
        JsonNode card;
        try {
            card = ModelCard.json().readTree(cardJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(location.resolve(CARD) + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        for (String key : new String[] {"base", "rank", "alpha"}) {
            if (!card.hasNonNull(key)) throw new IOException(location.resolve(CARD) + " lacks \"" + key + "\"");
        }
        return new Source(location, card, weights);
    }

    /** Writes card and tensors into {@code dir}, each atomically. */
    public static void save(Path dir, ObjectNode card, NDList tensors) throws IOException {
        Files.createDirectories(dir);
        ModelFiles.writeSafetensors(dir.resolve(WEIGHTS), tensors);
        dev.lucid.image.AtomicFiles.write(dir.resolve(CARD), tmp -> Files.write(tmp, ModelCard.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(card)));
    }
}
