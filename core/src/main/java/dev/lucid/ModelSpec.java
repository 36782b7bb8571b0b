package dev.lucid;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A model as users name it: a shipped name or a directory, optionally followed by method settings,
 * {@code interp-diffusion:sample_steps=5,sampling=origin}. The one place that knows this grammar.
 */
public record ModelSpec(String model, Map<String, String> settings) {

    /** Splits a comma-separated list of specs, leaving the commas between one model's settings alone. */
    public static final String LIST_SEPARATOR = ",(?![a-z_]+=)";

    private static final Pattern WITH_SETTINGS = Pattern.compile("(.+?):([a-z_]+=[^,=]+(?:,[a-z_]+=[^,=]+)*)");

    public ModelSpec {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** Anything without {@code :key=value} settings (a name, a path, a peer such as {@code opencv-nlm:0.6}) is all model. */
    public static ModelSpec parse(String spec) {
        Matcher m = WITH_SETTINGS.matcher(spec);
        if (!m.matches()) return new ModelSpec(spec, Map.of());
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : m.group(2).split(",")) settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        return new ModelSpec(m.group(1), settings);
    }

    /** This spec with one more (or a replaced) setting. */
    public ModelSpec with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(settings);
        more.put(key, value);
        return new ModelSpec(model, more);
    }

    /** The settings as written after the colon, e.g. {@code sample_steps=5,sampling=origin}; empty if none. */
    public String settingsText() {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    @Override
    public String toString() { return settings.isEmpty() ? model : model + ":" + settingsText(); }
}
