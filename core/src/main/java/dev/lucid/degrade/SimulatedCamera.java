package dev.lucid.degrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * A simulated camera, as Tell-Me's per-camera adapters learn one: its sensor ({@link CameraPipeline}: CFA pattern,
 * tone, a mix of CBDNet's four colour matrices, as-shot white balance) and its low-light noise profile (a
 * {@link RawLowLightNoise} recipe), read from a YAML file:
 * <pre>
 * name: phone
 * description: a small-sensor phone camera
 * cfa: GRBG
 * gamma: 2.2
 * matrix_mix: [0.1, 0.8, 0.1, 0]     # weights of CBDNet's four XYZ-to-camera matrices
 * white_balance: [2.1, 1.0, 1.7]      # as-shot gains R, G, B (G is 1)
 * noise: raw-lowlight:0.1-0.31,0.02-0.08
 * </pre>
 * As a recipe, {@code raw-camera:FILE.yaml}, it is this camera's noise: on an sRGB image, unprocessed by the camera, noised in
 * raw and processed back; where raw captures are made (training data, evaluation sets, {@code lucid synth -o x.dng}), the
 * capture of this camera.
 */
public record SimulatedCamera(String name, String description, CameraPipeline pipeline, RawLowLightNoise noise, Path file) implements Degradation {

    /** The recipe prefix naming a camera file. */
    public static final String RECIPE = "raw-camera:";

    @Override
    public void apply(float[] chw, int channels, int height, int width, java.util.SplittableRandom rng) {
        CameraPipeline.noiseOnRaw(pipeline, chw, channels, height, width, rng, noise::addToRaw);
    }

    @Override
    public String describe() { return RECIPE + file; }

    private static final Set<String> KEYS = Set.of("name", "description", "cfa", "gamma", "matrix_mix", "white_balance", "noise");

    public static SimulatedCamera read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("camera file " + file + " does not exist");
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        try {
            return parse(root, file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static SimulatedCamera parse(JsonNode root, Path file) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("a camera file is a YAML object");
        root.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown key \"" + key + "\" (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
        });
        for (String key : new String[] {"name", "cfa", "matrix_mix", "white_balance", "noise"}) {
            if (!root.hasNonNull(key)) throw new IllegalArgumentException("camera lacks \"" + key + "\"");
        }
        int pattern = Arrays.asList(CameraPipeline.PATTERN_NAMES).indexOf(root.get("cfa").asText());
        if (pattern < 0) throw new IllegalArgumentException("cfa must be one of " + String.join(", ", CameraPipeline.PATTERN_NAMES) + ", got \"" + root.get("cfa").asText() + "\"");
        double[] mix = numbers(root.get("matrix_mix"), 4, "matrix_mix"), gains = numbers(root.get("white_balance"), 3, "white_balance");
        if (Arrays.stream(mix).anyMatch(v -> v < 0) || Arrays.stream(mix).sum() <= 0) throw new IllegalArgumentException("matrix_mix needs 4 weights >= 0, not all 0");
        if (Arrays.stream(gains).anyMatch(v -> v <= 0)) throw new IllegalArgumentException("white_balance gains must be > 0");
        double gamma = root.path("gamma").asDouble(2.2);
        if (!(gamma >= 1 && gamma <= 4)) throw new IllegalArgumentException("gamma must be in [1, 4], got " + gamma);
        if (!(Degradations.parse(root.get("noise").asText()) instanceof RawLowLightNoise noise)) {
            throw new IllegalArgumentException("a camera's noise is a raw-lowlight recipe, got \"" + root.get("noise").asText() + "\"");
        }
        // the pipeline's white balance is the inverse gain that unprocessing applies, relative to green
        CameraPipeline pipeline = new CameraPipeline(gamma, mix, pattern, gains[1] / gains[0], gains[1] / gains[2]);
        return new SimulatedCamera(root.get("name").asText(), root.path("description").asText(""), pipeline, noise, file);
    }

    private static double[] numbers(JsonNode node, int count, String key) {
        if (!node.isArray() || node.size() != count) throw new IllegalArgumentException(key + " needs " + count + " numbers");
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            if (!node.get(i).isNumber()) throw new IllegalArgumentException(key + " needs " + count + " numbers");
            v[i] = node.get(i).asDouble();
        }
        return v;
    }
}
