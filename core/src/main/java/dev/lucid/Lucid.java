package dev.lucid;

import dev.lucid.image.Tiler;
import dev.lucid.method.Restorer;
import dev.lucid.method.peer.Peers;
import dev.lucid.model.ModelFiles;
import dev.lucid.model.NetworkRestorer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library entry point: {@code try (Restorer r = Lucid.load("lucid-real")) { r.restore(image); }}.
 * No global state: every call returns an independent restorer.
 */
public final class Lucid {

    /** The model used when none is named. */
    public static final String DEFAULT_MODEL = "lucid-real";

    private Lucid() {}

    /** Splits a comma-separated list of model specs, leaving the commas between one model's settings alone. */
    public static final String MODEL_LIST_SEPARATOR = ",(?![a-z_]+=)";

    /** A model name or path, optionally followed by method settings: {@code interp-diffusion:sample_steps=5,sampling=origin}. */
    private static final Pattern SETTINGS = Pattern.compile("(.+?):([a-z_]+=[^,=]+(?:,[a-z_]+=[^,=]+)*)");

    /** Loads a shipped model by name, or a model directory by path, with default tiling. */
    public static Restorer load(String spec) throws IOException {
        return load(spec, Tiler.Settings.defaults());
    }

    /**
     * Loads {@code NAME[:key=value,...]}: a shipped model or model directory, with the given method settings
     * overriding its card's (see {@link dev.lucid.model.ModelCard#withMethodSettings}). Benchmark peers
     * ({@link Peers#NAMES}) resolve here too, so they are usable wherever a model is.
     */
    public static Restorer load(String spec, Tiler.Settings tiling) throws IOException {
        if (Peers.isPeer(spec)) return Peers.open(spec, tiling);
        Matcher m = SETTINGS.matcher(spec);
        if (!m.matches()) return new NetworkRestorer(ModelFiles.open(spec), tiling);
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : m.group(2).split(",")) settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        ModelFiles.Source source = ModelFiles.open(m.group(1));
        try {
            source = new ModelFiles.Source(source.location(), source.card().withMethodSettings(settings), source.weights());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new NetworkRestorer(source, tiling);
    }

    public static List<String> shippedModels() { return ModelFiles.shipped(); }

    public static String version() {
        String v = Lucid.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
