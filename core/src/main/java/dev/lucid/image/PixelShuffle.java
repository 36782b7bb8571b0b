package dev.lucid.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Pixel-shuffle down-sampling (PD, Zhou et al. 2020; AP-BSN, Lee et al. 2022): an image split into s² sub-images,
 * sub-image (a, b) holding the pixels (a + s·x, b + s·y). Real sRGB noise is correlated between neighbouring pixels
 * after demosaicing; in the sub-images neighbours are s pixels apart, where it nearly is not, so a denoiser made
 * for pixel-independent noise removes it there. {@link #merge} puts the restored sub-images back.
 */
public final class PixelShuffle {

    private PixelShuffle() {}

    /** The s² sub-images in order (a, b) = (0, 0), (1, 0), …, with alpha, depth and metadata kept; sizes ⌈(W − a)/s⌉ × ⌈(H − b)/s⌉. */
    public static List<Image> split(Image image, int s) {
        List<Image> out = new ArrayList<>(s * s);
        for (int b = 0; b < s; b++) {
            for (int a = 0; a < s; a++) {
                int w = (image.width() - a + s - 1) / s, h = (image.height() - b + s - 1) / s;
                if (w < 1 || h < 1) throw new IllegalArgumentException("an image of " + image.width() + "x" + image.height() + " is too small to split by " + s);
                float[][] planes = new float[image.channels()][];
                for (int c = 0; c < planes.length; c++) planes[c] = gather(image.plane(c), image.width(), a, b, s, w, h);
                float[] alpha = image.hasAlpha() ? gather(image.alpha(), image.width(), a, b, s, w, h) : null;
                out.add(new Image(w, h, planes, alpha, image.bitDepth(), image.encoding(), image.sourceFormat(), image.raw()));
            }
        }
        return out;
    }

    /** The image of {@code like}'s size (and its alpha and metadata) whose sub-images are {@code parts}, in {@link #split}'s order. */
    public static Image merge(List<Image> parts, int s, Image like) {
        int width = like.width();
        float[][] planes = new float[parts.get(0).channels()][like.width() * like.height()];
        for (int b = 0, k = 0; b < s; b++) {
            for (int a = 0; a < s; a++, k++) {
                Image part = parts.get(k);
                for (int c = 0; c < planes.length; c++) {
                    float[] src = part.plane(c);
                    for (int y = 0; y < part.height(); y++) {
                        for (int x = 0; x < part.width(); x++) planes[c][(b + s * y) * width + a + s * x] = src[y * part.width() + x];
                    }
                }
            }
        }
        return like.withPlanes(planes);
    }

    private static float[] gather(float[] plane, int width, int a, int b, int s, int w, int h) {
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) out[y * w + x] = plane[(b + s * y) * width + a + s * x];
        return out;
    }
}
