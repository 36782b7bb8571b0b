package dev.lucid.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The content of a model's {@code model.json}: what it is (name, architecture and hyper-parameters), whether
 * it is trained, how (data, noise, iterations, CPU hours) and how well (eval table). Kept as a JSON tree so
 * the card can grow without breaking old files; typed accessors cover what the code needs.
 */
public final class ModelCard {

    /** Honest training status shown by {@code lucid models}. */
    public enum Status { TRAINED, IN_TRAINING, UNTRAINED }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root;

    public ModelCard(ObjectNode root) {
        this.root = root;
        for (String field : new String[] {"name", "status", "architecture"}) {
            if (!root.hasNonNull(field)) throw new IllegalArgumentException("the field \"" + field + "\" is missing");
        }
        status(); // validates
    }

    public static ModelCard parse(byte[] json) throws IOException {
        JsonNode node = JSON.readTree(json);
        if (!(node instanceof ObjectNode)) throw new IOException("model.json is not a JSON object");
        return new ModelCard((ObjectNode) node);
    }

    public static ObjectMapper json() { return JSON; }

    public String name() { return root.get("name").asText(); }

    public String description() { return root.path("description").asText(""); }

    public Status status() {
        String s = root.get("status").asText();
        try {
            return Status.valueOf(s.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model.json status must be trained, in-training or untrained, got \"" + s + "\"", e);
        }
    }

    public JsonNode architecture() { return root.get("architecture"); }

    /** A benchmark peer's card (a baseline, not a Lucid model). */
    public boolean isPeer() { return root.path("peer").asBoolean(false); }

    public JsonNode training() { return root.path("training"); }

    public ObjectNode tree() { return root; }

    /**
     * A copy of this card whose "method" settings are overridden, e.g. {sample_steps=5, sampling=origin} for
     * a diffusion model. Only settings the method has can be changed, and numbers stay numbers.
     */
    public ModelCard withMethodSettings(java.util.Map<String, String> settings) {
        if (settings.isEmpty()) return this;
        ObjectNode copy = root.deepCopy();
        JsonNode method = copy.path("method");
        java.util.List<String> known = new java.util.ArrayList<>();
        method.fieldNames().forEachRemaining(f -> { if (!f.equals("type")) known.add(f); });
        for (java.util.Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey(), value = e.getValue();
            if (!known.contains(key)) {
                throw new IllegalArgumentException("model " + name() + " has no setting \"" + key + "\""
                        + (known.isEmpty() ? " (it takes none)" : " (settings: " + String.join(", ", known) + ")"));
            }
            JsonNode old = method.get(key);
            if (old.isIntegralNumber()) {
                try {
                    ((ObjectNode) method).put(key, Integer.parseInt(value));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("model setting " + key + " must be a whole number, got \"" + value + "\"", ex);
                }
            } else if (old.isNumber()) {
                try {
                    ((ObjectNode) method).put(key, Double.parseDouble(value));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("model setting " + key + " must be a number, got \"" + value + "\"", ex);
                }
            } else {
                ((ObjectNode) method).put(key, value);
            }
        }
        return new ModelCard(copy);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
