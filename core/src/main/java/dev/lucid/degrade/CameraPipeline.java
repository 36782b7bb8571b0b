package dev.lucid.degrade;

import dev.lucid.image.Matrix3;

import dev.lucid.image.Tiler;
import java.util.SplittableRandom;

/**
 * A synthetic camera: {@link #unprocess} takes sRGB to a linear Bayer mosaic, {@link #process} takes a
 * mosaic back to sRGB, so noise can be added where cameras add it (on raw), as in CBDNet and the sRGB
 * model of CLIPDenoising.
 *
 * <p>Stages (each with its exact inverse): tone curve (smoothstep of Brooks et al. 2019 and a gamma,
 * standing in for CBDNet's 201 measured response curves, which we do not have) → sRGB primaries to XYZ
 * → XYZ to camera RGB (a random convex mix of four cameras' matrices, rows normalised as CBDNet does) →
 * Bayer mosaic (RGGB, BGGR, GRBG or GBRG) → inverse white balance (red and blue scaled by [0.75, 1]).
 * Processing reverses them with bilinear demosaicing. Intermediate values are not clipped, so without
 * noise the round trip is exact up to demosaicing (exact on locally linear content).
 */
public final class CameraPipeline {

    /** XYZ → camera matrices of four cameras (row-major), from CBDNet's ISP. */
    private static final double[][] XYZ_TO_CAM = {
        {1.0234, -0.2969, -0.2266, -0.5625, 1.6328, -0.0469, -0.0703, 0.2188, 0.6406},
        {0.4913, -0.0541, -0.0202, -0.6130, 1.3513, 0.2906, -0.1564, 0.2151, 0.7183},
        {0.8380, -0.2630, -0.0639, -0.2887, 1.0725, 0.2496, -0.0627, 0.1427, 0.5438},
        {0.6596, -0.2079, -0.0562, -0.4782, 1.3016, 0.1933, -0.0970, 0.1581, 0.5181}};

    private static final double[] RGB_TO_XYZ = Matrix3.SRGB_TO_XYZ;

    /** Bayer patterns: colour index (0 R, 1 G, 2 B) at (y%2, x%2) positions 00, 01, 10, 11. */
    public static final int[][] PATTERNS = {{0, 1, 1, 2}, {2, 1, 1, 0}, {1, 0, 2, 1}, {1, 2, 0, 1}};
    public static final String[] PATTERN_NAMES = {"RGGB", "BGGR", "GRBG", "GBRG"};

    private final double gamma;
    private final double[] rgbToCam;   // 3x3, linear sRGB → camera RGB
    private final double[] camToRgb;   // its inverse
    private final int[] pattern;
    private final String patternName;
    private final double redGain, blueGain;

    public CameraPipeline(double gamma, double[] cameraMix, int patternIndex, double redGain, double blueGain) {
        this(gamma, patternIndex, redGain, blueGain, Matrix3.multiply(mixedXyzToCamera(cameraMix), RGB_TO_XYZ));
    }

    private CameraPipeline(double gamma, int patternIndex, double redGain, double blueGain, double[] rgbToCam) {
        this.gamma = gamma;
        this.rgbToCam = rgbToCam;
        this.camToRgb = Matrix3.invert(rgbToCam);
        this.pattern = PATTERNS[patternIndex];
        this.patternName = PATTERN_NAMES[patternIndex];
        this.redGain = redGain;
        this.blueGain = blueGain;
    }

    /** A mix of the four cameras' XYZ → camera matrices, each row scaled to sum to 1. */
    private static double[] mixedXyzToCamera(double[] cameraMix) {
        double[] xyzToCam = new double[9];
        double total = 0;
        for (double w : cameraMix) total += w;
        for (int k = 0; k < 4; k++) for (int i = 0; i < 9; i++) xyzToCam[i] += XYZ_TO_CAM[k][i] * cameraMix[k] / total;
        for (int r = 0; r < 3; r++) {
            double s = xyzToCam[3 * r] + xyzToCam[3 * r + 1] + xyzToCam[3 * r + 2];
            for (int c = 0; c < 3; c++) xyzToCam[3 * r + c] /= s;
        }
        return xyzToCam;
    }

    /**
     * The ISP of a raw image's camera as its {@link dev.lucid.image.RawInfo} describes it (CFA pattern, white balance,
     * camera → XYZ), with Brooks et al.'s generic tone (gamma 2.2 and smoothstep): what {@link #render} runs.
     */
    public static CameraPipeline of(dev.lucid.image.RawInfo raw) {
        double[] gains = raw.whiteBalance(), camToRgb = Matrix3.multiply(Matrix3.invert(RGB_TO_XYZ), raw.colourMatrix());
        int index = java.util.Arrays.asList(PATTERN_NAMES).indexOf(raw.cfaPattern());
        return new CameraPipeline(2.2, index, gains[1] / gains[0], gains[1] / gains[2], Matrix3.invert(camToRgb));
    }

