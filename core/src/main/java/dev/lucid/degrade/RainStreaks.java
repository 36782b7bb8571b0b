package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Synthetic rain: sparse random drops smeared by a line (motion-blur) kernel of random length and angle
 * near vertical, added to the image as a semi-transparent white layer, I = J + (1 − J)·α·R (screen-like,
 * so streaks brighten without washing out highlights). Density is the fraction of pixels seeding a drop.
 */
public final class RainStreaks implements Degradation {

    private final LevelRange density;

    /** Density fixed, or drawn per image from [min, max] (training mixes light and heavy rain). */
    public RainStreaks(double min, double max) {
        if (min <= 0 || max > 0.2) throw new IllegalArgumentException("rain density must be in (0, 0.2]");
        this.density = new LevelRange("rain density", min, max);
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        int n = height * width;
        double density = this.density.draw(rng);
        float[] drops = new float[n];
        for (int i = 0; i < n; i++) if (rng.nextDouble() < density) drops[i] = (float) (0.5 + 0.5 * rng.nextDouble());
        double angle = Math.toRadians(-15 + 30 * rng.nextDouble());
        int length = 10 + rng.nextInt(Math.max(1, Math.min(height, 30)));
        float alpha = (float) (0.5 + 0.4 * rng.nextDouble());
        float[] layer = new float[n];
        double dx = Math.sin(angle), dy = Math.cos(angle);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = drops[y * width + x];
                if (v == 0) continue;
                for (int t = 0; t < length; t++) {
                    int xx = (int) Math.round(x + t * dx), yy = (int) Math.round(y + t * dy);
                    if (xx < 0 || yy < 0 || xx >= width || yy >= height) break;
                    float fade = 1f - (float) t / length;
                    layer[yy * width + xx] = Math.max(layer[yy * width + xx], v * fade);
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                float j = chw[c * n + i];
                chw[c * n + i] = j + (1 - j) * alpha * layer[i];
            }
        }
    }

    @Override
    public String task() { return "derain"; }

    @Override
    public String describe() { return "rain:" + density.text(); }
}
