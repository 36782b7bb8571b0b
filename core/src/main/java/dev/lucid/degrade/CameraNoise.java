package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Real-camera-like sRGB noise: the image goes through {@link CameraPipeline#unprocess}, gets
 * signal-dependent Gaussian noise on the raw mosaic, n = N(0,1)·σs·x + N(0,1)·σc (CBDNet's form, used by
 * CLIPDenoising's sRGB model), is clipped to [0, 1] and processed back to sRGB. σs and σc are fixed
 * ({@code camera:0.04,0.03}, the CLIPDenoising recipe), drawn log-uniformly per image from [1e-4, 0.16] and
 * [1e-4, 0.06] ({@code camera}, CBDNet's random range), or from given ranges ({@code camera:0.02-0.16,0.01-0.06},
 * e.g. to weight the high-ISO end that log-uniform draws over CBDNet's range rarely reach). Each image also
 * gets a random camera.
 */
public final class CameraNoise implements Degradation {

    /** CBDNet's random range, the levels of {@code camera}. */
    public static final CameraNoise CBDNET = new CameraNoise(1e-4, 0.16, 1e-4, 0.06);

    private final double shotMin, shotMax, readMin, readMax;

    public CameraNoise(double shotMin, double shotMax, double readMin, double readMax) {
        if (shotMin < 0 || shotMax < shotMin || readMin < 0 || readMax < readMin) throw new IllegalArgumentException("bad camera noise ranges");
        this.shotMin = shotMin; this.shotMax = shotMax; this.readMin = readMin; this.readMax = readMax;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        CameraPipeline.noiseOnRaw(chw, channels, height, width, rng, (raw, r) -> {
            double s = Degradation.logUniform(shotMin, shotMax, r), c = Degradation.logUniform(readMin, readMax, r);
            for (int i = 0; i < raw.length; i++) {
                double x = raw[i];
                double v = x + Degradation.gaussian(r) * s * x + Degradation.gaussian(r) * c;
                raw[i] = (float) Math.min(1.0, Math.max(0.0, v));
            }
        });
    }

    @Override
    public String describe() {
        boolean cbdnet = shotMin == CBDNET.shotMin && shotMax == CBDNET.shotMax && readMin == CBDNET.readMin && readMax == CBDNET.readMax;
        return cbdnet ? "camera" : "camera:" + Degradations.rangeText(shotMin, shotMax) + "," + Degradations.rangeText(readMin, readMax);
    }
}
