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
 *
 * <p>With an own task reader ({@code method.task_reader: own}) the logits come from a second trunk of the same shape
 * ({@code NAME.reader.*}) instead of the features the prompt reads: the reader can then learn degradations the
 * restorer was never taught (real camera noise) while the restorer's prompt stays exactly as it was trained.
 */
final class DegradationEncoder {

    static final int FEATURES = 64;
    private static final int WIDTH = 32;

    /** Convolutions, per-plane mean and deviation, one linear layer: a 64-d description of the degradation. */
    private static final class Trunk {
        private final List<Conv2d> convs;
        private final Linear feature;

        Trunk(Parameters p, String name, int channels) {
            convs = List.of(
                    new Conv2d(p, name + ".conv.0", channels, WIDTH, 3, 2, 1, 1, true),
                    new Conv2d(p, name + ".conv.1", WIDTH, 2 * WIDTH, 3, 2, 1, 1, true),
                    new Conv2d(p, name + ".conv.2", 2 * WIDTH, 2 * WIDTH, 3, 2, 1, 1, true),
                    new Conv2d(p, name + ".conv.3", 2 * WIDTH, 2 * WIDTH, 3, 2, 1, 1, true));
            feature = new Linear(p, name + ".feature", 4 * WIDTH, FEATURES, true);
        }

        NDArray features(NDArray image) {
            NDArray h = image;
            for (Conv2d c : convs) h = Activation.gelu(c.forward(h));
            Shape s = h.getShape();
            NDArray flat = h.reshape(s.get(0), s.get(1), -1);
            NDArray mean = flat.mean(new int[] {2});
            NDArray std = flat.sub(mean.expandDims(2)).square().mean(new int[] {2}).add(1e-6f).sqrt();
            return Activation.gelu(feature.forward(NDArrays.concat(new NDList(mean, std), 1)));
        }
    }

    private final Trunk prompt, reader;          // reader: null when the task is read from the prompt's features
    private final Linear classify;

    DegradationEncoder(Parameters p, String name, int channels, int tasks, boolean ownReader) {
        prompt = new Trunk(p, name, channels);
        reader = ownReader ? new Trunk(p, name + ".reader", channels) : null;
        classify = new Linear(p, name + (ownReader ? ".reader" : "") + ".classify", FEATURES, tasks, true);
    }

    /** The degradation features [N, 64] the restorer's prompt reads. */
    NDArray features(NDArray image) { return prompt.features(image); }

    /** One logit per task [N, tasks]. */
    NDArray taskLogits(NDArray image) {
        return classify.forward(reader == null ? prompt.features(image) : reader.features(image));
    }

    /** Mean cross-entropy of the logits [N, tasks] against one-hot targets of the same shape. */
    static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }
}
