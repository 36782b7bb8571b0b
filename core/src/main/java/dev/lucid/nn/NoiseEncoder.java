package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * NoiseTransfer's contrastive noise encoder, which is also its discriminator (Lee and Kim, ACCV 2022: one network,
 * two paths over shared convolutions). Three levels of widths K, 2K, 4K (2, 3 and 4 residual blocks; 4×4 stride-2
 * down-sampling), pre-activation convolutions with leaky ReLU and no bias.
 * <ul>
 * <li>{@link #embed}: a noisy image → per level a feature map (the blocks with affine instance norms, then a 1×1 and a
 * normalised 3×3 convolution), and a 128-d embedding of its noise: the feature maps' spatial means through a 2-layer
 * projection head, L2-normalised.</li>
 * <li>{@link #discriminate}: (clean image, embedding, noisy image) → per level a feature map and a patch logit map; the
 * input is the clean image and the noise (noisy − clean), and every normalisation is an instance norm whose scale and
 * shift come from the embedding, so the discriminator judges noise against the reference's kind.</li>
 * </ul>
 * Spectral normalisation, as the original's, is applied by the method
 * ({@link Parameters#normaliseSpectrally}).
 */
public final class NoiseEncoder {

    private static final int[] BLOCKS = {2, 3, 4};
    public static final int EMBEDDING = 128;

    private final Conv2d preNoise, preGan;
    private final List<List<SharedBlock>> blocks = new ArrayList<>();
    private final List<Conv2d> postNoiseA = new ArrayList<>(), postNoiseB = new ArrayList<>(), postGanA = new ArrayList<>(), postGanB = new ArrayList<>(),
            ganLogit = new ArrayList<>(), down = new ArrayList<>();
    private final List<InstanceNorm2d> postNoiseNorm = new ArrayList<>();
    private final List<ConditionalInstanceNorm> postGanNorm = new ArrayList<>();
    private final Linear head1, head2;

    /** The features of each level and the output (the embedding, or the logit maps). */
    public record Output(List<NDArray> features, NDArray embedding, List<NDArray> logits) {}

    public NoiseEncoder(Parameters p, String name, int width) {
        preNoise = new Conv2d(p, name + ".pre_noise", 3, width, 3, 1, 1, 1, false);
        preGan = new Conv2d(p, name + ".pre_gan", 6, width, 3, 1, 1, 1, false);
        int total = 0;
        for (int level = 0; level < BLOCKS.length; level++) {
            int k = width << level;
            total += k;
            String l = name + ".level" + level;
            List<SharedBlock> row = new ArrayList<>();
            for (int b = 0; b < BLOCKS[level]; b++) row.add(new SharedBlock(p, l + ".block" + b, k));
            blocks.add(row);
            postNoiseA.add(new Conv2d(p, l + ".post_noise.0", k, k, 1, 1, 0, 1, false));
            postNoiseNorm.add(new InstanceNorm2d(p, l + ".post_noise.norm", k, true));
            postNoiseB.add(new Conv2d(p, l + ".post_noise.1", k, k, 3, 1, 1, 1, false));
            postGanA.add(new Conv2d(p, l + ".post_gan.0", k, k, 1, 1, 0, 1, false));
            postGanNorm.add(new ConditionalInstanceNorm(p, l + ".post_gan.norm", k));
            postGanB.add(new Conv2d(p, l + ".post_gan.1", k, k, 3, 1, 1, 1, false));
            ganLogit.add(new Conv2d(p, l + ".logit", k, 1, 1, 1, 0, 1, false));
            if (level + 1 < BLOCKS.length) down.add(new Conv2d(p, l + ".down", k, 2 * k, 4, 2, 1, 1, false));
        }
        head1 = new Linear(p, name + ".head.0", total, total, false);
        head2 = new Linear(p, name + ".head.1", total, EMBEDDING, false);
    }

    /** The noise embedding of noisy images [N, 3, H, W] in [0, 1] (H, W multiples of 4), and the level features. */
    public Output embed(NDArray noisy) {
        NDArray y = preNoise.forward(noisy.mul(2f).sub(1f));
        List<NDArray> features = new ArrayList<>(), means = new ArrayList<>();
        for (int level = 0; level < BLOCKS.length; level++) {
            if (level > 0) y = down.get(level - 1).forward(y);
            for (SharedBlock b : blocks.get(level)) y = b.embedPath(y);
            NDArray f = postNoiseB.get(level).forward(lrelu(postNoiseNorm.get(level).forward(postNoiseA.get(level).forward(y))));
            features.add(f);
            means.add(f.reshape(f.getShape().get(0), f.getShape().get(1), -1).mean(new int[] {2}));
        }
        NDArray e = head2.forward(lrelu(head1.forward(NDArrays.concat(new NDList(means), 1))));
        NDArray norm = e.square().sum(new int[] {1}, true).maximum(1e-24f).sqrt(); // ‖e‖ ≥ 1e-12 without an infinite derivative at 0
        return new Output(features, e.div(norm), null);
    }

    /** The discriminator's features and patch logits of (clean, noisy) under the reference embedding [N, 128]. */
    public Output discriminate(NDArray clean, NDArray embedding, NDArray noisy) {
        NDArray y = preGan.forward(NDArrays.concat(new NDList(clean.mul(2f).sub(1f), noisy.sub(clean)), 1));
        List<NDArray> features = new ArrayList<>(), logits = new ArrayList<>();
        for (int level = 0; level < BLOCKS.length; level++) {
            if (level > 0) y = down.get(level - 1).forward(y);
            for (SharedBlock b : blocks.get(level)) y = b.discriminatePath(y, embedding);
            NDArray f = postGanB.get(level).forward(lrelu(postGanNorm.get(level).forward(postGanA.get(level).forward(y), embedding)));
            features.add(f);
            logits.add(ganLogit.get(level).forward(f));
        }
        return new Output(features, null, logits);
    }

    static NDArray lrelu(NDArray x) { return Activation.leakyRelu(x, 0.01f); }

    /**
     * Instance norm whose scale (1 + γ) and shift β come from the embedding, each through two 1×1 layers (a bottleneck
     * of (dim + C)/4 and a leaky ReLU before the second).
     */
    static final class ConditionalInstanceNorm {
        private final InstanceNorm2d norm;
        private final Linear gamma1, gamma2, beta1, beta2;

        ConditionalInstanceNorm(Parameters p, String name, int channels) {
            int reduced = (EMBEDDING + channels) / 4;
            norm = new InstanceNorm2d(p, name + ".norm", channels, false);
            gamma1 = new Linear(p, name + ".gamma.0", EMBEDDING, reduced, false);
            gamma2 = new Linear(p, name + ".gamma.1", reduced, channels, false);
            beta1 = new Linear(p, name + ".beta.0", EMBEDDING, reduced, false);
            beta2 = new Linear(p, name + ".beta.1", reduced, channels, false);
        }

        NDArray forward(NDArray x, NDArray embedding) {
            long n = x.getShape().get(0), c = x.getShape().get(1);
            NDArray gamma = gamma2.forward(lrelu(gamma1.forward(embedding))).reshape(n, c, 1, 1);
            NDArray beta = beta2.forward(lrelu(beta1.forward(embedding))).reshape(n, c, 1, 1);
            return norm.forward(x).mul(gamma.add(1f)).add(beta);
        }
    }

    /** A residual block whose two 3×3 convolutions both paths share; each path has its own normalisations. */
    private static final class SharedBlock {
        private final InstanceNorm2d noiseNorm1, noiseNorm2;
        private final ConditionalInstanceNorm ganNorm1, ganNorm2;
        private final Conv2d conv1, conv2;

        SharedBlock(Parameters p, String name, int k) {
            noiseNorm1 = new InstanceNorm2d(p, name + ".noise_norm1", k, true);
            ganNorm1 = new ConditionalInstanceNorm(p, name + ".gan_norm1", k);
            conv1 = new Conv2d(p, name + ".conv1", k, k, 3, 1, 1, 1, false);
            noiseNorm2 = new InstanceNorm2d(p, name + ".noise_norm2", k, true);
            ganNorm2 = new ConditionalInstanceNorm(p, name + ".gan_norm2", k);
            conv2 = new Conv2d(p, name + ".conv2", k, k, 3, 1, 1, 1, false);
        }

        NDArray embedPath(NDArray x) {
            NDArray y = conv1.forward(lrelu(noiseNorm1.forward(x)));
            return x.add(conv2.forward(lrelu(noiseNorm2.forward(y))));
        }

        NDArray discriminatePath(NDArray x, NDArray embedding) {
            NDArray y = conv1.forward(lrelu(ganNorm1.forward(x, embedding)));
            return x.add(conv2.forward(lrelu(ganNorm2.forward(y, embedding))));
        }
    }
}
