package dev.lucid.method;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.nn.Parameters;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of methods: every {@link MethodProvider} on the class path, by type. A config or card picks one
 * with {@code method: {type: NAME, ...settings}}; without "method" it is "direct".
 */
public final class Methods {

    public static final String DEFAULT_TYPE = "direct";

    private Methods() {}

    /** The providers on the class path by type (looked up per call: no global state). */
    public static Map<String, MethodProvider> providers() {
        Map<String, MethodProvider> byType = new TreeMap<>();
        for (MethodProvider p : ServiceLoader.load(MethodProvider.class, Methods.class.getClassLoader())) {
            MethodProvider previous = byType.put(p.type(), p);
            if (previous != null) throw new IllegalStateException("two methods register the type \"" + p.type() + "\"");
        }
        return byType;
    }

    /** The method of {@code root} on {@code parameters}, with weight-free parts of its own (never closed: for a method built once). */
    public static Method build(Parameters parameters, JsonNode root) {
        return build(parameters, root, new SharedParts());
    }

    /**
     * The method of {@code root} on {@code parameters}, sharing its weight-free parts (a text encoder) with every other
     * method built with {@code shared}: the same card on other weights (task experts, an averaged copy).
     */
    public static Method build(Parameters parameters, JsonNode root, SharedParts shared) {
        if (root.get("architecture") == null) throw new IllegalArgumentException("config lacks \"architecture\"");
        String type = root.path("method").path("type").asText(DEFAULT_TYPE);
        Map<String, MethodProvider> providers = providers();
        MethodProvider provider = providers.get(type);
        if (provider == null) throw new IllegalArgumentException("unknown method \"" + type + "\" (" + String.join(", ", providers.keySet()) + ")");
        return provider.build(parameters, root, shared);
    }
}
