package dev.lucid.method.tellme;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.diffusion.GaussianDiffusion;
import dev.lucid.diffusion.GaussianNoiseSource;
import dev.lucid.diffusion.NoiseSchedule;
import dev.lucid.image.TileModel;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.method.MethodProvider;
import dev.lucid.method.SharedParts;
import dev.lucid.method.StepContext;
import dev.lucid.method.TrainingBatch;
import dev.lucid.nn.ConditionalUNet;
import dev.lucid.nn.NetworkShape;
import dev.lucid.nn.Parameters;
import dev.lucid.text.CaptionBatch;
import dev.lucid.text.TextEncoder;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * "Tell Me What You See" (Yosef and Giryes, IEEE OJSP 2025; method "tellme"): text-guided denoising of low-light
 * packed raw (4 half-size planes R, G1, G2, B) by an x₀-predicting Gaussian diffusion. The {@link ConditionalUNet}
 * sees x_t with the noisy raw concatenated, and the caption embedding through its 2-layer MLP added to the time
 * embedding (its learned null vector when there is no caption, which caption dropout trains). Training: t uniform
 * over 1..T of a cosine schedule, L1 between the predicted and the true clean raw. Values are mapped from [0, 1] to
 * [−1, 1] for the diffusion.
 * <p>Restoring does not run the seed's 1000 ancestral steps from pure noise: it starts from the measurement diffused
 * to an intermediate step ({@code sample_start}) and takes {@code sample_steps} deterministic DDIM steps down to 0
 * (one step is the network's x̂₀ at the start), so the noise of x_t hides the measurement's own noise; the full
 * ancestral chain from T is what {@code steps} = T asks for. The defaults (one step from 800) were chosen on the
 * held-out training images at shot 0.18 after 4 545 iterations: one step from 600 22.85 dB raw, from 1000 22.84, from 800
 * 22.89; two steps from 600 22.53, four 22.15; one step from 300 22.05 — x̂₀ from a well-hidden measurement is the
 * best estimate in PSNR, and every further step puts back detail the model is unsure of. With
 * {@code text_encoder: none} the same network has no text input: the no-text control of the caption comparison.
 * <pre>
 * method: {type: tellme, steps: 1000, sample_steps: 1, sample_start: 800, text_encoder: sentence}
 * architecture: {type: cond_unet, channels: 4, condition_channels: 4, width: 32, multipliers: [1, 2, 3, 4], global_dim: 384}
 * </pre>
 */
public final class TellMeMethod implements Method {

    public static final class Provider implements MethodProvider {
        @Override public String type() { return "tellme"; }

        @Override
        public Method build(Parameters p, JsonNode root, SharedParts shared) {
            JsonNode method = root.path("method"), architecture = architecture(root, "cond_unet");
            ConditionalUNet.Config config = ConditionalUNet.Config.from(architecture);
            if (config.channels() != 4 || config.conditionChannels() != 4) {
                throw new IllegalArgumentException("method tellme works on packed raw: architecture channels and condition_channels must be 4");
            }
            String encoder = method.path("text_encoder").asText("sentence");
            TextEncoder text = encoder.equals("none") ? null : shared.textEncoder(encoder);
            int textDim = text == null ? 0 : text.dimension();
            if (config.globalDim() != textDim) {
                throw new IllegalArgumentException("architecture global_dim must be the text encoder's dimension (" + textDim + " for " + encoder + "), got " + config.globalDim());
            }
            int steps = method.path("steps").asInt(1000), start = method.path("sample_start").asInt(800), sampleSteps = method.path("sample_steps").asInt(1);
            if (steps < 2) throw new IllegalArgumentException("steps must be at least 2, got " + steps);
            if (start < 1 || start > steps) throw new IllegalArgumentException("sample_start must be in [1, " + steps + "], got " + start);
            checkSampleSteps(sampleSteps, start, steps);
            return new TellMeMethod(new ConditionalUNet(p, config), text, NoiseSchedule.cosine(steps), start, sampleSteps);
        }
    }

    private final ConditionalUNet network;
    private final TextEncoder text;                          // null: the no-text control
    private final NoiseSchedule schedule;
    private final GaussianDiffusion diffusion;
    private final int sampleStart, sampleSteps;

    private TellMeMethod(ConditionalUNet network, TextEncoder text, NoiseSchedule schedule, int sampleStart, int sampleSteps) {
        this.network = network;
        this.text = text;
        this.schedule = schedule;
        this.diffusion = new GaussianDiffusion(schedule);
        this.sampleStart = sampleStart;
        this.sampleSteps = sampleSteps;
    }

    private static void checkSampleSteps(int sampleSteps, int start, int steps) {
        if (sampleSteps == steps) return;                    // the seed's full ancestral chain from T
        if (sampleSteps < 1 || sampleSteps > start) {
            throw new IllegalArgumentException("steps must be in [1, " + start + "] (DDIM from the measurement at step " + start + ") or " + steps
                    + " (the full chain from noise), got " + sampleSteps);
        }
    }

    @Override
    public double trainStep(TrainingBatch batch, StepContext context) { return step(batch, context, false); }

    /**
     * Every sample at {@code sample_start}, diffused from the measurement as {@link #tileModel} does; none when the
     * default restore is the full chain from noise, which has no such start.
     */
    @Override
    public Optional<Double> samplingStartStep(TrainingBatch batch, StepContext context) {
        return sampleSteps == schedule.steps() ? Optional.empty() : Optional.of(step(batch, context, true));
    }

    /**
     * x̂₀ of x_t against the clean raw: t uniform over the chain with x_t diffused from the clean raw (the seed's
     * training), or, {@code fromMeasurement}, t at the sampling start with x_t diffused from the noisy raw.
     */
    private double step(TrainingBatch batch, StepContext context, boolean fromMeasurement) {
        NDManager m = context.manager();
        int n = batch.size();
        float[] t = new float[n], signal = new float[n], spread = new float[n];
        for (int i = 0; i < n; i++) {
            int step = fromMeasurement ? sampleStart : 1 + context.random().nextInt(schedule.steps());
            t[i] = step;
            signal[i] = (float) Math.sqrt(schedule.alphaBar(step));
            spread[i] = (float) Math.sqrt(1 - schedule.alphaBar(step));
        }
        NDArray x0 = toDiffusion(batch.clean()), measurement = toDiffusion(batch.noisy());
        NDArray noise = new GaussianNoiseSource(context.random().nextLong()).next(m, x0.getShape());
        NDArray source = fromMeasurement ? measurement : x0;
        NDArray xt = source.mul(m.create(signal, new Shape(n, 1, 1, 1))).add(noise.mul(m.create(spread, new Shape(n, 1, 1, 1))));
        NDArray captions = captionVectors(m, batch.captions());
        return context.optimise(OptimiserGroup.MAIN, () -> context.loss().compute(network.forward(xt, t, measurement, captions, null), x0));
    }

    /** Caption embeddings [N, D] with the null vector for samples without one; null for the no-text control. */
    private NDArray captionVectors(NDManager m, List<String> captions) {
        return text == null ? null : network.globalVectors(CaptionBatch.embed(text, m, captions));
    }

    @Override
    public Set<Guidance.Kind> accepts() {
        Set<Guidance.Kind> kinds = EnumSet.of(Guidance.Kind.STEPS, Guidance.Kind.SEED);
        if (text != null) kinds.add(Guidance.Kind.TEXT);
        return kinds;
    }

    @Override
    public TileModel tileModel(NDManager manager, Guidance guidance) {
        int steps = guidance.steps() != null ? guidance.steps() : sampleSteps;
        try {
            checkSampleSteps(steps, sampleStart, schedule.steps());
        } catch (IllegalArgumentException e) {
            throw new Guidance.UnsupportedGuidanceException(e.getMessage());
        }
        float[] caption = text != null && guidance.hasText() ? text.embed(guidance.text()) : null;   // once per image
        GaussianNoiseSource noise = new GaussianNoiseSource(guidance.seed() != null ? guidance.seed() : 0L);
        return Method.tiles(manager, network, noisy -> {
            NDManager m = noisy.getManager();
            int n = (int) noisy.getShape().get(0);
            NDArray measurement = toDiffusion(noisy);
            NDArray bound = caption == null ? null : network.globalVectors(CaptionBatch.repeat(m, caption, caption.length, n));
            dev.lucid.diffusion.X0Predictor predictor = (x, t) -> network.forward(x, ConditionalUNet.steps(n, t), measurement, bound, null);
            NDArray x0;
            synchronized (noise) {                          // one generator per image: tiles draw in the tiler's order
                if (steps == schedule.steps()) {
                    x0 = diffusion.sampleDdpm(predictor, noise.next(m, noisy.getShape()), schedule.steps(), noise);
                } else {
                    NDArray start = diffusion.diffuse(measurement, sampleStart, noise.next(m, noisy.getShape()));
                    x0 = diffusion.sampleDdim(predictor, start, GaussianDiffusion.evenSteps(sampleStart, steps), 0, noise);
                }
            }
            return x0.add(1f).div(2f);
        });
    }

    /** [0, 1] raw values → the diffusion's [−1, 1]. */
    private static NDArray toDiffusion(NDArray x) { return x.mul(2f).sub(1f); }

    @Override
    public Optional<String> promptWarning(String prompt) { return text == null ? Optional.empty() : Optional.ofNullable(text.overLimit(prompt)); }

    /** Costs are per network evaluation; a restore costs sample_steps evaluations. */
    @Override
    public NetworkShape shape() { return network; }
}
