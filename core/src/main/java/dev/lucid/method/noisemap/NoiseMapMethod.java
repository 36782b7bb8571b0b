package dev.lucid.method.noisemap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.image.TileModel;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.method.MethodProvider;
import dev.lucid.method.SharedParts;
import dev.lucid.method.StepContext;
import dev.lucid.method.TrainingBatch;
import dev.lucid.nn.Architectures;
import dev.lucid.nn.NetworkShape;
import dev.lucid.nn.UNet;
import dev.lucid.nn.Parameters;
import java.util.Set;

/**
 * A denoiser conditioned on a noise-level map, the map estimated from the image (CBDNet, Guo et al. 2019) or given
 * (FFDNet / DRUNet, Zhang et al.): method "noise-map". A small {@link NoiseLevelEstimator} predicts a per-pixel,
 * per-channel σ map; the residual UNet takes the image and the map (input_channels = 2·channels). The user can
 * scale the estimated map (strength, 1 = automatic) or give a known σ instead (noise level, 8-bit units).
 *
 * <p>Training: the reference map is the local standard deviation of the batch's true noise (noisy − clean) over a
 * {@code sigma_window}² window, per channel, so it exists for every noise recipe and for real pairs. With
 * probability {@code teacher_forcing} the denoiser sees that map (so it learns what a given σ means), otherwise the
 * estimate (so it learns to live with the estimator, and the estimator learns through it). The estimator also has
 * CBDNet's asymmetric loss, |α − 1[σ̂ < σ]|·|σ̂ − σ| with α = 0.3: under-estimating, which leaves noise in, costs
 * more than over-estimating.
 * <pre>
 * method: {type: noise-map, estimator_width: 32, sigma_window: 11, teacher_forcing: 0.5, estimator_loss: 1.0,
 *          noise_level: auto, strength: 1.0}
 * </pre>
 */
public final class NoiseMapMethod implements Method {

    public static final class Provider implements MethodProvider {
        @Override public String type() { return "noise-map"; }

        @Override
        public Method build(Parameters p, JsonNode root, SharedParts shared) {
            JsonNode method = root.path("method"), architecture = root.get("architecture");
            int channels = architecture.path("channels").asInt(3);
            if (!architecture.path("type").asText().equals("resunet") || architecture.path("input_channels").asInt(channels) != 2 * channels) {
                throw new IllegalArgumentException("method noise-map needs a resunet with input_channels = 2 x channels (the image and its noise map): " + 2 * channels);
            }
            String level = method.path("noise_level").asText("auto");
            Double sigma;
            try {
                sigma = level.equals("auto") ? null : Double.valueOf(level);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("noise_level must be auto or a sigma in 8-bit units, got \"" + level + "\"", e);
            }
            return new NoiseMapMethod(p, architecture, channels, method.path("estimator_width").asInt(32), method.path("sigma_window").asInt(11),
                    method.path("teacher_forcing").asDouble(0.5), method.path("estimator_loss").asDouble(1.0), sigma, method.path("strength").asDouble(1.0));
        }
    }

    /** CBDNet's asymmetry: over-estimates weigh α, under-estimates 1 − α. */
    private static final float ASYMMETRY = 0.3f;

    private final UNet denoiser;
    private final NoiseLevelEstimator estimator;
    private final int channels, window;
    private final double teacherForcing, estimatorLoss, strength;
    private final Double sigma;

    private NoiseMapMethod(Parameters p, JsonNode architecture, int channels, int estimatorWidth, int window, double teacherForcing,
                           double estimatorLoss, Double sigma, double strength) {
        checkGuidance(sigma, strength);
        if (window < 1 || window % 2 == 0) throw new IllegalArgumentException("sigma_window must be odd and positive, got " + window);
        this.denoiser = Architectures.resUNet(p, architecture);
        this.estimator = new NoiseLevelEstimator(p, "estimator", channels, estimatorWidth);
        this.channels = channels;
        this.window = window;
        this.teacherForcing = teacherForcing;
        this.estimatorLoss = estimatorLoss;
        this.sigma = sigma;
        this.strength = strength;
    }

