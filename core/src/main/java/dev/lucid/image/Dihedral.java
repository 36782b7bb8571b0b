package dev.lucid.image;

/**
 * The eight symmetries of the square acting on an image (flips, quarter turns and their products), for the geometric
 * self-ensemble of a restorer (Lim et al. 2017, EDSR's "+" models; KAIR's x8 test mode): restore each transformed
 * copy, undo the transform, average. A denoiser's errors differ between orientations more than its estimates of the
 * image do, so the average is closer to the clean image.
 *
 * <p>Symmetry k (0 … 7) flips the image left to right when k is odd, then turns it k / 2 quarter turns clockwise;
 * the first two keep the image's size, the first four its orientation's axes (no transposition).
 */
public final class Dihedral {

    /** How many symmetries there are. */
    public static final int COUNT = 8;

    private Dihedral() {}

    /** The image under symmetry k: planes and alpha moved, everything else kept. */
    public static Image apply(Image image, int k) {
        check(k);
        Image out = image;
        if ((k & 1) == 1) out = flip(out);
        for (int turn = 0; turn < k / 2; turn++) out = turnClockwise(out);
        return out;
    }

    /** Undoes {@link #apply}: {@code invert(apply(image, k), k)} equals {@code image}. */
    public static Image invert(Image image, int k) {
        check(k);
        Image out = image;
        for (int turn = 0; turn < (4 - k / 2) % 4; turn++) out = turnClockwise(out);
        if ((k & 1) == 1) out = flip(out);
        return out;
    }

    private static void check(int k) {
        if (k < 0 || k >= COUNT) throw new IllegalArgumentException("a symmetry of the square is numbered 0 to 7, got " + k);
    }

    private static Image flip(Image image) {
        int w = image.width(), h = image.height();
        return moved(image, w, h, (x, y) -> y * w + (w - 1 - x));
    }

    /** A quarter turn clockwise: the output is h wide and w high, its pixel (x, y) the input's (y, h − 1 − x). */
    private static Image turnClockwise(Image image) {
        int w = image.width(), h = image.height();
        return moved(image, h, w, (x, y) -> (h - 1 - x) * w + y);
    }

    private interface SourceIndex { int of(int x, int y); }

    private static Image moved(Image image, int width, int height, SourceIndex source) {
        float[][] planes = new float[image.channels()][];
        for (int c = 0; c < planes.length; c++) planes[c] = gather(image.plane(c), width, height, source);
        float[] alpha = image.hasAlpha() ? gather(image.alpha(), width, height, source) : null;
        return new Image(width, height, planes, alpha, image.bitDepth(), image.encoding(), image.sourceFormat(), image.raw())
                .withMetadata(image.metadata());
    }

    private static float[] gather(float[] plane, int width, int height, SourceIndex source) {
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) out[y * width + x] = plane[source.of(x, y)];
        return out;
    }
}
