package dev.lucid.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Pixel-shuffle down-sampling (PD, Zhou et al. 2020; AP-BSN, Lee et al. 2022): an image split into s² sub-images,
 * sub-image (a, b) holding the pixels (a + s·x, b + s·y). Real sRGB noise is correlated between neighbouring pixels
 * after demosaicing; in the sub-images neighbours are s pixels apart, where it nearly is not, so a denoiser made
 * for pixel-independent noise removes it there. {@link #merge} puts the restored sub-images back, after
 * sharing their low band when they were restored separately ({@link #mergeRestored}).
 */
public final class PixelShuffle {

    /**
     * The radius of the box below whose scale restored sub-images share one low band ({@link #mergeRestored}).
     * Chosen on the 8 held-out CBSD432 photos with strong synthetic phone noise (seed 100), lucid-real at stride 2:
     * 24.45 dB without, 24.44 / 24.49 / 24.50 / 24.51 / 24.51 / 24.51 at radius 1 / 2 / 3 / 4 / 6 / 8 (the smallest of
     * the best). The SIDD sample, measured once after: 32.05 → 32.21 dB.
     */
    public static final int SHARED_BAND_RADIUS = 4;

    private PixelShuffle() {}

    /** The s² sub-images in order (a, b) = (0, 0), (1, 0), …, with alpha, depth and metadata kept; sizes ⌈(W − a)/s⌉ × ⌈(H − b)/s⌉. */
    public static List<Image> split(Image image, int s) {
        List<Image> out = new ArrayList<>(s * s);
        for (int b = 0; b < s; b++) {
            for (int a = 0; a < s; a++) {
                int w = (image.width() - a + s - 1) / s, h = (image.height() - b + s - 1) / s;
                if (w < 1 || h < 1) throw new IllegalArgumentException("an image of " + image.width() + "x" + image.height() + " is too small to split by " + s);
                float[][] planes = new float[image.channels()][];
                for (int c = 0; c < planes.length; c++) planes[c] = gather(image.plane(c), image.width(), a, b, s, w, h);
                float[] alpha = image.hasAlpha() ? gather(image.alpha(), image.width(), a, b, s, w, h) : null;
                out.add(new Image(w, h, planes, alpha, image.bitDepth(), image.encoding(), image.sourceFormat(), image.raw()));
            }
        }
        return out;
    }

    /** The image of {@code like}'s size (and its alpha and metadata) whose sub-images are {@code parts}, in {@link #split}'s order. */
    public static Image merge(List<Image> parts, int s, Image like) {
        int width = like.width();
        float[][] planes = new float[parts.get(0).channels()][like.width() * like.height()];
        for (int b = 0, k = 0; b < s; b++) {
            for (int a = 0; a < s; a++, k++) {
                Image part = parts.get(k);
                for (int c = 0; c < planes.length; c++) {
                    float[] src = part.plane(c);
                    for (int y = 0; y < part.height(); y++) {
                        for (int x = 0; x < part.width(); x++) planes[c][(b + s * y) * width + a + s * x] = src[y * part.width() + x];
                    }
                }
            }
        }
        return like.withPlanes(planes);
    }

    /**
     * The image of {@code like}'s size whose sub-images are {@code parts}, each restored on its own: merged after
     * {@link #shareLowBand} at {@link #SHARED_BAND_RADIUS}. Every restoration at a stride above 1 ends here.
     */
    public static Image mergeRestored(List<Image> parts, int s, Image like) {
        return merge(shareLowBand(parts, SHARED_BAND_RADIUS), s, like);
    }

    /**
     * The sub-images (in {@link #split}'s order, so the first is the largest) with one low band: each keeps its own detail above the scale of a (2r + 1)² box and takes, below it,
     * the mean of all the sub-images' box means. Why: a camera's noise after demosaicing differs from Bayer site to
     * Bayer site, and at stride 2 each sub-image holds one site's pixels; what a denoiser leaves of each site's slow
     * noise differs between the sub-images and, merged, becomes a regular dot pattern at s-pixel pitch. The image
     * itself barely differs between neighbouring pixels at that scale (the sub-images are a pixel apart), so sharing
     * the band removes the pattern and little else. The sub-images of a side not divisible by s differ by one row or column; one that lacks the
     * last lends its band's nearest value there.
     */
    public static List<Image> shareLowBand(List<Image> parts, int r) {
        int w = parts.get(0).width(), h = parts.get(0).height(), channels = parts.get(0).channels();
        List<float[][]> planes = new ArrayList<>(parts.size());
        for (Image part : parts) planes.add(new float[channels][]);
        for (int c = 0; c < channels; c++) {
            double[] mean = new double[w * h];
            for (Image part : parts) {
                int pw = part.width(), ph = part.height();
                double[] band = lowBand(part, c, r);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) mean[y * w + x] += band[Math.min(y, ph - 1) * pw + Math.min(x, pw - 1)] / parts.size();
                }
            }
            for (int k = 0; k < parts.size(); k++) {      // each band again rather than all kept: a 24 MP photo's are 200 MB
                Image part = parts.get(k);
                float[] src = part.plane(c), out = new float[src.length];
                double[] band = lowBand(part, c, r);
                for (int y = 0; y < part.height(); y++) {
                    for (int x = 0; x < part.width(); x++) {
                        int i = y * part.width() + x;
                        out[i] = (float) (src[i] - band[i] + mean[y * w + x]);
                    }
                }
                planes.get(k)[c] = out;
            }
        }
        List<Image> out = new ArrayList<>(parts.size());
        for (int k = 0; k < parts.size(); k++) out.add(parts.get(k).withPlanes(planes.get(k)));
        return out;
    }

    /** The box mean of a sub-image's plane c at radius r. */
    private static double[] lowBand(Image part, int c, int r) {
        float[] plane = part.plane(c);
        double[] v = new double[plane.length];
        for (int i = 0; i < v.length; i++) v[i] = plane[i];
        return BoxMean.of(v, part.width(), part.height(), r);
    }

    private static float[] gather(float[] plane, int width, int a, int b, int s, int w, int h) {
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) out[y * w + x] = plane[(b + s * y) * width + a + s * x];
        return out;
    }
}
