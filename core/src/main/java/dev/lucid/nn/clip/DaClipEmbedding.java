package dev.lucid.nn.clip;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;

/**
 * DA-CLIP's degradation embedding of image crops, from a user's DA-CLIP weights ({@link ClipModel#loadDaClipController}):
 * each crop's centre square resized to the model's resolution (bicubic), normalised with CLIP's mean and deviation, the
 * controller's image embedding, L2-normalised as DA-CLIP's restorers read it. Frozen: no gradient flows into it.
 */
public final class DaClipEmbedding implements AutoCloseable {

    private final ClipModel controller;

    private DaClipEmbedding(ClipModel controller) {
        this.controller = controller;
    }

    /** {@code daclip:PATH}: the controller in the DA-CLIP checkpoint at PATH. */
    public static DaClipEmbedding of(String spec) {
        if (!spec.startsWith("daclip:")) throw new IllegalArgumentException("degradation_embedding must be own or daclip:PATH, got \"" + spec + "\"");
        try {
            return new DaClipEmbedding(ClipModel.loadDaClipController(Path.of(spec.substring("daclip:".length()))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the DA-CLIP weights of degradation_embedding \"" + spec + "\"", e);
        }
    }

    public int dimension() { return controller.config().embedDim(); }

    /** crops [N, 3, H, W] in [0, 1] → [N, dimension] unit vectors, in the crops' manager. */
    public NDArray embed(NDArray crops) {
        long n = crops.getShape().get(0), h = crops.getShape().get(2), w = crops.getShape().get(3), side = Math.min(h, w);
        int r = controller.config().imageResolution();
        float[] embedded;
        try (NDManager scope = controller.manager().newSubManager()) {
            NDArray square = scope.create(crops.toFloatArray(), crops.getShape())
                    .get(":, :, {}:{}, {}:{}", (h - side) / 2, (h - side) / 2 + side, (w - side) / 2, (w - side) / 2 + side);
            NDArray resized = NDImageUtils.resize(square.transpose(0, 2, 3, 1), r, r, Image.Interpolation.BICUBIC).transpose(0, 3, 1, 2);
            NDArray mean = scope.create(ClipModel.MEAN, new Shape(1, 3, 1, 1)), std = scope.create(ClipModel.STD, new Shape(1, 3, 1, 1));
            NDArray e = controller.encodeImage(resized.sub(mean).div(std));
            embedded = e.div(e.norm(new int[] {1}, true)).toFloatArray();
        }
        return crops.getManager().create(embedded, new Shape(n, dimension()));
    }

    @Override
    public void close() { controller.close(); }
}
