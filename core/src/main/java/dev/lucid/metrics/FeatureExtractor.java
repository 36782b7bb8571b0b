package dev.lucid.metrics;

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
import dev.lucid.image.Image;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A user-supplied TorchScript feature network for FID (e.g. pytorch-fid's InceptionV3 exported with
 * torch.jit): {@code forward(x)} takes [1, 3, H, W] RGB in [0, 1] (the network resizes and normalises as it
 * was trained to) and returns [1, D] or [1, D, 1, 1]. The Inception weights are not available offline.
 */
public final class FeatureExtractor implements AutoCloseable {

    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    public FeatureExtractor(Path torchScript) throws IOException {
        try {
            model = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(torchScript).optEngine("PyTorch").build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IOException("cannot load the FID feature network " + torchScript + ": " + e.getMessage(), e);
        }
        predictor = model.newPredictor();
    }

    public double[] features(Image image) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            int n = (int) image.pixels();
            float[] chw = new float[3 * n];
            for (int c = 0; c < 3; c++) System.arraycopy(image.plane(Math.min(c, image.channels() - 1)), 0, chw, c * n, n);
            NDList out = predictor.predict(new NDList(scope.create(chw, new Shape(1, 3, image.height(), image.width()))));
            NDArray f = out.singletonOrThrow();
            float[] v = f.toFloatArray();
            out.close();
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            return d;
        } catch (TranslateException e) {
            throw new IllegalStateException("FID feature network failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
