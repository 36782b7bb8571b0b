package dev.lucid.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * The one image type of Lucid: float planar samples in [0, 1] (one plane per channel, row-major: 1 gray, 3 RGB,
 * 4 packed raw, or any other count), an optional alpha plane that restorers pass through untouched, and what is
 * needed to write the image back as it came in (bit depth, colour encoding, source format, and for packed raw
 * the sensor's {@link RawInfo}).
 *
 * <p>Planes are not copied on construction; an Image is treated as immutable by every part of Lucid,
 * which therefore never writes into the planes of an image it did not create.
 */
public final class Image {

    /** How sample values relate to light. Readers tag decoded files as {@link #SRGB}. */
    public enum Encoding { SRGB, LINEAR }

    private final int width;
    private final int height;
    private final float[][] planes;
    private final float[] alpha;
    private final int bitDepth;
    private final Encoding encoding;
    private final String sourceFormat;
    private final RawInfo raw;
    private final PhotoMetadata metadata;

    public Image(int width, int height, float[][] planes, float[] alpha, int bitDepth, Encoding encoding,
                 String sourceFormat) {
        this(width, height, planes, alpha, bitDepth, encoding, sourceFormat, null);
    }

    /** @param raw the sensor metadata of a packed raw image (4 planes), else null */
    public Image(int width, int height, float[][] planes, float[] alpha, int bitDepth, Encoding encoding,
                 String sourceFormat, RawInfo raw) {
        this(width, height, planes, alpha, bitDepth, encoding, sourceFormat, raw, null);
    }

    private Image(int width, int height, float[][] planes, float[] alpha, int bitDepth, Encoding encoding,
                  String sourceFormat, RawInfo raw, PhotoMetadata metadata) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be at least 1x1, got " + width + "x" + height);
        }
        if (planes.length < 1) throw new IllegalArgumentException("an image needs at least one plane");
        if (raw != null && planes.length != 4) throw new IllegalArgumentException("a packed raw image has 4 planes, got " + planes.length);
        long n = (long) width * height;
        for (float[] p : planes) {
            if (p.length != n) throw new IllegalArgumentException("plane length " + p.length + " != " + n);
        }
        if (alpha != null && alpha.length != n) throw new IllegalArgumentException("alpha length " + alpha.length + " != " + n);
        if (bitDepth != 8 && bitDepth != 16) throw new IllegalArgumentException("bit depth must be 8 or 16, got " + bitDepth);
        this.width = width;
        this.height = height;
        this.planes = planes;
        this.alpha = alpha;
        this.bitDepth = bitDepth;
        this.encoding = Objects.requireNonNull(encoding);
        this.sourceFormat = sourceFormat == null ? "memory" : sourceFormat;
        this.raw = raw;
        this.metadata = metadata;
    }

    public int width() { return width; }
    public int height() { return height; }
    public int channels() { return planes.length; }
    public long pixels() { return (long) width * height; }
    public float[] plane(int c) { return planes[c]; }

    /** The colour planes (not copied, like {@link #plane}; nothing may write into them). */
    public float[][] planes() { return planes; }
    public boolean hasAlpha() { return alpha != null; }
    /** The alpha plane, or {@code null}. */
    public float[] alpha() { return alpha; }
    public int bitDepth() { return bitDepth; }
    public Encoding encoding() { return encoding; }
    public String sourceFormat() { return sourceFormat; }
    /** The sensor metadata of a packed raw image, or {@code null}. */
    public RawInfo raw() { return raw; }
    /** The photo's EXIF, XMP and ICC profile as read from its file, carried to outputs; {@code null} when none. */
    public PhotoMetadata metadata() { return metadata; }

    /** The same image carrying the given photo metadata (not part of {@link #equals}: that compares pixels and tags). */
    public Image withMetadata(PhotoMetadata newMetadata) {
        return new Image(width, height, planes, alpha, bitDepth, encoding, sourceFormat, raw, newMetadata);
    }

    public float get(int c, int x, int y) { return planes[c][y * width + x]; }

    /** Same size, alpha, depth and tags, with new colour planes (e.g. a restorer's output). */
    public Image withPlanes(float[][] newPlanes) {
        return new Image(width, height, newPlanes, alpha, bitDepth, encoding, sourceFormat, raw, metadata);
    }

    public Image withBitDepth(int depth) {
        return new Image(width, height, planes, alpha, depth, encoding, sourceFormat, raw, metadata);
    }

    @Override
    public String toString() {
        return width + "x" + height + " " + (raw != null ? "packed raw " + raw.cfaPattern() : planes.length == 1 ? "gray" : planes.length == 3 ? "RGB" : planes.length + "-plane") + (alpha != null ? "+alpha" : "")
                + " " + bitDepth + "-bit " + encoding + " (" + sourceFormat + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Image)) return false;
        Image other = (Image) o;
        return width == other.width && height == other.height && bitDepth == other.bitDepth
                && encoding == other.encoding && Objects.equals(raw, other.raw) && Arrays.deepEquals(planes, other.planes) && Arrays.equals(alpha, other.alpha);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, bitDepth, encoding, Arrays.deepHashCode(planes));
    }
}
