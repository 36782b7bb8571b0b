package dev.lucid.method.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.image.Image;
import dev.lucid.image.PixelShuffle;
import dev.lucid.method.Method;
import dev.lucid.method.StepContext;
import dev.lucid.method.TrainingBatch;
import dev.lucid.nn.NetworkShape;
import dev.lucid.nn.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Teaches a trained single-pass denoiser a camera's noise from noisy photos alone by lending it the photos' own noise,
 * as GCBD does (Chen et al., CVPR 2018: noise blocks cut from the smooth regions of noisy photos), without its GAN.
 * The base model at the photos' pixel-shuffle stride gives a pseudo-clean image p of each patch; in the flattest 16²
 * blocks of p the residual y − p is the camera's noise, with its spatial and colour correlation. Every block of p gets
 * such a noise block (of those in the batch, the nearest in brightness of a few drawn at random, since real noise grows
 * with the signal; turned 180° at random, which keeps a stationary noise's statistics), and the adapters learn
 * |f(p + n) − p| on whole patches. The adapted model then restores at stride 1: it keeps the detail the stride loses
 * while removing the correlated noise that the stride was there to whiten.
 * <pre>
 * adapt: {base: lucid-real, rank: 4, loss: noise-bank}
 * </pre>
 */
public final class NoiseBankAdaptation extends SelfSupervisedAdaptation {

    public static final String NAME = "noise-bank";

    /** Side of the noise blocks and the candidates drawn per block. */
    static final int BLOCK = 16;
    private static final int CANDIDATES = 6;

    private final int pseudoStride;
    private final double flatShare;

    /**
     * @param parameters the base model's, with adapters attached (turned off for the pseudo-clean image)
     * @param settings adapt.flat_share: the share of a batch's blocks, the flattest, whose residual is taken for noise
     *                 (by default {@link #defaultFlatShare})
     * @param pseudoStride the pixel-shuffle stride the base model reads the photos at for their pseudo-clean images
     */
    public NoiseBankAdaptation(Method base, Parameters parameters, JsonNode settings, int pseudoStride) {
        super(base, parameters);
        this.pseudoStride = pseudoStride;
        this.flatShare = settings.path("flat_share").asDouble(defaultFlatShare(pseudoStride));
        if (!(flatShare > 0 && flatShare <= 1)) throw new IllegalArgumentException("adapt.flat_share must be in (0, 1], got " + flatShare);
    }

    /**
     * The share of a batch's blocks (the flattest) whose residual is lent, when adapt.flat_share does not give it. At
     * stride 1 the pseudo-clean image keeps the detail, so the residual is noise nearly everywhere and every block counts
     * (in a camera's JPEG the flattest blocks are where compression erased most of the noise); at stride 2 it loses
     * texture, which the residual then holds outside the flattest quarter. Chosen on validation photos, 600 steps each:
     * PolyU's training scenes (stride 1) 39.20 / 39.25 / 39.30 dB at shares 0.25 / 0.5 / 1; CBSD432 photos with strong
     * synthetic phone noise (stride 2) 25.80 / 25.60 at 0.25 / 1.
     */
    static double defaultFlatShare(int pseudoStride) { return pseudoStride == 1 ? 1.0 : 0.25; }

    /** The adapted model learnt on whole patches: it restores at stride 1; the stride only made its pseudo-clean images. */
    @Override
    public void describe(ObjectNode card) {
        card.put("loss", NAME).put("pseudo_clean_stride", pseudoStride).put("flat_share", flatShare).put("pd_stride", 1);
    }

    @Override
    public double trainStep(TrainingBatch batch, StepContext context) {
        NDArray y = batch.noisy();
        NDArray pseudo = parameters.withoutAdapters(() -> pseudoClean(y));
        float[] p = pseudo.toFloatArray(), residual = y.sub(pseudo).toFloatArray();
        NDArray noise = context.manager().create(lend(p, residual, y.getShape(), flatShare, context.random()), y.getShape());
        NDArray input = pseudo.add(noise);
        return context.optimise(OptimiserGroup.MAIN, () -> denoiser.apply(input).sub(pseudo).abs().mean());
    }

    /**
     * The base model's restoration of each patch of the batch [N, C, H, W] at the pseudo-clean stride, its sub-images
     * merged as a photo's are ({@link PixelShuffle#mergeRestored}: one low band shared), so that the targets carry no
     * dot pattern the restored photos would not. A constant: no gradient reaches the base model's pass.
     */
    private NDArray pseudoClean(NDArray y) {
        if (pseudoStride == 1) return denoiser.apply(y).stopGradient();
        Shape shape = y.getShape();
        int n = (int) shape.get(0), c = (int) shape.get(1), h = (int) shape.get(2), w = (int) shape.get(3);
        int s = pseudoStride, parts = s * s, sh = h / s, sw = w / s;
        float[] restored = denoiser.apply(shuffle(y, s)).toFloatArray(), out = new float[n * c * h * w];
        Image like = new Image(w, h, new float[c][w * h], null, 8, Image.Encoding.SRGB, "patch");
        for (int i = 0; i < n; i++) {
            List<Image> subImages = new ArrayList<>(parts);
            for (int k = 0; k < parts; k++) {
                float[][] planes = new float[c][];
                for (int ch = 0; ch < c; ch++) {
                    int from = ((i * parts + k) * c + ch) * sh * sw;
                    planes[ch] = Arrays.copyOfRange(restored, from, from + sh * sw);
                }
                subImages.add(new Image(sw, sh, planes, null, 8, Image.Encoding.SRGB, "patch"));
            }
            Image merged = PixelShuffle.mergeRestored(subImages, s, like);
            for (int ch = 0; ch < c; ch++) System.arraycopy(merged.plane(ch), 0, out, (i * c + ch) * h * w, h * w);
        }
        return y.getManager().create(out, shape);
    }

    /**
     * A noise field for the batch [N, C, H, W] (flattened p and residual): every 16² block of it is the residual of one
     * of the flattest blocks of p in the batch (the share flatShare of them), chosen as the nearest in mean brightness among {@link #CANDIDATES} drawn.
     */
    static float[] lend(float[] p, float[] residual, Shape shape, double flatShare, SplittableRandom random) {
        int n = (int) shape.get(0), c = (int) shape.get(1), h = (int) shape.get(2), w = (int) shape.get(3);
        int across = w / BLOCK, down = h / BLOCK, blocks = n * across * down;
        double[] roughness = new double[blocks], brightness = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            int image = k / (across * down), bx = k % across * BLOCK, by = k / across % down * BLOCK;
            double rough = 0, sum = 0;
            for (int ch = 0; ch < c; ch++) {
                int plane = (image * c + ch) * h * w;
                for (int yy = by; yy < by + BLOCK; yy++) {
                    for (int xx = bx; xx < bx + BLOCK; xx++) {
                        int i = plane + yy * w + xx;
                        sum += p[i];
                        if (xx + 1 < bx + BLOCK) rough += sq(p[i + 1] - p[i]);
                        if (yy + 1 < by + BLOCK) rough += sq(p[i + w] - p[i]);
                        if (p[i] <= 0.002f || p[i] >= 0.998f) rough = Double.POSITIVE_INFINITY; // clipped: no noise to read
                    }
                }
            }
            roughness[k] = rough;
            brightness[k] = sum / (c * BLOCK * BLOCK);
        }
        Integer[] order = new Integer[blocks];
        for (int k = 0; k < blocks; k++) order[k] = k;
        Arrays.sort(order, java.util.Comparator.comparingDouble(k -> roughness[k]));
        int flat = Math.max(1, (int) (blocks * flatShare));
        float[] noise = new float[p.length];
        for (int k = 0; k < blocks; k++) {
            int source = order[random.nextInt(flat)];
            for (int d = 1; d < CANDIDATES; d++) {
                int other = order[random.nextInt(flat)];
                if (Math.abs(brightness[other] - brightness[k]) < Math.abs(brightness[source] - brightness[k])) source = other;
            }
            copyBlock(residual, source, noise, k, random.nextBoolean(), c, h, w, across, down);
        }
        return noise;
    }

    /** Block {@code from} of {@code src} into block {@code to} of {@code dst}, turned 180° when asked. */
    private static void copyBlock(float[] src, int from, float[] dst, int to, boolean turn, int c, int h, int w, int across, int down) {
        int si = from / (across * down), sx = from % across * BLOCK, sy = from / across % down * BLOCK;
        int di = to / (across * down), dx = to % across * BLOCK, dy = to / across % down * BLOCK;
        for (int ch = 0; ch < c; ch++) {
            int sp = (si * c + ch) * h * w, dp = (di * c + ch) * h * w;
            for (int yy = 0; yy < BLOCK; yy++) {
                for (int xx = 0; xx < BLOCK; xx++) {
                    int fy = turn ? BLOCK - 1 - yy : yy, fx = turn ? BLOCK - 1 - xx : xx;
                    dst[dp + (dy + yy) * w + dx + xx] = src[sp + (sy + fy) * w + sx + fx];
                }
            }
        }
    }

    private static double sq(double v) { return v * v; }

    /** Patches must split into whole noise blocks and shuffle by the pseudo-clean stride. */
    @Override
    public NetworkShape shape() {
        NetworkShape s = base.shape();
        int multiple = s.sizeMultiple() * pseudoStride;
        return NetworkShape.of(s.channels(), multiple * BLOCK / gcd(multiple, BLOCK), s.macsPerPixel());
    }

    private static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }
}
