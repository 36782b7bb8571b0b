package dev.lucid.degrade;

import dev.lucid.image.SeparableFilter;

import java.util.SplittableRandom;

/**
 * Synthetic rain: sparse random drops smeared by a line (motion-blur) kernel of random length and angle
 * near vertical, added to the image as a semi-transparent white layer, I = J + (1 − J)·α·R (screen-like,
 * so streaks brighten without washing out highlights). Density is the fraction of pixels seeding a drop.
 * <p>By default the streaks are one pixel wide and 10–39 pixels long. Published synthetic-rain sets (Rain100L/H,
 * Rain1400: streaks rendered as motion-blurred, then softened noise) also have wide, soft and long streaks; a
 * width range gives each image a streak width (full width at half maximum, pixels: the layer blurred by a Gaussian,
 * its line peak kept; the drops divided by the width, so that wider streaks cover about as much of the image), a
 * length range its streak length and an opacity range the layer's α (by default 0.5-0.9; light rain is fainter), so
 * a model can be trained on both kinds.
 */
public final class RainStreaks implements Degradation {

    private final LevelRange density;
    private final LevelRange width;                 // null: one-pixel streaks
    private final LevelRange length;                // null: 10 + a whole number below min(height, 30)
    private final LevelRange opacity;               // null: 0.5-0.9

    /**
     * Density fixed, or drawn per image from a range (training mixes light and heavy rain); the streaks' width and
     * length in pixels and their layer's opacity likewise, or null for the default (each given only with those before it).
     */
    RainStreaks(LevelRange density, LevelRange width, LevelRange length, LevelRange opacity) {
        if (density.min() <= 0 || density.max() > 0.2) throw new IllegalArgumentException("rain density must be in (0, 0.2]");
        if (width != null && (width.min() < 1 || width.max() > 16)) throw new IllegalArgumentException("rain streak width must be in [1, 16] pixels");
        if (length != null && (length.min() < 1 || length.max() > 200)) throw new IllegalArgumentException("rain streak length must be in [1, 200] pixels");
        if (opacity != null && (opacity.min() <= 0 || opacity.max() > 1)) throw new IllegalArgumentException("rain opacity must be in (0, 1]");
        this.density = density;
        this.width = width;
        this.length = length;
        this.opacity = opacity;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        int n = height * width;
        double density = this.density.draw(rng);
        double fwhm = this.width == null ? 1 : this.width.draw(rng);
        double seeds = density / fwhm;                          // wide streaks are fewer: the rain covers as much
        float[] drops = new float[n];
        for (int i = 0; i < n; i++) if (rng.nextDouble() < seeds) drops[i] = (float) (0.5 + 0.5 * rng.nextDouble());
        double angle = Math.toRadians(-15 + 30 * rng.nextDouble());
        int length = this.length == null ? 10 + rng.nextInt(Math.max(1, Math.min(height, 30))) : (int) Math.round(this.length.draw(rng));
        float alpha = (float) (opacity == null ? 0.5 + 0.4 * rng.nextDouble() : opacity.draw(rng));
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
        widen(layer, height, width, fwhm);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                float j = chw[c * n + i];
                chw[c * n + i] = j + (1 - j) * alpha * layer[i];
            }
        }
    }

    /**
     * Streaks {@code fwhm} pixels wide: the layer blurred by a Gaussian of that full width at half maximum, times the
     * factor that keeps a long vertical line's peak (1 / the kernel's centre tap, about σ√(2π)), clipped to 1. One
     * pixel or less: unchanged.
     */
    private static void widen(float[] layer, int height, int width, double fwhm) {
        if (fwhm <= 1) return;
        double sigma = fwhm / (2 * Math.sqrt(2 * Math.log(2)));
        double[] taps = SeparableFilter.gaussian(sigma, (int) Math.ceil(3 * sigma));
        double gain = Math.sqrt(1 / taps[taps.length / 2]);           // split over the two passes
        for (int i = 0; i < taps.length; i++) taps[i] *= gain;
        double[] v = new double[layer.length];
        for (int i = 0; i < v.length; i++) v[i] = layer[i];
        double[] blurred = SeparableFilter.apply(v, width, height, taps);
        for (int i = 0; i < v.length; i++) layer[i] = (float) Math.min(1, blurred[i]);
    }

    @Override
    public String task() { return "derain"; }

    @Override
    public String describe() {
        StringBuilder recipe = new StringBuilder("rain:").append(density.text());
        for (LevelRange given : new LevelRange[] {width, length, opacity}) if (given != null) recipe.append(',').append(given.text());
        return recipe.toString();
    }
}
