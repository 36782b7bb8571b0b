package dev.lucid.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lucid.Progress;
import dev.lucid.image.Image;
import dev.lucid.image.TileModel;
import dev.lucid.image.Tiler;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.nn.Architectures;
import dev.lucid.nn.ImageNetwork;
import dev.lucid.nn.Parameters;
import java.io.IOException;

/**
 * A single-pass network restorer: the network runs over overlapping tiles of the image. Gray images run
 * as three equal channels through an RGB network and are averaged back; alpha passes through untouched.
 */
public final class NetworkRestorer implements Restorer {

    private final ModelCard card;
    private final NDManager manager;
    private final Parameters parameters;
    private final ImageNetwork network;
    private final Tiler.Settings tiling;

    public NetworkRestorer(ModelFiles.Source source, Tiler.Settings tiling) throws IOException {
        this.card = source.card();
        this.tiling = tiling;
        this.manager = NDManager.newBaseManager();
        try {
            this.parameters = new Parameters(manager, 0);
            this.network = Architectures.build(parameters, card.architecture());
            try (NDManager scratch = manager.newSubManager()) {
                parameters.load(source.decodeWeights(scratch));
            }
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw new IOException("cannot load model " + source.location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelCard card() { return card; }

    public ImageNetwork network() { return network; }

    @Override
    public Image restore(Image input, Guidance guidance, Progress progress) {
        int c = network.channels();
        float[][] planes = new float[c][];
        for (int i = 0; i < c; i++) planes[i] = input.plane(Math.min(i, input.channels() - 1));
        float[][] out = Tiler.run(planes, input.width(), input.height(), tileModel(), tiling, progress);
        if (input.channels() == 1 && c == 3) {
            float[] gray = out[0];
            for (int p = 0; p < gray.length; p++) gray[p] = (out[0][p] + out[1][p] + out[2][p]) / 3f;
            out = new float[][] {gray};
        }
        for (float[] plane : out) {
            for (int p = 0; p < plane.length; p++) plane[p] = Math.min(1f, Math.max(0f, plane[p]));
        }
        return input.withPlanes(out);
    }

    /** The network as a {@link TileModel}; every batch lives in its own scoped manager. */
    public TileModel tileModel() {
        return new TileModel() {
            @Override
            public float[] apply(float[] batch, int n, int channels, int height, int width) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(batch, new Shape(n, channels, height, width));
                    return network.forward(x).toFloatArray();
                }
            }

            @Override
            public int sizeMultiple() { return network.sizeMultiple(); }
        };
    }

    /** The weights as a named list (for export). */
    public NDList weights() { return parameters.toNDList(); }

    @Override
    public void close() { manager.close(); }
}
