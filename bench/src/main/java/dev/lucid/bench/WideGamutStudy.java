package dev.lucid.bench;

import dev.lucid.Lucid;
import dev.lucid.eval.EvalSet;
import dev.lucid.image.Image;
import dev.lucid.method.Restorer;
import dev.lucid.metrics.Psnr;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How should a model trained on sRGB photos see a wide-gamut (Adobe RGB) photo (issue #21)? Adobe RGB versions of
 * real noisy/clean pairs (each image converted from sRGB, so its real noise is converted along) are denoised two
 * ways, and scored in Adobe RGB against the converted clean image:
 * <ol>
 * <li><b>encoded</b>: the Adobe RGB values go to the model as they are;</li>
 * <li><b>via sRGB</b>: converted to sRGB for the model (values out of [0, 1] kept), and the result converted back.</li>
 * </ol>
 * Usage: {@code java -cp ... dev.lucid.bench.WideGamutStudy POLYU_DIR SPLIT.yaml MODEL}
 */
public final class WideGamutStudy {

    /** Linear sRGB → linear Adobe RGB (1998), both D65: inverse(AdobeRGB→XYZ) · (sRGB→XYZ). */
    static final double[][] SRGB_TO_ADOBE = multiply(inverse(new double[][] {
            {0.5767309, 0.1855540, 0.1881852}, {0.2973769, 0.6273491, 0.0752741}, {0.0270343, 0.0706872, 0.9911085}}),
            new double[][] {{0.4124564, 0.3575761, 0.1804375}, {0.2126729, 0.7151522, 0.0721750}, {0.0193339, 0.1191920, 0.9503041}});
    static final double[][] ADOBE_TO_SRGB = inverse(SRGB_TO_ADOBE);
    private static final double ADOBE_GAMMA = 563.0 / 256;

    private WideGamutStudy() {}

    public static void main(String[] args) throws Exception {
        EvalSet set = EvalSet.pairs(Path.of(args[0]), null, Path.of(args[1]), "test");
        double input = 0, encoded = 0, viaSrgb = 0, srgb = 0;
        int n = 0;
        try (Restorer r = Lucid.load(args[2])) {
            for (EvalSet.Case c : set.cases()) {
                EvalSet.Loaded pair = c.load();
                Image clean = toAdobe(pair.clean()), noisy = toAdobe(pair.noisy());
                input += psnr(noisy, clean);
                encoded += psnr(r.restore(noisy), clean);
                viaSrgb += psnr(toAdobe(r.restore(toSrgb(noisy))), clean);
                srgb += psnr(r.restore(pair.noisy()), pair.clean());
                n++;
                System.err.printf(Locale.ROOT, "%d/%d %s%n", n, set.cases().size(), c.name());
            }
        }
        System.out.printf(Locale.ROOT, "%s, model %s, %d pairs, PSNR (dB) in Adobe RGB against the converted clean image%n", set.description(), args[2], n);
        System.out.printf(Locale.ROOT, "noisy input            %.2f%nencoded (as is)        %.2f%nvia sRGB and back      %.2f%n(the sRGB originals:   %.2f in sRGB)%n",
                input / n, encoded / n, viaSrgb / n, srgb / n);
    }

    static double psnr(Image a, Image b) { return Psnr.of(b.planes(), a.planes(), 1.0); }

    static Image toAdobe(Image srgb) { return convert(srgb, true); }

    static Image toSrgb(Image adobe) { return convert(adobe, false); }

    /** Per pixel: decode, 3 × 3 matrix, encode; sign-preserving so that noise below 0 survives the round trip. */
    private static Image convert(Image image, boolean toAdobe) {
        int n = (int) image.pixels();
        float[][] in = image.planes(), out = new float[3][n];
        double[][] m = toAdobe ? SRGB_TO_ADOBE : ADOBE_TO_SRGB;
        double[] lin = new double[3];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) lin[c] = toAdobe ? srgbDecode(in[c][i]) : adobeDecode(in[c][i]);
            for (int c = 0; c < 3; c++) {
                double v = m[c][0] * lin[0] + m[c][1] * lin[1] + m[c][2] * lin[2];
                out[c][i] = (float) (toAdobe ? adobeEncode(v) : srgbEncode(v));
            }
        }
        return image.withPlanes(out);
    }

    static double srgbDecode(double v) {
        double a = Math.abs(v);
        return Math.signum(v) * (a <= 0.04045 ? a / 12.92 : Math.pow((a + 0.055) / 1.055, 2.4));
    }

    static double srgbEncode(double v) {
        double a = Math.abs(v);
        return Math.signum(v) * (a <= 0.0031308 ? a * 12.92 : 1.055 * Math.pow(a, 1 / 2.4) - 0.055);
    }

    static double adobeDecode(double v) { return Math.signum(v) * Math.pow(Math.abs(v), ADOBE_GAMMA); }

    static double adobeEncode(double v) { return Math.signum(v) * Math.pow(Math.abs(v), 1 / ADOBE_GAMMA); }

    static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) c[i][j] += a[i][k] * b[k][j];
        return c;
    }

    static double[][] inverse(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
                r[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;
            }
        }
        return r;
    }
}
