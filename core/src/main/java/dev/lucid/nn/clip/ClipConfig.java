package dev.lucid.nn.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeSet;

/**
 * The constructor arguments of the reference {@code CLIP(...)}. {@link #infer} derives them from a
 * state_dict's shapes as the reference {@code build_model} does, so RN50, RN101, ViT-B/32 and ViT-L/14
 * load with no config; a config.json (same keys) overrides, which the tiny test models need because their
 * text head count is not width / 64.
 */
public record ClipConfig(int embedDim, int imageResolution, int[] visionLayers, int visionWidth, Integer visionPatchSize,
                         int contextLength, int vocabSize, int transformerWidth, int transformerHeads, int transformerLayers) {

    public boolean isVit() { return visionPatchSize != null; }

    /** Heads of the image tower, as the reference derives them. */
    public int visionHeads() { return isVit() ? visionWidth / 64 : visionWidth * 32 / 64; }

    public static ClipConfig infer(Map<String, NDArray> sd, JsonNode overrides) {
        boolean vit = sd.containsKey("visual.proj");
        int visionWidth, imageResolution;
        int[] visionLayers;
        Integer patch = null;
        if (vit) {
            visionWidth = (int) shape(sd, "visual.conv1.weight").get(0);
            visionLayers = new int[] {(int) sd.keySet().stream().filter(k -> k.startsWith("visual.") && k.endsWith(".attn.in_proj_weight")).count()};
            patch = (int) shape(sd, "visual.conv1.weight").get(3);
            int grid = (int) Math.round(Math.sqrt(shape(sd, "visual.positional_embedding").get(0) - 1));
            imageResolution = patch * grid;
        } else {
            visionLayers = new int[4];
            for (int b = 1; b <= 4; b++) {
                TreeSet<String> blocks = new TreeSet<>();
                String prefix = "visual.layer" + b + ".";
                for (String k : sd.keySet()) if (k.startsWith(prefix)) blocks.add(k.split("\\.")[2]);
                visionLayers[b - 1] = blocks.size();
            }
            visionWidth = (int) shape(sd, "visual.layer1.0.conv1.weight").get(0);
            int outputWidth = (int) Math.round(Math.sqrt(shape(sd, "visual.attnpool.positional_embedding").get(0) - 1));
            imageResolution = outputWidth * 32;
        }
        int transformerWidth = (int) shape(sd, "ln_final.weight").get(0);
        TreeSet<String> textBlocks = new TreeSet<>();
        for (String k : sd.keySet()) if (k.startsWith("transformer.resblocks.")) textBlocks.add(k.split("\\.")[2]);
        ClipConfig inferred = new ClipConfig((int) shape(sd, "text_projection").get(1), imageResolution, visionLayers, visionWidth, patch,
                (int) shape(sd, "positional_embedding").get(0), (int) shape(sd, "token_embedding.weight").get(0),
                transformerWidth, transformerWidth / 64, textBlocks.size());
        return overrides == null ? inferred : inferred.override(overrides);
    }

    private ClipConfig override(JsonNode c) {
        int[] layers = visionLayers;
        if (c.has("vision_layers")) {
            JsonNode v = c.get("vision_layers");
            layers = v.isArray() ? new int[v.size()] : new int[] {v.asInt()};
            for (int i = 0; v.isArray() && i < v.size(); i++) layers[i] = v.get(i).asInt();
        }
        Integer patch = c.has("vision_patch_size") ? (c.get("vision_patch_size").isNull() ? null : c.get("vision_patch_size").asInt()) : visionPatchSize;
        return new ClipConfig(c.path("embed_dim").asInt(embedDim), c.path("image_resolution").asInt(imageResolution), layers,
                c.path("vision_width").asInt(visionWidth), patch, c.path("context_length").asInt(contextLength),
                c.path("vocab_size").asInt(vocabSize), c.path("transformer_width").asInt(transformerWidth),
                c.path("transformer_heads").asInt(transformerHeads), c.path("transformer_layers").asInt(transformerLayers));
    }

    private static Shape shape(Map<String, NDArray> sd, String key) {
        NDArray a = sd.get(key);
        if (a == null) throw new IllegalArgumentException("not a CLIP state_dict: no tensor \"" + key + "\"");
        return a.getShape();
    }
}