    /** The bounds every front end enforces ({@link Guidance#noiseLevelProblem}, {@link Guidance#strengthProblem}). */
    static void checkGuidance(Double sigma, Double strength) {
        if (Guidance.noiseLevelProblem(sigma) != null) throw new IllegalArgumentException("the noise level " + Guidance.noiseLevelProblem(sigma));
        if (Guidance.strengthProblem(strength) != null) throw new IllegalArgumentException("the strength " + Guidance.strengthProblem(strength));
    }

    @Override
    public double trainStep(TrainingBatch batch, StepContext context) {
        NDArray noisy = batch.noisy(), clean = batch.clean();
        NDArray truth = localSigma(noisy.sub(clean));
        boolean teacher = context.random().nextDouble() < teacherForcing;
        return context.optimise(OptimiserGroup.MAIN, () -> {
            NDArray estimate = estimator.forward(noisy);
            NDArray restored = denoise(noisy, teacher ? truth : estimate);
            NDArray error = estimate.sub(truth);
            NDArray weight = error.lt(0f).toType(DataType.FLOAT32, false).mul(1 - 2 * ASYMMETRY).add(ASYMMETRY);
            return context.loss().compute(restored, clean).add(weight.mul(error.abs()).mean().mul((float) estimatorLoss));
        });
    }

    /** Per channel, the root mean square of {@code noise} over a window around each pixel (edges: the part inside). */
    NDArray localSigma(NDArray noise) {
        int pad = window / 2;
        Shape kernel = new Shape(window, window), stride = new Shape(1, 1), padding = new Shape(pad, pad);
        Shape s = noise.getShape();
        // mean over the part of the window inside the image: zero-padded sums divided by the count of real samples
        NDArray sums = Pool.avgPool2d(noise.square(), kernel, stride, padding, false, true);
        NDArray counts = Pool.avgPool2d(noise.getManager().ones(new Shape(1, 1, s.get(2), s.get(3))), kernel, stride, padding, false, true);
        return sums.div(counts).sqrt();
    }

    private NDArray denoise(NDArray noisy, NDArray map) {
        return denoiser.forward(NDArrays.concat(new NDList(noisy, map), 1));
    }

    @Override
    public Set<Guidance.Kind> accepts() { return Set.of(Guidance.Kind.NOISE_LEVEL, Guidance.Kind.STRENGTH); }

    @Override
    public TileModel tileModel(NDManager manager, Guidance guidance) {
        checkGuidance(guidance.sigma(), guidance.strength());
        Double given = guidance.sigma() != null ? guidance.sigma() : sigma;
        float scale = (float) (guidance.strength() != null ? guidance.strength() : strength);
        return Method.tiles(manager, shape(), noisy -> restore(noisy, given, scale));
    }

    /** The denoised batch with a map of σ {@code given} (8-bit units) or, if null, the estimated one, times {@code scale}. */
    private NDArray restore(NDArray noisy, Double given, float scale) {
        return denoise(noisy, (given != null ? noisy.zerosLike().add((float) (given / 255.0)) : estimator.forward(noisy)).mul(scale));
    }

    /** The automatic map (or the configured σ), scaled by the configured strength. */
    @Override
    public java.util.function.UnaryOperator<NDArray> denoiser() {
        return noisy -> restore(noisy, sigma, (float) strength);
    }

    @Override
    public TileModel noiseMapModel(NDManager manager) { return Method.tiles(manager, shape(), estimator::forward); }

    /** The estimator folds 2×2 pixel phases: tiles are at least a multiple of 2. */
    @Override
    public NetworkShape shape() {
        return NetworkShape.of(channels, Math.max(2, denoiser.sizeMultiple()), denoiser.macsPerPixel() + estimator.macsPerPixel());
    }
}
