package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * NoiseTransfer's generator (Lee and Kim, ACCV 2022): a 3-level UNet (widths K, 2K, 4K; 4, 3, 2 residual blocks
 * down, 3, 4 up) from a clean image [N, 3, H, W] in [0, 1] and a noise embedding [N, 128] to the noise to add. Every
 * residual block modulates its features twice, spatial feature transform style: x·(1 + γ(e)) + β(e, z), where z is
 * a fresh standard normal plane per layer — the randomness of the generated noise, drawn from the caller's seeded
 * source. Pre-activation convolutions with leaky ReLU, no bias, 4×4 stride-2 down-sampling; up-sampling by a 1×1
 * convolution and pixel shuffle (the original uses 4×4 transposed convolutions), then a 3×3 convolution of the
 * concatenated skip. Spectral normalisation, as the original's, is applied by the method
 * ({@link Parameters#normaliseSpectrally}).
 */
public final class NoiseGenerator implements NetworkShape {

    private static final int[] DOWN = {4, 3, 2}, UP = {3, 4};

    private final Conv2d first, last;
    private final List<List<SftBlock>> down = new ArrayList<>(), up = new ArrayList<>();
    private final List<Conv2d> downsample = new ArrayList<>(), upsample = new ArrayList<>(), skip = new ArrayList<>();
    private final long macsPerPixel;

    public NoiseGenerator(Parameters p, String name, int width) {
        first = new Conv2d(p, name + ".first", 3, width, 3, 1, 1, 1, false);
        double macs = first.macsPerOutputPixel, scale = 1;
        for (int level = 0; level < DOWN.length; level++) {
            int k = width << level;
            List<SftBlock> row = new ArrayList<>();
            for (int b = 0; b < DOWN[level]; b++) row.add(new SftBlock(p, name + ".down" + level + "." + b, k));
            macs += scale * DOWN[level] * 2 * 9.0 * k * k;
            down.add(row);
            if (level + 1 < DOWN.length) {
                downsample.add(new Conv2d(p, name + ".downsample" + level, k, 2 * k, 4, 2, 1, 1, false));
                scale /= 4;
                macs += scale * 16.0 * k * 2 * k;
            }
        }
        for (int level = DOWN.length - 2; level >= 0; level--) {
            int k = width << level;
            upsample.add(new Conv2d(p, name + ".upsample" + level, 2 * k, 4 * k, 1, 1, 0, 1, false));
            macs += scale * 2.0 * k * 4 * k;
            scale *= 4;
            skip.add(new Conv2d(p, name + ".skip" + level, 2 * k, k, 3, 1, 1, 1, false));
            List<SftBlock> row = new ArrayList<>();
            for (int b = 0; b < UP[DOWN.length - 2 - level]; b++) row.add(new SftBlock(p, name + ".up" + level + "." + b, k));
            macs += scale * (9.0 * 2 * k * k + UP[DOWN.length - 2 - level] * 2 * 9.0 * k * k);
            up.add(row);
        }
        last = new Conv2d(p, name + ".last", width, 3, 1, 1, 0, 1, false);
        macsPerPixel = Math.round(macs + last.macsPerOutputPixel);
    }

    /**
     * The generated noise for clean images under noise embeddings; {@code randomPlane} gives a standard normal [N, 1, h, w]
     * for a feature map of that size (seeded by the caller).
     */
    public NDArray forward(NDArray clean, NDArray embedding, Function<NDArray, NDArray> randomPlane) {
        NDArray y = first.forward(clean.mul(2f).sub(1f));
        List<NDArray> skips = new ArrayList<>();
        for (int level = 0; level < DOWN.length; level++) {
            if (level > 0) y = downsample.get(level - 1).forward(y);
            for (SftBlock b : down.get(level)) y = b.forward(y, embedding, randomPlane);
            skips.add(y);
        }
        for (int i = 0; i < up.size(); i++) {
            y = UNet.pixelShuffle(upsample.get(i).forward(y));
            y = skip.get(i).forward(NoiseEncoder.lrelu(NDArrays.concat(new NDList(y, skips.get(skips.size() - 2 - i)), 1)));
            for (SftBlock b : up.get(i)) y = b.forward(y, embedding, randomPlane);
        }
        return last.forward(NoiseEncoder.lrelu(y));
    }

    @Override public int channels() { return 3; }

    @Override public int sizeMultiple() { return 1 << (DOWN.length - 1); }

    @Override public long macsPerPixel() { return macsPerPixel; }

    /** x·(1 + γ(e)) + β(e, z) with γ, β each from two 1×1 layers over the broadcast embedding (β also over z). */
    private static final class Sft {
        private final Linear gamma1, gamma2;
        private final Conv2d beta1, beta2;
        private final int channels;

        Sft(Parameters p, String name, int channels) {
            this.channels = channels;
            int reduced = (NoiseEncoder.EMBEDDING + channels) / 4;
            gamma1 = new Linear(p, name + ".gamma.0", NoiseEncoder.EMBEDDING, reduced, false);
            gamma2 = new Linear(p, name + ".gamma.1", reduced, channels, false);
            beta1 = new Conv2d(p, name + ".beta.0", NoiseEncoder.EMBEDDING + 1, reduced, 1, 1, 0, 1, false);
            beta2 = new Conv2d(p, name + ".beta.1", reduced, channels, 1, 1, 0, 1, false);
        }

        NDArray forward(NDArray x, NDArray embedding, Function<NDArray, NDArray> randomPlane) {
            long n = x.getShape().get(0);
            NDArray gamma = gamma2.forward(NoiseEncoder.lrelu(gamma1.forward(embedding))).reshape(n, channels, 1, 1);
            NDArray z = randomPlane.apply(x);
            // beta.0 is a 1×1 convolution of [embedding broadcast over the image, z]; the embedding is the same at every
            // pixel, so its part is one matrix product per sample, and z's part a scaling of z: the same result without
            // the 129-plane input at full resolution (which made synthesis 5 times slower)
            NDArray inner = Tensors.freeingIntermediates(() -> {
                NDArray weight = beta1.effectiveWeight();
                long reduced = weight.getShape().get(0);
                weight = weight.reshape(reduced, NoiseEncoder.EMBEDDING + 1);
                NDArray fromEmbedding = embedding.matMul(weight.get(":, 0:" + NoiseEncoder.EMBEDDING).transpose()).reshape(n, reduced, 1, 1);
                return z.mul(weight.get(":, " + NoiseEncoder.EMBEDDING + ":").reshape(1, reduced, 1, 1)).add(fromEmbedding);
            });
            NDArray beta = beta2.forward(NoiseEncoder.lrelu(inner));
            return x.mul(gamma.add(1f)).add(beta);
        }
    }

    private static final class SftBlock {
        private final Sft sft1, sft2;
        private final Conv2d conv1, conv2;

        SftBlock(Parameters p, String name, int k) {
            sft1 = new Sft(p, name + ".sft1", k);
            conv1 = new Conv2d(p, name + ".conv1", k, k, 3, 1, 1, 1, false);
            sft2 = new Sft(p, name + ".sft2", k);
            conv2 = new Conv2d(p, name + ".conv2", k, k, 3, 1, 1, 1, false);
        }

        NDArray forward(NDArray x, NDArray embedding, Function<NDArray, NDArray> randomPlane) {
            NDArray y = conv1.forward(NoiseEncoder.lrelu(sft1.forward(x, embedding, randomPlane)));
            return x.add(conv2.forward(NoiseEncoder.lrelu(sft2.forward(y, embedding, randomPlane))));
        }
    }
}
