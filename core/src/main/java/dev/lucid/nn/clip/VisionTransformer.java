package dev.lucid.nn.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.lucid.nn.Conv2d;
import dev.lucid.nn.LayerNorm;
import dev.lucid.nn.Parameters;

/** CLIP's ViT image tower: patch conv, class token, positional embedding, pre-LN transformer, ln_post, proj. */
final class VisionTransformer {

    private final Conv2d patches;
    private final NDArray classEmbedding, positionalEmbedding, proj;
    private final LayerNorm lnPre, lnPost;
    private final Transformer transformer;
    private final int width;

    VisionTransformer(Parameters p, ClipConfig c) {
        width = c.visionWidth();
        int patch = c.visionPatchSize(), grid = c.imageResolution() / patch;
        double scale = Math.pow(width, -0.5);
        patches = new Conv2d(p, "visual.conv1", 3, width, patch, patch, 0, 1, false);
        classEmbedding = p.uniform("visual.class_embedding", new Shape(width), scale);
        positionalEmbedding = p.uniform("visual.positional_embedding", new Shape((long) grid * grid + 1, width), scale);
        lnPre = new LayerNorm(p, "visual.ln_pre", width);
        transformer = new Transformer(p, "visual.transformer", width, c.visionLayers()[0], c.visionHeads());
        lnPost = new LayerNorm(p, "visual.ln_post", width);
        proj = p.uniform("visual.proj", new Shape(width, c.embedDim()), scale);
    }

    /** image [N, 3, R, R], normalised → [N, embed]. */
    NDArray forward(NDArray image) {
        NDArray x = patches.forward(image);                               // [N, width, g, g]
        long n = x.getShape().get(0);
        x = x.reshape(n, width, -1).transpose(0, 2, 1);                    // [N, g², width]
        NDArray cls = image.getManager().zeros(new Shape(n, 1, width)).add(classEmbedding);
        x = NDArrays.concat(new NDList(cls, x), 1).add(positionalEmbedding);
        x = lnPre.forward(x).transpose(1, 0, 2);                           // [L, N, width]
        x = transformer.forward(x, null).transpose(1, 0, 2);
        NDArray first = x.get(":, 0, :");
        return lnPost.forward(first).matMul(proj);
    }
}
