package dev.lucid.nn;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds a network from the "architecture" object of a model card or training config. */
public final class Architectures {

    private Architectures() {}

    public static ImageNetwork build(Parameters p, JsonNode spec) {
        String type = spec.path("type").asText("");
        if (type.equals("nafunet")) {
            int[] encoder = ints(required(spec, "encoder_blocks"));
            return new UNet(p, new UNet.Config(spec.path("channels").asInt(3), UNet.Config.doubling(required(spec, "width").asInt(), encoder.length),
                    encoder, required(spec, "middle_blocks").asInt(), ints(required(spec, "decoder_blocks"))), NafBlock::new, true, false);
        }
        if (type.equals("resunet")) {
            return new UNet(p, new UNet.Config(spec.path("channels").asInt(3), ints(required(spec, "widths")), ints(required(spec, "encoder_blocks")),
                    required(spec, "middle_blocks").asInt(), ints(required(spec, "decoder_blocks"))), ResBlock::new, false, true);
        }
        if (type.equals("clip_denoise")) return new ClipDenoiseNet(p, spec);
        throw new IllegalArgumentException("unknown architecture type \"" + type + "\" (known: nafunet, resunet, clip_denoise)");
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
