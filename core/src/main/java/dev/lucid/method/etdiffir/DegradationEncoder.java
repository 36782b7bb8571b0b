package dev.lucid.method.etdiffir;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.lucid.nn.Conv2d;
import dev.lucid.nn.Linear;
import dev.lucid.nn.Parameters;
import java.util.List;

/**
 * ETDiffIR's image controller, our own: DA-CLIP's degradation-aware CLIP image embedding is not available offline,
 * so a small CNN learns the degradation from the synthetic training pairs. Four stride-2 3×3 convolutions (GELU),
 * then the mean and standard deviation of each feature plane (haze is a global veil, rain and noise are local
 * texture: both statistics matter), a 64-d degradation feature and one logit per task. Trained with its own
 * cross-entropy loss and optimiser; the restorer reads its features and task probabilities without
 * back-propagating into it, as ETDiffIR reads the frozen DA-CLIP controller.
 */
final class DegradationEncoder {

    static final int FEATURES = 64;
    private static final int WIDTH = 32;

    /** What the controller says about a batch: features [N, 64] and task logits [N, tasks]. */
    record Reading(NDArray features, NDArray logits) {
        NDArray probabilities() { return logits.softmax(1); }
    }

    private final List<Conv2d> convs;
    private final Linear feature, classify;

    DegradationEncoder(Parameters p, String name, int channels, int tasks) {
        convs = List.of(
                new Conv2d(p, name + ".conv.0", channels, WIDTH, 3, 2, 1, 1, true),
                new Conv2d(p, name + ".conv.1", WIDTH, 2 * WIDTH, 3, 2, 1, 1, true),
                new Conv2d(p, name + ".conv.2", 2 * WIDTH, 2 * WIDTH, 3, 2, 1, 1, true),
                new Conv2d(p, name + ".conv.3", 2 * WIDTH, 2 * WIDTH, 3, 2, 1, 1, true));
        feature = new Linear(p, name + ".feature", 4 * WIDTH, FEATURES, true);
        classify = new Linear(p, name + ".classify", FEATURES, tasks, true);
    }

    Reading read(NDArray image) {
        NDArray h = image;
        for (Conv2d c : convs) h = Activation.gelu(c.forward(h));
        Shape s = h.getShape();
        NDArray flat = h.reshape(s.get(0), s.get(1), -1);
        NDArray mean = flat.mean(new int[] {2});
        NDArray std = flat.sub(mean.expandDims(2)).square().mean(new int[] {2}).add(1e-6f).sqrt();
        NDArray f = Activation.gelu(feature.forward(NDArrays.concat(new NDList(mean, std), 1)));
        return new Reading(f, classify.forward(f));
    }

    /** Mean cross-entropy of the logits [N, tasks] against one-hot targets of the same shape. */
    static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }
}
