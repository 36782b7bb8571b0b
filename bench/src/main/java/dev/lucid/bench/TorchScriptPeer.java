package dev.lucid.bench;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.lucid.Progress;
import dev.lucid.degrade.NoiseLevel;
import dev.lucid.image.Image;
import dev.lucid.image.TileModel;
import dev.lucid.image.Tiler;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.model.ModelCard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A peer denoiser stored as TorchScript (CDnCNN-B, FFDNet from shared/weights): float32 NCHW RGB in
 * [0, 1]; non-blind models also take σ/255 as a [N,1,1,1] tensor, from the guidance or estimated from
 * the whole image. Runs over tiles like every restorer.
 */
final class TorchScriptPeer implements Restorer {

    private final String name;
    private final String description;
    private final boolean needsSigma;
    private final int sizeMultiple;
    private final Tiler.Settings tiling;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    TorchScriptPeer(String name, String description, Path file, boolean needsSigma, int sizeMultiple, Tiler.Settings tiling) throws IOException {
        this.name = name;
        this.description = description;
        this.needsSigma = needsSigma;
        this.sizeMultiple = sizeMultiple;
        this.tiling = tiling;
        try {
            this.model = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(file)
                    .optEngine("PyTorch").optOption("mapLocation", "true").build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IOException("cannot load peer " + name + " from " + file + ": " + e.getMessage(), e);
        }
        this.predictor = model.newPredictor();
    }

    @Override
    public Image restore(Image input, Guidance guidance, Progress progress) {
        float sigma = (float) ((guidance.sigma() != null ? guidance.sigma() : NoiseLevel.estimate(input)) / 255.0);
        return Tiler.restore(input, tileModel(sigma), tiling, progress);
    }

    private TileModel tileModel(float sigma) {
        return new TileModel() {
            @Override
            public float[] apply(float[] batch, int n, int c, int h, int w) {
                try (NDManager scope = model.getNDManager().newSubManager()) {
                    NDList in = new NDList(scope.create(batch, new Shape(n, c, h, w)));
                    if (needsSigma) in.add(scope.full(new Shape(n, 1, 1, 1), sigma));
                    NDList result = predictor.predict(in);
                    NDArray y = result.singletonOrThrow();
                    float[] values = y.toFloatArray();
                    result.close();
                    return values;
                } catch (TranslateException e) {
                    throw new IllegalStateException(name + " failed: " + e.getMessage(), e);
                }
            }

            @Override
            public int sizeMultiple() { return sizeMultiple; }
        };
    }

    @Override
    public Set<Guidance.Kind> accepts() { return needsSigma ? Set.of(Guidance.Kind.NOISE_LEVEL) : Set.of(); }

    @Override
    public ModelCard card() { return Peers.card(name, description); }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