    /**
     * A packed raw image (4 planes and its RawInfo) rendered to sRGB by {@link #of its camera's} ISP: white balance,
     * bilinear demosaicing, camera → linear sRGB, gamma and smoothstep. What a photographer sees of a raw denoiser's
     * output; not a raw converter's rendering.
     */
    public static dev.lucid.image.Image render(dev.lucid.image.Image packed) {
        dev.lucid.image.RawInfo raw = packed.raw();
        if (raw == null || packed.channels() != 4) throw new IllegalArgumentException("rendering needs a packed raw image (4 planes with raw metadata)");
        int w = 2 * packed.width(), h = 2 * packed.height(), plane = packed.width() * packed.height();
        float[] flat = new float[4 * plane];
        for (int p = 0; p < 4; p++) System.arraycopy(packed.plane(p), 0, flat, p * plane, plane);
        CameraPipeline camera = of(raw);
        float[] rgb = camera.process(camera.unpack(flat, h, w), h, w);
        float[][] planes = new float[3][];
        for (int c = 0; c < 3; c++) planes[c] = java.util.Arrays.copyOfRange(rgb, c * w * h, (c + 1) * w * h);
        return new dev.lucid.image.Image(w, h, planes, null, 16, dev.lucid.image.Image.Encoding.SRGB, packed.sourceFormat());
    }

