package dev.lucid.degrade;

import dev.lucid.image.Image;

/**
 * Estimates the standard deviation of additive white noise from the image alone (Immerkær, "Fast noise
 * variance estimation", 1996): the 3×3 mask [1 −2 1; −2 4 −2; 1 −2 1] cancels smooth content and
 * σ ≈ √(π/2) / (6 (W−2)(H−2)) Σ |I ∗ M|, averaged over colour channels. Used by non-blind peers when
 * σ is not given; it overestimates on heavily textured images.
 */
public final class NoiseLevel {

    private NoiseLevel() {}

    /** σ in 8-bit units (0–255 scale). */
    public static double estimate(Image image) {
        int w = image.width(), h = image.height();
        if (w < 3 || h < 3) return 0;
        double total = 0;
        for (int c = 0; c < image.channels(); c++) {
            float[] p = image.plane(c);
            double sum = 0;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int i = y * w + x;
                    double v = p[i - w - 1] - 2 * p[i - w] + p[i - w + 1]
                            - 2 * p[i - 1] + 4 * p[i] - 2 * p[i + 1]
                            + p[i + w - 1] - 2 * p[i + w] + p[i + w + 1];
                    sum += Math.abs(v);
                }
            }
            total += Math.sqrt(Math.PI / 2) * sum / (6.0 * (w - 2) * (h - 2));
        }
        return 255 * total / image.channels();
    }
}
