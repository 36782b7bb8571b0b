package dev.lucid.method.etdiffir;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.lucid.nn.Linear;
import dev.lucid.nn.Parameters;
import dev.lucid.text.CaptionBatch;

/**
 * ETDiffIR's text–image fusion block (TIFB): the caption embedding (a learned null embedding for samples without a
 * caption) and the degradation reading (features, our encoder's or DA-CLIP's embedding, and task probabilities) are
 * concatenated into the prompt, which ERUNet projects and adds to its time embedding; each is also projected to one
 * token of the context the bottom cross-attention reads.
 */
final class TextImageFusion {

    private final int textDim, featureDim, tasks;
    private final NDArray nullCaption;
    private final Linear captionToken, degradationToken;

    TextImageFusion(Parameters p, String name, int textDim, int featureDim, int tasks, int contextDim) {
        this.textDim = textDim;
        this.featureDim = featureDim;
        this.tasks = tasks;
        // small random start so an untrained null differs from a zero caption; caption dropout trains it
        nullCaption = p.uniform(name + ".caption_null", new Shape(1, textDim), 0.02);
        captionToken = new Linear(p, name + ".caption_token", textDim, contextDim, true);
        degradationToken = new Linear(p, name + ".degradation_token", featureDim + tasks, contextDim, true);
    }

    int promptDim() { return textDim + featureDim + tasks; }

    /** The fused conditioning of one batch. */
    record Prompt(NDArray vector, NDArray context) {}

    /**
     * @param captions    the caption embeddings [N, textDim] (samples without a caption get the null embedding)
     * @param features    [N, featureDim] degradation features
     * @param probability [N, tasks] task probabilities (one-hot when the task is given)
     */
    Prompt fuse(CaptionBatch captions, NDArray features, NDArray probability) {
        NDArray caption = captions.withNull(nullCaption);
        NDArray degradation = NDArrays.concat(new NDList(features, probability), 1);
        NDArray context = NDArrays.stack(new NDList(captionToken.forward(caption), degradationToken.forward(degradation)), 1);
        return new Prompt(NDArrays.concat(new NDList(caption, degradation), 1), context);
    }
}
