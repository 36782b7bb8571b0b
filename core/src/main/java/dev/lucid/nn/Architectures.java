package dev.lucid.nn;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds a network from the "architecture" object of a model card or training config. */
public final class Architectures {

    private Architectures() {}

    public static ImageNetwork build(Parameters p, JsonNode spec) {
        String type = spec.path("type").asText("");
        if (type.equals("nafunet")) {
            int[] encoder = ints(required(spec, "encoder_blocks"));
            return new UNet(p, unetConfig(spec, UNet.Config.doubling(required(spec, "width").asInt(), encoder.length)), NafBlock::new, true, false);
        }
        if (type.equals("resunet")) return resUNet(p, spec);
        throw new IllegalArgumentException("unknown architecture type \"" + type + "\" (known: nafunet, resunet)");
    }

    /** The residual UNet of an "architecture" object of type resunet (also the step network of diffusion methods). */
    public static UNet resUNet(Parameters p, JsonNode spec) {
        return new UNet(p, unetConfig(spec, ints(required(spec, "widths"))), ResBlock::new, false, true);
    }

    private static UNet.Config unetConfig(JsonNode spec, int[] widths) {
        int channels = spec.path("channels").asInt(3);
        return new UNet.Config(channels, spec.path("input_channels").asInt(channels), widths, ints(required(spec, "encoder_blocks")),
                required(spec, "middle_blocks").asInt(), ints(required(spec, "decoder_blocks")), spec.path("half_resolution").asBoolean(false));
    }

    private static JsonNode required(JsonNode spec, String field) {
        if (!spec.has(field)) throw new IllegalArgumentException("architecture lacks \"" + field + "\"");
        return spec.get(field);
    }

    private static int[] ints(JsonNode array) {
        int[] v = new int[array.size()];
        for (int i = 0; i < v.length; i++) v[i] = array.get(i).asInt();
        return v;
    }
}
