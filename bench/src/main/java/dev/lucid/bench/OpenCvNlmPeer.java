package dev.lucid.bench;

import dev.lucid.Progress;
import dev.lucid.degrade.NoiseLevel;
import dev.lucid.image.Image;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.model.ModelCard;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.photo.Photo;
import java.util.Set;

/**
 * OpenCV's fast non-local means ({@code fastNlMeansDenoisingColored}, 7×7 patches, 21×21 search) as a
 * peer. OpenCV takes 8-bit input, so the noisy image is rounded and clipped first. The filter strength is
 * h = hPerSigma · σ, with σ from the guidance or estimated from the image.
 */
final class OpenCvNlmPeer implements Restorer {

    /** h per unit σ; 0.6 is the best single factor on CBSD68 σ=15..50 in our runs (see bench/). */
    static final double DEFAULT_H_PER_SIGMA = 0.6;

    private static volatile boolean loaded;
    private final double hPerSigma;

    OpenCvNlmPeer(double hPerSigma) {
        this.hPerSigma = hPerSigma;
        loadNative();
    }

    private static synchronized void loadNative() {
        if (!loaded) {
            nu.pattern.OpenCV.loadLocally();
            loaded = true;
        }
    }

    @Override
    public Image restore(Image input, Guidance guidance, Progress progress) {
        int w = input.width(), h = input.height(), n = w * h;
        double sigma = guidance.sigma() != null ? guidance.sigma() : NoiseLevel.estimate(input);
        float strength = (float) Math.max(1.0, hPerSigma * sigma);
        boolean gray = input.channels() == 1;
        Mat src = new Mat(h, w, gray ? CvType.CV_8UC1 : CvType.CV_8UC3), dst = new Mat();
        byte[] bytes = new byte[n * input.channels()];
        int[] order = gray ? new int[] {0} : new int[] {2, 1, 0}; // OpenCV is BGR
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < order.length; k++) bytes[i * order.length + k] = (byte) Math.round(Math.min(1f, Math.max(0f, input.plane(order[k])[i])) * 255);
        }
        src.put(0, 0, bytes);
        progress.begin("non-local means", 1);
        if (gray) Photo.fastNlMeansDenoising(src, dst, strength, 7, 21);
        else Photo.fastNlMeansDenoisingColored(src, dst, strength, strength, 7, 21);
        progress.advance(1);
        dst.get(0, 0, bytes);
        src.release();
        dst.release();
        float[][] out = new float[input.channels()][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < order.length; k++) out[order[k]][i] = (bytes[i * order.length + k] & 0xff) / 255f;
        }
        return input.withPlanes(out);
    }

    @Override
    public Set<Guidance.Kind> accepts() { return Set.of(Guidance.Kind.NOISE_LEVEL); }

    @Override
    public ModelCard card() {
        return Peers.card("opencv-nlm", String.format(java.util.Locale.ROOT, "OpenCV fast non-local means, h = %.2f·σ (σ given or estimated)", hPerSigma));
    }

    @Override
    public void close() {}
}
