package dev.lucid.method.clipdenoise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.degrade.Degradation;
import dev.lucid.nn.Conv2d;
import dev.lucid.nn.ImageNetwork;
import dev.lucid.nn.Parameters;
import dev.lucid.nn.UNet;
import dev.lucid.nn.clip.ClipModel;
import dev.lucid.nn.clip.ModifiedResNet;
import dev.lucid.nn.torch.StateDicts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CLIPDenoising (Cheng et al., CVPR 2024; seed 001): a ResNet image encoder (CLIP's ModifiedResNet trunk —
 * stem, layers 1–3 — named "visual.*" so CLIP RN50 weights load by name) whose dense features at 1/2, 1/4,
 * 1/8 and 1/16 feed a learnable UNet-style decoder, the noisy image joining at full resolution. With
 * {@code frozen} the encoder is not trained. During training, progressive feature augmentation multiplies
 * feature level i (i = 1..4) by (1 + N(0, (i·a)²)) element-wise, so the decoder cannot over-fit the exact
 * features of the training noise. Deviations for a CPU budget: narrower decoder, pixel-shuffle instead of
 * bilinear up-sampling, and a global residual (the decoder predicts the correction to the noisy image).
 */
public final class ClipDenoiseNet implements ImageNetwork {

    private static final String ENCODER = "visual.";

    private final ModifiedResNet encoder;
    private final boolean frozen;
    private final double augmentation;
    private final List<Conv2d> lateral = new ArrayList<>();     // 1×1 projections of the four taps
    private final List<Conv2d[]> blocks = new ArrayList<>();    // per level: two 3×3 convs, deepest first
    private final List<Conv2d> ups = new ArrayList<>();
    private final Conv2d fullRes, ending;
    private final NDArray mean, std;
    private final long macsPerPixel;

    public ClipDenoiseNet(Parameters p, JsonNode spec) {
        int width = spec.path("encoder_width").asInt(64);
        JsonNode l = spec.path("encoder_layers");
        int[] layers = l.isArray() ? new int[] {l.get(0).asInt(), l.get(1).asInt(), l.get(2).asInt(), 0} : new int[] {3, 4, 6, 0};
        int d = spec.path("decoder_width").asInt(32);
        this.frozen = spec.path("frozen").asBoolean(true);
        this.augmentation = spec.path("feature_augmentation").asDouble(0.025);
        encoder = ModifiedResNet.trunk(p, width, layers, 3);
        int[] tapChannels = {width, 4 * width, 8 * width, 16 * width};   // stem, layer1, layer2, layer3
        int[] levelChannels = {d, d, 2 * d, 4 * d};                        // decoder widths at 1/2 … 1/16
        double macs = 0;
        double[] scale = {1 / 4.0, 1 / 16.0, 1 / 64.0, 1 / 256.0};
        for (int i = 0; i < 4; i++) {
            Conv2d c = new Conv2d(p, "decoder.lateral." + i, tapChannels[i], levelChannels[i], 1);
            lateral.add(c);
            macs += c.macsPerOutputPixel * scale[i];
        }
        for (int i = 3; i >= 0; i--) {
            int in = i == 3 ? levelChannels[3] : 2 * levelChannels[i];
            Conv2d a = new Conv2d(p, "decoder.blocks." + i + ".0", in, levelChannels[i], 3);
            Conv2d b = new Conv2d(p, "decoder.blocks." + i + ".1", levelChannels[i], levelChannels[i], 3);
            blocks.add(new Conv2d[] {a, b});
            macs += (a.macsPerOutputPixel + b.macsPerOutputPixel) * scale[i];
            int next = i == 0 ? d : levelChannels[i - 1];
            Conv2d up = new Conv2d(p, "decoder.ups." + i, levelChannels[i], 4 * next, 1);
            ups.add(up);
            macs += up.macsPerOutputPixel * scale[i];
        }
        fullRes = new Conv2d(p, "decoder.full", d + 3, d, 3);
        ending = new Conv2d(p, "decoder.ending", d, 3, 3);
        this.macsPerPixel = Math.round(macs + fullRes.macsPerOutputPixel + ending.macsPerOutputPixel) + encoderMacs(width, layers);
        NDManager m = p.manager();
        mean = m.create(ClipModel.MEAN, new Shape(1, 3, 1, 1));
        std = m.create(ClipModel.STD, new Shape(1, 3, 1, 1));
        if (spec.hasNonNull("encoder_weights")) {
            Path weights = Path.of(spec.get("encoder_weights").asText());
            try (NDManager scratch = m.newSubManager()) {
                p.loadPart(StateDicts.read(weights, scratch), ENCODER);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read encoder weights " + weights + ": " + e.getMessage(), e);
            }
        }
    }

    /** Rough count of the trunk's convolutions (stem and bottlenecks), for the card. */
    private static long encoderMacs(int w, int[] layers) {
        double macs = (3 * (w / 2) * 9 + (w / 2) * (w / 2) * 9 + (w / 2) * w * 9) / 4.0;
        double scale = 1 / 16.0;
        int in = w;
        for (int s = 0; s < 3; s++) {
            int planes = w << s;
            for (int b = 0; b < layers[s]; b++) {
                macs += (in * planes + planes * planes * 9.0 + planes * 4.0 * planes) * scale;
                in = planes * 4;
            }
            scale /= 4;
        }
        return Math.round(macs);
    }

    @Override
    public NDArray forward(NDArray x) { return run(x, null); }

    @Override
    public NDArray forwardTraining(NDArray x, SplittableRandom rng) { return run(x, rng); }

    private NDArray run(NDArray x, SplittableRandom augment) {
        ModifiedResNet.Features f = encoder.features(x.sub(mean).div(std));
        NDArray[] taps = {f.stem(), f.layer1(), f.layer2(), f.layer3()};
        NDArray h = null;
        for (int k = 0; k < 4; k++) {
            int level = 3 - k;
            NDArray tap = taps[level];
            if (augment != null && augmentation > 0) tap = tap.mul(multiplicativeNoise(tap, (level + 1) * augmentation, augment));
            NDArray lat = lateral.get(level).forward(tap);
            h = h == null ? lat : NDArrays.concat(new NDList(h, lat), 1);
            Conv2d[] b = blocks.get(k);
            h = leaky(b[1].forward(leaky(b[0].forward(h))));
            h = UNet.pixelShuffle(ups.get(k).forward(h));
        }
        h = leaky(fullRes.forward(NDArrays.concat(new NDList(h, x), 1)));
        return x.add(ending.forward(h));
    }

    /** 1 + N(0, σ²) element-wise, drawn from the training step's generator. */
    private static NDArray multiplicativeNoise(NDArray like, double sigma, SplittableRandom rng) {
        float[] v = new float[Math.toIntExact(like.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) (1 + sigma * Degradation.gaussian(rng));
        return like.getManager().create(v, like.getShape());
    }

    private static NDArray leaky(NDArray x) { return Activation.leakyRelu(x, 0.2f); }

    /** Frozen encoder; BatchNorm running statistics are buffers and never trained (inference-mode BN throughout). */
    @Override
    public boolean isTrainable(String parameterName) {
        if (parameterName.endsWith(".running_mean") || parameterName.endsWith(".running_var") || parameterName.endsWith(".num_batches_tracked")) {
            return false;
        }
        return !(frozen && parameterName.startsWith(ENCODER));
    }

    @Override
    public int channels() { return 3; }

    @Override
    public int sizeMultiple() { return 16; }

    @Override
    public long macsPerPixel() { return macsPerPixel; }
}
