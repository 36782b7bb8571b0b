package dev.lucid.nn.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import dev.lucid.nn.BatchNorm2d;
import dev.lucid.nn.Conv2d;
import dev.lucid.nn.MultiheadAttention;
import dev.lucid.nn.Parameters;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's ResNet image tower: a 3-convolution stem with average pooling, four stages of anti-aliased
 * bottlenecks (stride done by average pooling before the last 1×1 convolution and in the shortcut), and an
 * attention pool over the final grid plus its mean token. {@link #features} exposes the dense taps that
 * CLIPDenoising feeds its decoder.
 */
public final class ModifiedResNet {

    /** The stem (before its pooling) and the four stage outputs, as the CLIPDenoising encoder taps them. */
    public record Features(NDArray stem, NDArray layer1, NDArray layer2, NDArray layer3, NDArray layer4) {}

    private final Conv2d conv1, conv2, conv3;
    private final BatchNorm2d bn1, bn2, bn3;
    private final List<List<Bottleneck>> stages = new ArrayList<>();
    private final NDArray positionalEmbedding;
    private final MultiheadAttention attention;

    ModifiedResNet(Parameters p, ClipConfig c) {
        this(p, c.visionWidth(), c.visionLayers(), 4, c);
    }

    /**
     * The stem and the first {@code stages} stages only, with CLIP's parameter names ("visual.*"), and no
     * attention pool: the dense trunk that CLIPDenoising taps.
     */
    public static ModifiedResNet trunk(Parameters p, int width, int[] layers, int stages) {
        return new ModifiedResNet(p, width, layers, stages, null);
    }

    private ModifiedResNet(Parameters p, int width, int[] layers, int stageCount, ClipConfig c) {
        conv1 = new Conv2d(p, "visual.conv1", 3, width / 2, 3, 2, 1, 1, false);
        bn1 = new BatchNorm2d(p, "visual.bn1", width / 2);
        conv2 = new Conv2d(p, "visual.conv2", width / 2, width / 2, 3, 1, 1, 1, false);
        bn2 = new BatchNorm2d(p, "visual.bn2", width / 2);
        conv3 = new Conv2d(p, "visual.conv3", width / 2, width, 3, 1, 1, 1, false);
        bn3 = new BatchNorm2d(p, "visual.bn3", width);
        int inplanes = width;
        for (int s = 0; s < stageCount; s++) {
            int planes = width << s, stride = s == 0 ? 1 : 2;
            List<Bottleneck> blocks = new ArrayList<>();
            for (int b = 0; b < layers[s]; b++) {
                blocks.add(new Bottleneck(p, "visual.layer" + (s + 1) + "." + b, inplanes, planes, b == 0 ? stride : 1));
                inplanes = planes * 4;
            }
            stages.add(blocks);
        }
        if (c != null) {
            int embed = width * 32, grid = c.imageResolution() / 32;
            positionalEmbedding = p.uniform("visual.attnpool.positional_embedding", new Shape((long) grid * grid + 1, embed), Math.pow(embed, -0.5));
            attention = new MultiheadAttention(p, "visual.attnpool.", "q_proj", "k_proj", "v_proj", "c_proj", embed, c.embedDim(), c.visionHeads());
        } else {
            positionalEmbedding = null;
            attention = null;
        }
    }

    public Features features(NDArray image) {
        NDArray x = Activation.relu(bn1.forward(conv1.forward(image)));
        x = Activation.relu(bn2.forward(conv2.forward(x)));
        NDArray stem = Activation.relu(bn3.forward(conv3.forward(x)));
        x = averagePool(stem, 2);
        NDArray[] taps = new NDArray[4];
        for (int s = 0; s < stages.size(); s++) {
            for (Bottleneck b : stages.get(s)) x = b.forward(x);
            taps[s] = x;
        }
        return new Features(stem, taps[0], taps[1], taps[2], taps[3]);   // stages not built stay null
    }

    /** image [N, 3, R, R], normalised → [N, embed]. */
    NDArray forward(NDArray image) {
        return attentionPool(features(image).layer4());
    }

    private NDArray attentionPool(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1);
        NDArray tokens = x.reshape(n, c, -1).transpose(2, 0, 1);                        // [HW, N, C]
        tokens = NDArrays.concat(new NDList(tokens.mean(new int[] {0}, true), tokens), 0);
        tokens = tokens.add(positionalEmbedding.reshape(positionalEmbedding.getShape().get(0), 1, c));
        NDArray query = tokens.get("0:1");
        return attention.forward(query, tokens, tokens, null).squeeze(0);
    }

    static NDArray averagePool(NDArray x, int k) {
        return Pool.avgPool2d(x, new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true);
    }

    /** The anti-aliased bottleneck: 1×1 → 3×3 → avg-pool(stride) → 1×1 (×4), shortcut pooled and projected. */
    private static final class Bottleneck {
        private final Conv2d conv1, conv2, conv3, down;
        private final BatchNorm2d bn1, bn2, bn3, downBn;
        private final int stride;

        Bottleneck(Parameters p, String name, int inplanes, int planes, int stride) {
            this.stride = stride;
            conv1 = new Conv2d(p, name + ".conv1", inplanes, planes, 1, 1, 0, 1, false);
            bn1 = new BatchNorm2d(p, name + ".bn1", planes);
            conv2 = new Conv2d(p, name + ".conv2", planes, planes, 3, 1, 1, 1, false);
            bn2 = new BatchNorm2d(p, name + ".bn2", planes);
            conv3 = new Conv2d(p, name + ".conv3", planes, planes * 4, 1, 1, 0, 1, false);
            bn3 = new BatchNorm2d(p, name + ".bn3", planes * 4);
            boolean project = stride > 1 || inplanes != planes * 4;
            down = project ? new Conv2d(p, name + ".downsample.0", inplanes, planes * 4, 1, 1, 0, 1, false) : null;
            downBn = project ? new BatchNorm2d(p, name + ".downsample.1", planes * 4) : null;
        }

        NDArray forward(NDArray x) {
            NDArray out = Activation.relu(bn1.forward(conv1.forward(x)));
            out = Activation.relu(bn2.forward(conv2.forward(out)));
            if (stride > 1) out = averagePool(out, stride);
            out = bn3.forward(conv3.forward(out));
            NDArray identity = x;
            if (down != null) identity = downBn.forward(down.forward(stride > 1 ? averagePool(x, stride) : x));
            return Activation.relu(out.add(identity));
        }
    }
}
