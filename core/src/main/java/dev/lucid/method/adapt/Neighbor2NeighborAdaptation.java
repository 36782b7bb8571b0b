package dev.lucid.method.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.degrade.NoiseLevel;
import dev.lucid.method.Method;
import dev.lucid.method.StepContext;
import dev.lucid.method.TrainingBatch;
import dev.lucid.nn.Lora;
import dev.lucid.nn.NetworkShape;
import dev.lucid.nn.Parameters;
import java.util.SplittableRandom;

/**
 * Teaches a trained single-pass denoiser a camera's noise from noisy photos alone ({@code lucid adapt}): only its
 * {@link Lora} adapters train. The loss is Neighbor2Neighbor's (Huang et al., CVPR 2021): two half-size images
 * g₁(y), g₂(y) take, in every 2×2 cell, two different neighbouring pixels, so they show the same scene with
 * independent draws of pixel-independent noise; ‖f(g₁) − g₂‖² + γ‖f(g₁) − g₂ − (g₁(f(y)) − g₂(f(y)))‖², f(y) taken
 * without gradient. Real sRGB noise is correlated between neighbours after demosaicing, which the loss would learn
 * to keep. So when the photos' noise is correlated 1 pixel apart but not 2, the adaptation learns, and the adapted
 * model restores, on the 2 × 2 pixel-shuffled sub-images ({@link dev.lucid.image.PixelShuffle}), where neighbours
 * are 2 pixels apart and the noise nearly independent ({@link NoiseLevel.Correlation#shuffleStride}). A consistency
 * term λ·|f(g₁) − f₀(g₁)| to the base model f₀ keeps what it already did right.
 *
 * <p>Measured (bench/adapt/RESULTS.md, 600 steps, lucid-real v2): λ chosen on CBSD432 images with strong synthetic
 * phone noise, where λ = 1 and 0.3 reproduce the base model at the adaptation's stride and λ = 0.1 / 0 lose 1.7 /
 * 3.2 dB; on the SIDD sample the adapted model and the base at stride 2 both give 32.60 dB. The loss cannot beat a
 * supervised denoiser on noise it already knows (the shuffled noise is nearly white): the adapters stay close to the
 * base model, and what the adaptation brings is the stride. {@link NoiseBankAdaptation} does better on every set
 * measured and is the default; this loss stays as {@code adapt.loss: neighbor2neighbor}.
 * <pre>
 * adapt: {base: lucid-real, rank: 4, alpha: 4, loss: neighbor2neighbor, gamma: 2, consistency: 1.0, pd_stride: auto}
 * </pre>
 */
public final class Neighbor2NeighborAdaptation extends SelfSupervisedAdaptation {

    public static final String NAME = "neighbor2neighbor";

    /** N2N's regulariser weight γ and the consistency weight λ when the config gives none. */
    private static final double DEFAULT_GAMMA = 2, DEFAULT_CONSISTENCY = 1.0;

    private final double gamma, consistency;
    private final int stride;

    /**
     * @param parameters the base model's, with adapters attached (turned off to read the base model's output)
     * @param stride the pixel-shuffle stride it learns and restores at (1: whole patches)
     */
    public Neighbor2NeighborAdaptation(Method base, Parameters parameters, JsonNode settings, int stride) {
        super(base, parameters);
        this.stride = stride;
        this.gamma = settings.path("gamma").asDouble(DEFAULT_GAMMA);
        this.consistency = settings.path("consistency").asDouble(DEFAULT_CONSISTENCY);
        if (gamma < 0 || consistency < 0) throw new IllegalArgumentException("adapt.gamma and adapt.consistency must not be negative");
    }

    @Override
    public void describe(ObjectNode card) {
        card.put("loss", NAME).put("gamma", gamma).put("consistency", consistency).put("pd_stride", stride);
    }

    @Override
    public double trainStep(TrainingBatch batch, StepContext context) {
        NDArray y = shuffle(batch.noisy(), stride);
        NDManager m = context.manager();
        NDArray[] masks = neighbourMasks(m, y.getShape(), context.random());
        NDArray g1 = subsample(y, masks[0]), g2 = subsample(y, masks[1]);
        // targets without gradient: the current network on the whole image, and the base model on g1
        NDArray whole = denoiser.apply(y);
        NDArray regular = subsample(whole, masks[0]).sub(subsample(whole, masks[1]));
        NDArray anchor = consistency > 0 ? parameters.withoutAdapters(() -> denoiser.apply(g1)) : null;
        return context.optimise(OptimiserGroup.MAIN, () -> {
            NDArray out = denoiser.apply(g1), residual = out.sub(g2);
            NDArray loss = residual.square().mean().add(residual.sub(regular).square().mean().mul((float) gamma));
            return anchor == null ? loss : loss.add(out.sub(anchor).abs().mean().mul((float) consistency));
        });
    }

    /** The four pixels of each 2×2 cell, [N, C, H/2, W/2, 4] (order: top-left, top-right, bottom-left, bottom-right). */
    private static NDArray cells(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2) / 2, w = s.get(3) / 2;
        return x.reshape(n, c, h, 2, w, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h, w, 4);
    }

    static NDArray subsample(NDArray x, NDArray mask) { return cells(x).mul(mask).sum(new int[] {4}); }

    /** Neighbouring pairs of a 2×2 cell: (a, b) share a side. */
    private static final int[][] NEIGHBOURS = {{0, 1}, {1, 0}, {0, 2}, {2, 0}, {1, 3}, {3, 1}, {2, 3}, {3, 2}};

    /** One-hot masks [N, 1, H/2, W/2, 4] choosing, per cell, a random pair of side-sharing pixels (the same for every channel). */
    static NDArray[] neighbourMasks(NDManager m, Shape shape, SplittableRandom random) {
        int n = (int) shape.get(0), h = (int) shape.get(2) / 2, w = (int) shape.get(3) / 2, cells = n * h * w;
        float[] first = new float[cells * 4], second = new float[cells * 4];
        for (int i = 0; i < cells; i++) {
            int[] pair = NEIGHBOURS[random.nextInt(NEIGHBOURS.length)];
            first[i * 4 + pair[0]] = 1f;
            second[i * 4 + pair[1]] = 1f;
        }
        Shape mask = new Shape(n, 1, h, w, 4);
        return new NDArray[] {m.create(first, mask), m.create(second, mask)};
    }

    /** Shuffling by the stride and halving for g₁ need patches of 2·stride times the base model's size multiple. */
    @Override
    public NetworkShape shape() {
        NetworkShape s = base.shape();
        return NetworkShape.of(s.channels(), 2 * stride * s.sizeMultiple(), s.macsPerPixel());
    }
}
