package dev.lucid.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A scene-disjoint train/test split of a real-pair dataset, read from a YAML file listing the test scenes
 * (configs/splits/polyu.yaml). The scene of a PolyU file CAMERA_a_b_ISO_SCENE_INDEX_{real,mean}.ext is SCENE,
 * without a trailing '_'; files without a scene name form the group "(unnamed)".
 */
public final class SceneSplit {

    public enum Part { TRAIN, TEST, ALL }

    private final Set<String> testScenes = new HashSet<>();
    private final String source;

    private SceneSplit(String source) { this.source = source; }

    public static SceneSplit load(Path file) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root == null || !root.has("test")) throw new IOException(file + ": a split file lists its test scenes under \"test\"");
        SceneSplit split = new SceneSplit(file.getFileName().toString());
        root.get("test").forEach(s -> split.testScenes.add(s.asText()));
        return split;
    }

    public static Part part(String name) {
        try {
            return Part.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("split part must be train, test or all, got \"" + name + "\"", e);
        }
    }

    /** The scene of a PolyU-style file name. */
    public static String scene(String fileName) {
        String stem = fileName.replaceAll("_(real|mean)\\.[^.]+$", "").replaceAll("_\\d+$", "");
        String[] parts = stem.split("_", -1);
        StringBuilder scene = new StringBuilder();
        for (int i = 4; i < parts.length; i++) scene.append(i > 4 ? "_" : "").append(parts[i]);
        String s = scene.toString().replaceAll("_+$", "");
        return s.isEmpty() ? "(unnamed)" : s;
    }

    public boolean isTest(String fileName) { return testScenes.contains(scene(fileName)); }

    /** A filter on file names for the given part. */
    public Predicate<String> filter(Part part) {
        switch (part) {
            case TEST: return this::isTest;
            case TRAIN: return name -> !isTest(name);
            default: return name -> true;
        }
    }

    public String describe(Part part) { return part == Part.ALL ? "" : " (" + part.name().toLowerCase(Locale.ROOT) + " split of " + source + ")"; }
}
