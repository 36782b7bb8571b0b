package dev.lucid.image;

/**
 * The eight symmetries of the square acting on an image (flips, quarter turns and their products), for the geometric
 * self-ensemble of a restorer (Lim et al. 2017, EDSR's "+" models; KAIR's x8 test mode): restore each transformed
 * copy, undo the transform, average. A denoiser's errors differ between orientations more than its estimates of the
 * image do, so the average is closer to the clean image.
 *
 * <p>Symmetry k (0 … 7) transposes the image when k ≥ 4, then flips it left to right when k is odd, then turns it half a
 * turn when k mod 4 ≥ 2. The first four keep the image's axes (no transposition), so an ensemble of 2 or 4 never
 * shows a model a degradation turned on its side (rain streaks keep their direction); the last four add the quarter
 * turns. Symmetry k is also EXIF orientation k + 1 ({@link ExifOrientation}).
 */
public final class Dihedral {

    /** How many symmetries there are. */
    public static final int COUNT = 8;

    private Dihedral() {}

    /** The image under symmetry k: planes and alpha moved, everything else kept. */
    public static Image apply(Image image, int k) {
        check(k);
        Image out = (k & 4) != 0 ? transpose(image) : image;
        if ((k & 1) != 0) out = flip(out);
        return (k & 2) != 0 ? halfTurn(out) : out;
    }

    /** Undoes {@link #apply}: {@code invert(apply(image, k), k)} equals {@code image}. */
    public static Image invert(Image image, int k) {
        check(k);
        Image out = (k & 2) != 0 ? halfTurn(image) : image;
        if ((k & 1) != 0) out = flip(out);
        return (k & 4) != 0 ? transpose(out) : out;
    }

    private static void check(int k) {
        if (k < 0 || k >= COUNT) throw new IllegalArgumentException("a symmetry of the square is numbered 0 to 7, got " + k);
    }

    private static Image flip(Image image) {
        int w = image.width(), h = image.height();
        return moved(image, w, h, (x, y) -> y * w + (w - 1 - x));
    }

    private static Image halfTurn(Image image) {
        int w = image.width(), h = image.height();
        return moved(image, w, h, (x, y) -> (h - 1 - y) * w + (w - 1 - x));
    }

    /** Rows become columns: the output is h wide and w high, its pixel (x, y) the input's (y, x). */
    private static Image transpose(Image image) {
        int w = image.width(), h = image.height();
        return moved(image, h, w, (x, y) -> x * w + y);
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
