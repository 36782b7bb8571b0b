package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Real-camera-like sRGB noise: the image goes through {@link CameraPipeline#unprocess}, gets
 * signal-dependent Gaussian noise on the raw mosaic, n = N(0,1)·σs·x + N(0,1)·σc (CBDNet's form, used by
 * CLIPDenoising's sRGB model), is clipped to [0, 1] and processed back to sRGB. σs and σc are fixed
 * ({@code camera:0.04,0.03}, the CLIPDenoising recipe) or drawn log-uniformly from [1e-4, 0.16] and
 * [1e-4, 0.06] per image ({@code camera}, CBDNet's random range). Each image also gets a random camera.
 */
public final class CameraNoise implements Degradation {

    private static final double LOG_MIN = Math.log(1e-4);
    private final Double shot, read;

    public CameraNoise(Double shot, Double read) {
        this.shot = shot;
        this.read = read;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        int n = height * width;
        float[] rgb = new float[3 * n];
        for (int c = 0; c < 3; c++) System.arraycopy(chw, Math.min(c, channels - 1) * n, rgb, c * n, n);
        CameraPipeline camera = CameraPipeline.random(rng);
        double s = shot != null ? shot : Math.exp(LOG_MIN + rng.nextDouble() * (Math.log(0.16) - LOG_MIN));
        double r = read != null ? read : Math.exp(LOG_MIN + rng.nextDouble() * (Math.log(0.06) - LOG_MIN));
        float[] raw = camera.unprocess(rgb, height, width);
        for (int i = 0; i < n; i++) {
            double x = raw[i];
            double v = x + Degradation.gaussian(rng) * s * x + Degradation.gaussian(rng) * r;
            raw[i] = (float) Math.min(1.0, Math.max(0.0, v));
        }
        float[] out = camera.process(raw, height, width);
        if (channels == 3) {
            System.arraycopy(out, 0, chw, 0, 3 * n);
        } else {
            for (int i = 0; i < n; i++) chw[i] = (out[i] + out[n + i] + out[2 * n + i]) / 3f;
        }
    }

    @Override
    public String describe() {
        return shot == null ? "camera" : "camera:" + shot + "," + read;
    }
}
