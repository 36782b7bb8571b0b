package dev.lucid.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import dev.lucid.image.Image;
import dev.lucid.nn.Conv2d;
import dev.lucid.nn.Parameters;
import dev.lucid.nn.torch.StateDicts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * LPIPS v0.1 with the AlexNet backbone (Zhang et al. 2018), computed as the {@code lpips} package does:
 * inputs scaled to [−1, 1] and shifted/scaled per channel, relu1..relu5 features normalised over channels,
 * squared differences weighted by the v0.1 linear heads (shipped, BSD-2), averaged over space, summed over
 * layers. The ImageNet AlexNet weights are not available offline: the user supplies them (torchvision's
 * {@code features.*} state_dict as a PyTorch archive or safetensors). Lower is more similar.
 */
public final class Lpips implements AutoCloseable {

    private static final int[][] CONVS = {{3, 64, 11, 4, 2}, {64, 192, 5, 1, 2}, {192, 384, 3, 1, 1}, {384, 256, 3, 1, 1}, {256, 256, 3, 1, 1}};
    private static final String[] NAMES = {"features.0", "features.3", "features.6", "features.8", "features.10"};
    private static final float[] SHIFT = {-.030f, -.088f, -.188f};
    private static final float[] SCALE = {.458f, .448f, .450f};

    private final NDManager manager = NDManager.newBaseManager();
    private final Parameters params = new Parameters(manager, 0);
    private final Conv2d[] convs = new Conv2d[5];
    private final NDArray[] heads = new NDArray[5];

    /** AlexNet weights by name (features.0.weight ... features.10.bias); extra keys (classifier.*) are ignored. */
    public Lpips(NDList alexnet) throws IOException {
        for (int i = 0; i < 5; i++) {
            int[] c = CONVS[i];
            convs[i] = new Conv2d(params, NAMES[i], c[0], c[1], c[2], c[3], c[4], 1, true);
        }
        NDList features = new NDList();
        for (NDArray a : alexnet) if (a.getName().startsWith("features.")) features.add(a);
        try {
            params.load(features);
        } catch (IllegalArgumentException e) {
            close();
            throw new IOException("not AlexNet features weights: " + e.getMessage(), e);
        }
        try (InputStream in = Lpips.class.getResourceAsStream("lpips_alex_lin_v0.1.npz")) {
            readHeads(in);
        }
    }

    /** Loads the AlexNet backbone from a file the user supplies. */
    public static Lpips load(Path alexnetWeights) throws IOException {
        try (NDManager scratch = NDManager.newBaseManager()) {
            return new Lpips(StateDicts.read(alexnetWeights, scratch));
        }
    }

    /** LPIPS distance of two images of the same size (colour planes in [0, 1]; gray is replicated). */
    public double distance(Image a, Image b) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray[] fa = features(tensor(a, scope)), fb = features(tensor(b, scope));
            double total = 0;
            for (int k = 0; k < 5; k++) {
                NDArray d = fa[k].sub(fb[k]).square();
                total += d.mul(heads[k]).sum(new int[] {1}).mean().getFloat();
            }
            return total;
        }
    }

    private NDArray[] features(NDArray x) {
        NDArray[] out = new NDArray[5];
        for (int k = 0; k < 5; k++) {
            if (k == 1 || k == 2) x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), false);
            x = Activation.relu(convs[k].forward(x));
            out[k] = x.div(x.square().sum(new int[] {1}, true).sqrt().add(1e-10f));
        }
        return out;
    }

    private static NDArray tensor(Image img, NDManager scope) {
        int n = (int) img.pixels();
        float[] chw = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            float[] p = img.plane(Math.min(c, img.channels() - 1));
            for (int i = 0; i < n; i++) chw[c * n + i] = ((2 * p[i] - 1) - SHIFT[c]) / SCALE[c];
        }
        return scope.create(chw, new Shape(1, 3, img.height(), img.width()));
    }

    /** Reads lin0..lin4 (float32 .npy files inside the .npz) as [1, C, 1, 1] weights. */
    private void readHeads(InputStream npz) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(npz)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                int k = Integer.parseInt(e.getName().replaceAll("\\D", ""));
                float[] v = dev.lucid.image.Npy.read(zip.readAllBytes(), e.getName()).data();
                heads[k] = manager.create(v, new Shape(1, v.length, 1, 1));
            }
        }
    }

    @Override
    public void close() { manager.close(); }
}
