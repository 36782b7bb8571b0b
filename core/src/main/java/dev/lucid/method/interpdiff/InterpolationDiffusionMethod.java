package dev.lucid.method.interpdiff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.diffusion.InterpolationDiffusion;
import dev.lucid.image.TileModel;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.method.MethodProvider;
import dev.lucid.method.SharedParts;
import dev.lucid.method.StepContext;
import dev.lucid.method.TrainingBatch;
import dev.lucid.nn.Architectures;
import dev.lucid.nn.ConditionalUNet;
import dev.lucid.nn.ImageNetwork;
import dev.lucid.nn.NetworkShape;
import dev.lucid.nn.Parameters;
import java.util.Locale;
import java.util.Set;

/**
 * Real-world denoising by interpolation diffusion (seed 003, arXiv 2305.04457; method "interpolation-diffusion"):
 * training draws t ~ U{1..T} per sample, forms x_t = (1 − t/T) x₀ + (t/T) x_noisy and trains the step network
 * to predict x₀ (the Charbonnier loss of the paper is set in the config); inference runs the origin or
 * improved sampler over a chosen number of steps (the model's sample_steps, or the guidance's steps).
 * <pre>
 * method: {type: interpolation-diffusion, steps: 20, sample_steps: 5, sampling: improved}
 * </pre>
 */
public final class InterpolationDiffusionMethod implements Method {

    public static final class Provider implements MethodProvider {
        @Override public String type() { return "interpolation-diffusion"; }

        @Override
        public Method build(Parameters p, JsonNode root, SharedParts shared) {
            JsonNode method = root.path("method"), architecture = root.get("architecture");
            String samplingName = method.path("sampling").asText("improved");
            InterpolationDiffusion.Sampling sampling;
            try {
                sampling = InterpolationDiffusion.Sampling.valueOf(samplingName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sampling must be origin or improved, got \"" + samplingName + "\"", e);
            }
            int steps = method.path("steps").asInt(20), sampleSteps = method.path("sample_steps").asInt(5);
            checkSampleSteps(sampleSteps, steps);
            return new InterpolationDiffusionMethod(stepNetwork(p, architecture, steps), steps, sampleSteps, sampling);
        }
    }

    /** The x₀-predicting network of one step, given the state, the step and the noisy image, and its shape. */
    record StepNetwork(Prediction predict, NetworkShape shape) {
        interface Prediction {
            NDArray of(NDArray xt, float[] t, NDArray noisy);
        }
    }

    private final StepNetwork network;
    private final InterpolationDiffusion diffusion;
    private final int sampleSteps;
    private final InterpolationDiffusion.Sampling sampling;

    InterpolationDiffusionMethod(StepNetwork network, int steps, int sampleSteps, InterpolationDiffusion.Sampling sampling) {
        this.network = network;
        this.diffusion = new InterpolationDiffusion(steps);
        this.sampleSteps = sampleSteps;
        this.sampling = sampling;
    }

    static void checkSampleSteps(int sampleSteps, int steps) {
        if (sampleSteps < 1 || sampleSteps > steps) {
            throw new IllegalArgumentException("sample_steps must be between 1 and the model's " + steps + " steps, got " + sampleSteps);
        }
    }

    @Override
    public double trainStep(TrainingBatch batch, StepContext context) {
        NDArray noisy = batch.noisy(), clean = batch.clean();
        int n = batch.size();
        float[] t = new float[n], alpha = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1 + context.random().nextInt(diffusion.steps());
            alpha[i] = (float) diffusion.alpha((int) t[i]);
        }
        NDArray a = context.manager().create(alpha, new Shape(n, 1, 1, 1));
        NDArray xt = clean.mul(a.neg().add(1f)).add(noisy.mul(a));
        return context.optimise(OptimiserGroup.MAIN, () -> context.loss().compute(network.predict().of(xt, t, noisy), clean));
    }

    @Override
    public Set<Guidance.Kind> accepts() { return Set.of(Guidance.Kind.STEPS); }

    @Override
    public TileModel tileModel(NDManager manager, Guidance guidance) {
        int steps = guidance.steps() != null ? guidance.steps() : sampleSteps;
        checkSampleSteps(steps, diffusion.steps());
        return Method.tiles(manager, network.shape(), noisy -> {
            int n = (int) noisy.getShape().get(0);
            return diffusion.sample((x, t) -> network.predict().of(x, ConditionalUNet.steps(n, t), noisy), noisy, steps, sampling);
        });
    }

    /** Costs are per network evaluation; a restore costs sample_steps evaluations. */
    @Override
    public NetworkShape shape() { return network.shape(); }

    /** cond_unet (time embedding), or resunet over [x_t, noisy, t/T] planes (input_channels = 2·channels + 1). */
    private static StepNetwork stepNetwork(Parameters p, JsonNode architecture, int steps) {
        String type = architecture.path("type").asText();
        if (type.equals("cond_unet")) return conditional(new ConditionalUNet(p, ConditionalUNet.Config.from(architecture)));
        if (type.equals("resunet")) {
            int channels = architecture.path("channels").asInt(3);
            if (architecture.path("input_channels").asInt(channels) != 2 * channels + 1) {
                throw new IllegalArgumentException("a resunet step network takes x_t, the noisy image and a time plane: input_channels must be " + (2 * channels + 1));
            }
            return planes(Architectures.resUNet(p, architecture), steps);
        }
        throw new IllegalArgumentException("interpolation-diffusion needs architecture type cond_unet or resunet, got \"" + type + "\"");
    }

    /** The conditional UNet: time embedding, and the noisy image concatenated when condition_channels = channels. */
    private static StepNetwork conditional(ConditionalUNet network) {
        return new StepNetwork((xt, t, noisy) -> network.forward(xt, t, network.config().conditionChannels() > 0 ? noisy : null, null, null), network);
    }

    /**
     * A plain image network over [x_t, noisy, t/T] (2C + 1 input planes, as DRUNet takes its noise-level map): no
     * time embedding, so every layer is a fast dense convolution.
     */
    private static StepNetwork planes(ImageNetwork network, int steps) {
        return new StepNetwork((xt, t, noisy) -> {
            Shape s = xt.getShape();
            float[] fraction = new float[t.length];
            for (int i = 0; i < t.length; i++) fraction[i] = t[i] / steps;
            NDArray time = xt.getManager().create(fraction, new Shape(s.get(0), 1, 1, 1)).broadcast(s.get(0), 1, s.get(2), s.get(3));
            return network.forward(NDArrays.concat(new NDList(xt, noisy, time), 1));
        }, network);
    }
}
