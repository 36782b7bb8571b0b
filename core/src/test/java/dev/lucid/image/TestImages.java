package dev.lucid.image;

import java.util.SplittableRandom;

/** Deterministic images for tests: random samples at a given depth, so round trips can be exact. */
public final class TestImages {

    private TestImages() {}

    /** Random samples quantised to the bit depth, with optional alpha. */
    public static Image random(int w, int h, int channels, boolean alpha, int depth, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int max = depth == 16 ? 65535 : 255;
        float[][] planes = new float[channels][w * h];
        for (float[] p : planes) for (int i = 0; i < p.length; i++) p[i] = rng.nextInt(max + 1) / (float) max;
        float[] a = null;
        if (alpha) {
            a = new float[w * h];
            for (int i = 0; i < a.length; i++) a[i] = rng.nextInt(max + 1) / (float) max;
        }
        return new Image(w, h, planes, a, depth, Image.Encoding.SRGB, "memory");
    }

    /** A smooth colour gradient with a few edges (compresses and denoises like a photo). */
    public static Image scene(int w, int h) {
        float[][] planes = new float[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double u = (double) x / w, v = (double) y / h;
                boolean disc = Math.hypot(u - 0.6, v - 0.4) < 0.2;
                planes[0][i] = (float) (disc ? 0.85 : 0.2 + 0.6 * u);
                planes[1][i] = (float) (disc ? 0.3 : 0.25 + 0.5 * v);
                planes[2][i] = (float) (x / 16 % 2 == 0 && y > h * 3 / 4 ? 0.9 : 0.4);
            }
        }
        return new Image(w, h, planes, null, 8, Image.Encoding.SRGB, "memory");
    }
}
