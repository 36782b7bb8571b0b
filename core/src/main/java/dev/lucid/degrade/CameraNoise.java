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
        CameraPipeline.noiseOnRaw(chw, channels, height, width, rng, (raw, r) -> {
            double s = shot != null ? shot : Math.exp(LOG_MIN + r.nextDouble() * (Math.log(0.16) - LOG_MIN));
            double c = read != null ? read : Math.exp(LOG_MIN + r.nextDouble() * (Math.log(0.06) - LOG_MIN));
            for (int i = 0; i < raw.length; i++) {
                double x = raw[i];
                double v = x + Degradation.gaussian(r) * s * x + Degradation.gaussian(r) * c;
                raw[i] = (float) Math.min(1.0, Math.max(0.0, v));
            }
        });
    }

    @Override
    public String describe() {
        return shot == null ? "camera" : "camera:" + shot + "," + read;
    }
}