    /**
     * The inverse of {@link #render}: an sRGB image (3 planes, even sides) taken back to the packed raw of the camera
     * {@code raw} describes, e.g. an sRGB denoiser's output to compare with the clean raw.
     */
    public static dev.lucid.image.Image unrender(dev.lucid.image.Image srgb, dev.lucid.image.RawInfo raw) {
        int w = srgb.width() & ~1, h = srgb.height() & ~1, n = w * h;
        float[] rgb = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) rgb[c * n + y * w + x] = srgb.get(Math.min(c, srgb.channels() - 1), x, y);
        }
        CameraPipeline camera = of(raw);
        float[] flat = camera.pack(camera.unprocess(rgb, h, w), h, w);
        float[][] planes = new float[4][];
        for (int p = 0; p < 4; p++) planes[p] = java.util.Arrays.copyOfRange(flat, p * n / 4, (p + 1) * n / 4);
        return new dev.lucid.image.Image(w / 2, h / 2, planes, null, 16, dev.lucid.image.Image.Encoding.LINEAR, "raw", raw);
    }

    /** A random camera: γ ∈ [2.0, 2.6], random matrix mix and pattern, inverse WB factors in [0.75, 1]. */
    public static CameraPipeline random(SplittableRandom rng) {
        double[] mix = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
        return new CameraPipeline(2.0 + 0.6 * rng.nextDouble(), mix, rng.nextInt(4),
                0.75 + 0.25 * rng.nextDouble(), 0.75 + 0.25 * rng.nextDouble());
    }

    /**
     * This camera as a DNG describes it, for a mosaic of values in [0, 1] stored between black level 512 and white
     * level 16 383 (a 14-bit camera's; the black offset keeps the negative read noise of dark pixels): its CFA
     * pattern, the white-balance gains that undo its inverse ones, and camera RGB → XYZ.
     */
    public dev.lucid.image.RawInfo rawInfo() {
        return new dev.lucid.image.RawInfo(patternName, 512, 16383, new double[] {1 / redGain, 1, 1 / blueGain}, Matrix3.multiply(RGB_TO_XYZ, camToRgb));
    }

    /** Noise added to a linear raw mosaic in place. */
    @FunctionalInterface
    public interface RawNoise {
        void addTo(float[] raw, SplittableRandom rng);
    }

    /**
     * Degrades sRGB samples (CHW, 1 or 3 channels, in place) through a random camera: unprocess to raw, add
     * {@code noise} there, process back. Gray input runs as three equal channels and is averaged back.
     */
    public static void noiseOnRaw(float[] chw, int channels, int height, int width, SplittableRandom rng, RawNoise noise) {
        noiseOnRaw(null, chw, channels, height, width, rng, noise);
    }

    /** As {@link #noiseOnRaw(float[], int, int, int, SplittableRandom, RawNoise)} through {@code camera} (null: a random one). */
    public static void noiseOnRaw(CameraPipeline given, float[] chw, int channels, int height, int width, SplittableRandom rng, RawNoise noise) {
        int n = height * width;
        float[] rgb = new float[3 * n];
        for (int c = 0; c < 3; c++) System.arraycopy(chw, Math.min(c, channels - 1) * n, rgb, c * n, n);
        CameraPipeline camera = given != null ? given : random(rng);
        float[] raw = camera.unprocess(rgb, height, width);
        noise.addTo(raw, rng);
        float[] out = camera.process(raw, height, width);
        if (channels == 3) {
            System.arraycopy(out, 0, chw, 0, 3 * n);
        } else {
            for (int i = 0; i < n; i++) chw[i] = (out[i] + out[n + i] + out[2 * n + i]) / 3f;
        }
    }

    /** sRGB planes (CHW, 3 channels) → linear raw mosaic (H×W). */
    public float[] unprocess(float[] rgb, int h, int w) {
        int n = h * w;
        float[] mosaic = new float[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int colour = colourAt(y, x);
                double r = linearise(rgb[i]), g = linearise(rgb[n + i]), b = linearise(rgb[2 * n + i]);
                double cam = rgbToCam[3 * colour] * r + rgbToCam[3 * colour + 1] * g + rgbToCam[3 * colour + 2] * b;
                mosaic[i] = (float) (cam * gainAt(colour));
            }
        }
        return mosaic;
    }

    /** Linear raw mosaic (H×W) → sRGB planes (CHW), clipped to [0, 1]. */
    public float[] process(float[] mosaic, int h, int w) {
        int n = h * w;
        float[] balanced = new float[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) balanced[y * w + x] = (float) (mosaic[y * w + x] / gainAt(colourAt(y, x)));
        }
        float[] cam = demosaic(balanced, h, w);
        float[] rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            double cr = cam[i], cg = cam[n + i], cb = cam[2 * n + i];
            for (int c = 0; c < 3; c++) {
                double v = camToRgb[3 * c] * cr + camToRgb[3 * c + 1] * cg + camToRgb[3 * c + 2] * cb;
                rgb[c * n + i] = (float) Math.min(1.0, Math.max(0.0, tone(v)));
            }
        }
        return rgb;
    }

    int colourAt(int y, int x) { return pattern[(y & 1) * 2 + (x & 1)]; }

    /**
     * Packs a Bayer mosaic (even H and W) into 4 half-resolution planes in the order R, G (red row),
     * G (blue row), B, whatever this camera's pattern — the layout raw denoisers such as Tell-Me take.
     */
    public float[] pack(float[] mosaic, int h, int w) {
        if (h % 2 != 0 || w % 2 != 0) throw new IllegalArgumentException("packing needs even sides, got " + w + "x" + h);
        int hh = h / 2, hw = w / 2, plane = hh * hw;
        float[] packed = new float[4 * plane];
        for (int p = 0; p < 4; p++) {
            int dy = offsets()[p] / 2, dx = offsets()[p] % 2;
            for (int y = 0; y < hh; y++) for (int x = 0; x < hw; x++) packed[p * plane + y * hw + x] = mosaic[(2 * y + dy) * w + 2 * x + dx];
        }
        return packed;
    }

    /** The inverse of {@link #pack}. */
    public float[] unpack(float[] packed, int h, int w) {
        int hh = h / 2, hw = w / 2, plane = hh * hw;
        float[] mosaic = new float[h * w];
        for (int p = 0; p < 4; p++) {
            int dy = offsets()[p] / 2, dx = offsets()[p] % 2;
            for (int y = 0; y < hh; y++) for (int x = 0; x < hw; x++) mosaic[(2 * y + dy) * w + 2 * x + dx] = packed[p * plane + y * hw + x];
        }
        return mosaic;
    }

    /** Positions (dy·2 + dx) of R, the green in R's row, the green in B's row, and B. */
    private int[] offsets() {
        int r = -1, b = -1;
        for (int i = 0; i < 4; i++) {
            if (pattern[i] == 0) r = i;
            if (pattern[i] == 2) b = i;
        }
        int gInRedRow = (r / 2) * 2 + (1 - r % 2), gInBlueRow = (b / 2) * 2 + (1 - b % 2);
        return new int[] {r, gInRedRow, gInBlueRow, b};
    }

    private double gainAt(int colour) { return colour == 0 ? redGain : colour == 2 ? blueGain : 1.0; }

    /** Inverse tone curve: inverse smoothstep, then gamma expansion. */
    double linearise(double srgb) {
        double y = Math.min(1.0, Math.max(0.0, srgb));
        double x = 0.5 - Math.sin(Math.asin(1.0 - 2.0 * y) / 3.0);
        return Math.pow(Math.max(x, 1e-8), gamma);
    }

    /** Tone curve: gamma compression, then smoothstep. */
    double tone(double linear) {
        double x = Math.pow(Math.max(linear, 1e-8), 1.0 / gamma);
        x = Math.min(1.0, x);
        return 3 * x * x - 2 * x * x * x;
    }

    /** Bilinear demosaicing with mirrored borders: each missing sample is the mean of its same-colour neighbours. */
    float[] demosaic(float[] mosaic, int h, int w) {
        int n = h * w;
        float[] out = new float[3 * n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int here = colourAt(y, x);
                for (int c = 0; c < 3; c++) {
                    double v;
                    if (c == here) {
                        v = mosaic[y * w + x];
                    } else {
                        double sum = 0;
                        int count = 0;
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                if (dx == 0 && dy == 0) continue;
                                int yy = Tiler.reflect(y + dy, h), xx = Tiler.reflect(x + dx, w);
                                if (colourAt(y + dy, x + dx) != c) continue;
                                boolean diagonal = dx != 0 && dy != 0;
                                // green sits on the 4-neighbourhood; red/blue on the 4 diagonals or 2 axial neighbours
                                if (c == 1 && diagonal) continue;
                                sum += mosaic[yy * w + xx];
                                count++;
                            }
                        }
                        v = count == 0 ? mosaic[y * w + x] : sum / count;
                    }
                    out[c * n + y * w + x] = (float) v;
                }
            }
        }
        return out;
    }
}
