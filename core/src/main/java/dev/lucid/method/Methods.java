package dev.lucid.method;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.diffusion.InterpolationDiffusion;
import dev.lucid.nn.Architectures;
import dev.lucid.nn.ConditionalUNet;
import dev.lucid.nn.Parameters;
import java.util.Locale;

/**
 * Builds the method of a training config or model card: "method" (default "direct") with its settings,
 * and the network of "architecture".
 * <pre>
 * method: {type: interpolation-diffusion, steps: 20, sample_steps: 5, sampling: improved}
 * </pre>
 */
public final class Methods {

    private Methods() {}

    public static TrainableMethod build(Parameters p, JsonNode root) {
        JsonNode method = root.path("method");
        String type = method.path("type").asText("direct");
        JsonNode architecture = root.get("architecture");
        if (architecture == null) throw new IllegalArgumentException("config lacks \"architecture\"");
        switch (type) {
            case "direct":
                return new DirectDenoiser(Architectures.build(p, architecture));
            case "interpolation-diffusion": {
                String samplingName = method.path("sampling").asText("improved");
                InterpolationDiffusion.Sampling sampling;
                try {
                    sampling = InterpolationDiffusion.Sampling.valueOf(samplingName.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sampling must be origin or improved, got \"" + samplingName + "\"", e);
                }
                int steps = method.path("steps").asInt(20), sampleSteps = method.path("sample_steps").asInt(5);
                if (sampleSteps < 1 || sampleSteps > steps) {
                    throw new IllegalArgumentException("sample_steps must be between 1 and the model's " + steps + " steps, got " + sampleSteps);
                }
                return new InterpolationDenoiser(stepNetwork(p, architecture, steps), steps, sampleSteps, sampling);
            }
            default:
                throw new IllegalArgumentException("unknown method \"" + type + "\" (direct, interpolation-diffusion)");
        }
    }

    /** cond_unet (time embedding), or resunet over [x_t, noisy, t/T] planes (input_channels = 2·channels + 1). */
    private static InterpolationDenoiser.StepNetwork stepNetwork(Parameters p, JsonNode architecture, int steps) {
        String type = architecture.path("type").asText();
        if (type.equals("cond_unet")) return InterpolationDenoiser.StepNetwork.of(new ConditionalUNet(p, ConditionalUNet.Config.from(architecture)));
        if (type.equals("resunet")) {
            int channels = architecture.path("channels").asInt(3);
            if (architecture.path("input_channels").asInt(channels) != 2 * channels + 1) {
                throw new IllegalArgumentException("a resunet step network takes x_t, the noisy image and a time plane: input_channels must be " + (2 * channels + 1));
            }
            return InterpolationDenoiser.StepNetwork.ofPlanes(Architectures.resUNet(p, architecture), steps);
        }
        throw new IllegalArgumentException("interpolation-diffusion needs architecture type cond_unet or resunet, got \"" + type + "\"");
    }
}
