package dev.lucid.bench;

import dev.lucid.Progress;
import dev.lucid.image.BoxMean;
import dev.lucid.image.Image;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.model.ModelCard;
import java.util.Arrays;
import java.util.Set;

/**
 * The classical dehazing peer: the dark channel prior (He, Sun and Tang, CVPR 2009) with the transmission refined by
 * the guided filter (He, Sun and Tang, ECCV 2010) instead of soft matting. Dark channel: the minimum over the colour
 * channels and a 15 × 15 window; airlight A: of the 0.1 % pixels with the brightest dark channel, the brightest in
 * the image, per channel; transmission t = 1 − ω · dark(I / A) with ω = 0.95 (some haze is kept, for depth);
 * guided filter over the gray image, radius 40, ε = 10⁻³; J = (I − A) / max(t, 0.1) + A. It removes haze only:
 * another task given is refused.
 */
final class DarkChannelPeer implements Restorer {

    static final String NAME = "dark-channel";
    private static final int PATCH_RADIUS = 7, GUIDE_RADIUS = 40;
    private static final double OMEGA = 0.95, EPSILON = 1e-3, MIN_TRANSMISSION = 0.1, BRIGHTEST = 0.001;

    @Override
    public Image restore(Image input, Guidance guidance, Progress progress) {
        if (!guidance.taskIsAutomatic() && !guidance.taskOrDenoise().equals("dehaze")) {
            throw new Guidance.UnsupportedGuidanceException("peer " + NAME + " only removes haze, not the task " + guidance.task());
        }
        int w = input.width(), h = input.height(), n = w * h, channels = input.channels();
        progress.begin("dark channel prior", 1);
        float[] dark = darkChannel(input.planes(), new double[channels], w, h);
        double[] airlight = airlight(input.planes(), dark);
        float[] transmission = darkChannel(input.planes(), airlight, w, h);
        for (int i = 0; i < n; i++) transmission[i] = (float) (1 - OMEGA * transmission[i]);
        float[] gray = new float[n];
        for (float[] plane : input.planes()) for (int i = 0; i < n; i++) gray[i] += plane[i] / channels;
        float[] refined = guidedFilter(gray, transmission, w, h);
        float[][] out = new float[channels][n];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                double t = Math.max(refined[i], MIN_TRANSMISSION);
                out[c][i] = (float) Math.min(1, Math.max(0, (input.plane(c)[i] - airlight[c]) / t + airlight[c]));
            }
        }
        progress.advance(1);
        return input.withPlanes(out);
    }

    /** min over channels of I_c / A_c (A = 1 when {@code airlight} is zero), then min over a 15 × 15 window. */
    static float[] darkChannel(float[][] planes, double[] airlight, int w, int h) {
        int n = w * h;
        float[] min = new float[n];
        Arrays.fill(min, Float.MAX_VALUE);
        for (int c = 0; c < planes.length; c++) {
            float scale = airlight[c] > 0 ? (float) (1 / airlight[c]) : 1f;
            for (int i = 0; i < n; i++) min[i] = Math.min(min[i], planes[c][i] * scale);
        }
        return windowMin(windowMin(min, w, h, 1, w), w, h, w, 1);
    }

    /** A 1-D running minimum of radius 7 along one axis: {@code step} between neighbours, {@code stride} between lines. */
    private static float[] windowMin(float[] v, int w, int h, int step, int stride) {
        float[] out = new float[v.length];
        int lines = step == 1 ? h : w, length = step == 1 ? w : h;
        for (int line = 0; line < lines; line++) {
            int base = line * stride;
            for (int i = 0; i < length; i++) {
                float m = Float.MAX_VALUE;
                for (int k = Math.max(0, i - PATCH_RADIUS); k <= Math.min(length - 1, i + PATCH_RADIUS); k++) m = Math.min(m, v[base + k * step]);
                out[base + i * step] = m;
            }
        }
        return out;
    }

    /** Of the brightest 0.1 % of the dark channel, the pixel brightest in the image (sum of channels): its colour. */
    static double[] airlight(float[][] planes, float[] dark) {
        int n = dark.length, count = Math.max(1, (int) Math.round(n * BRIGHTEST));
        float threshold = quantile(dark, n - count);
        int best = -1;
        double bestIntensity = -1;
        for (int i = 0; i < n; i++) {
            if (dark[i] < threshold) continue;
            double intensity = 0;
            for (float[] plane : planes) intensity += plane[i];
            if (intensity > bestIntensity) {
                bestIntensity = intensity;
                best = i;
            }
        }
        double[] a = new double[planes.length];
        for (int c = 0; c < planes.length; c++) a[c] = Math.max(1e-3, planes[c][best]);
        return a;
    }

    private static float quantile(float[] v, int rank) {
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(rank, sorted.length - 1)];
    }

    /** He's guided filter of p by the guide I: q = mean(a)·I + mean(b), a = cov(I, p)/(var(I) + ε), b = mean(p) − a·mean(I). */
    static float[] guidedFilter(float[] guide, float[] p, int w, int h) {
        int n = w * h;
        double[] ip = new double[n], ii = new double[n];
        for (int i = 0; i < n; i++) {
            ip[i] = guide[i] * p[i];
            ii[i] = guide[i] * guide[i];
        }
        double[] meanI = boxMean(toDouble(guide), w, h), meanP = boxMean(toDouble(p), w, h), meanIp = boxMean(ip, w, h), meanII = boxMean(ii, w, h);
        double[] a = new double[n], b = new double[n];
        for (int i = 0; i < n; i++) {
            double variance = meanII[i] - meanI[i] * meanI[i], covariance = meanIp[i] - meanI[i] * meanP[i];
            a[i] = covariance / (variance + EPSILON);
            b[i] = meanP[i] - a[i] * meanI[i];
        }
        double[] meanA = boxMean(a, w, h), meanB = boxMean(b, w, h);
        float[] q = new float[n];
        for (int i = 0; i < n; i++) q[i] = (float) (meanA[i] * guide[i] + meanB[i]);
        return q;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static double[] boxMean(double[] v, int w, int h) { return BoxMean.of(v, w, h, GUIDE_RADIUS); }

    @Override
    public Set<Guidance.Kind> accepts() { return Set.of(Guidance.Kind.TASK); }

    @Override
    public ModelCard card() {
        return Peers.card(NAME, "Dark channel prior dehazing (He et al. 2009) with guided-filter transmission refinement");
    }

    @Override
    public void close() {}
}
