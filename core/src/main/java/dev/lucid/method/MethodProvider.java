package dev.lucid.method;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.nn.Parameters;

/**
 * Registers a method: its "method.type" name and how to build it from a training config or model card. Providers
 * are found with {@link java.util.ServiceLoader} (listed in {@code META-INF/services/dev.lucid.method.MethodProvider}),
 * so adding a method is one package and one line there; a test registers its own the same way.
 */
public interface MethodProvider {

    /** The value of "method.type" that selects this method. */
    String type();

    /**
     * Builds the method's networks on {@code parameters} from the config or card {@code root} (its "architecture"
     * and "method" objects), taking the parts that do not depend on the weights (a text encoder) from {@code shared}.
     * @throws IllegalArgumentException with one line naming the bad key
     */
    Method build(Parameters parameters, JsonNode root, SharedParts shared);

    /**
     * The "architecture" object of {@code root}, which this method's network must be of type {@code type}.
     * @throws IllegalArgumentException naming both when it is another
     */
    default JsonNode architecture(JsonNode root, String type) {
        JsonNode architecture = root.path("architecture");
        if (!architecture.path("type").asText().equals(type)) {
            throw new IllegalArgumentException("method " + type() + " needs architecture type " + type + ", got \"" + architecture.path("type").asText() + "\"");
        }
        return architecture;
    }
}
