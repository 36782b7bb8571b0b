package dev.lucid.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Uncompressed DNG files of a Bayer mosaic, for raw denoising (Tell-Me): {@link #write} lays a packed raw image (four
 * half-size planes R, G1, G2, B with its {@link RawInfo}) out as a 16-bit CFA mosaic with the DNG tags a raw reader
 * needs (CFA pattern, black and white level, as-shot neutral, colour matrix); {@link #read} reads such a file back
 * into a packed image. The reader takes the raw image from IFD0 or from one level of SubIFDs (where cameras put it),
 * uncompressed, 16-bit, in strips; anything else is refused in one line naming what it is.
 */
public final class Dng {

    private Dng() {}

    private static final int NEW_SUBFILE_TYPE = 254, WIDTH = 256, HEIGHT = 257, BITS = 258, COMPRESSION = 259, PHOTOMETRIC = 262,
            MAKE = 271, MODEL = 272, STRIP_OFFSETS = 273, SAMPLES = 277, ROWS_PER_STRIP = 278, STRIP_BYTES = 279, PLANAR = 284,
            SUB_IFDS = 330, CFA_DIM = 33421, CFA_PATTERN = 33422, DNG_VERSION = 50706, UNIQUE_MODEL = 50708, BLACK = 50714,
            WHITE = 50717, COLOR_MATRIX_1 = 50721, AS_SHOT_NEUTRAL = 50728, ILLUMINANT_1 = 50778, CFA = 32803;
    private static final int BYTE = 1, ASCII = TiffIfd.ASCII, SHORT = TiffIfd.SHORT, LONG = TiffIfd.LONG, RATIONAL = TiffIfd.RATIONAL,
            SRATIONAL = TiffIfd.SRATIONAL;

    /** Writes a packed raw image (4 planes, with raw metadata) as a 16-bit uncompressed DNG mosaic of twice its size. */
    public static void write(Image packed, Path target) throws IOException {
        byte[] file = encode(packed);
        AtomicFiles.write(target, tmp -> Files.write(tmp, file));
    }

    /** The DNG file of a packed raw image (see {@link #write}). */
    public static byte[] encode(Image packed) {
        RawInfo raw = packed.raw();
        if (raw == null || packed.channels() != 4) throw new IllegalArgumentException("a DNG holds a packed raw image (4 planes with raw metadata)");
        int w = 2 * packed.width(), h = 2 * packed.height();
        ByteBuffer pixels = ByteBuffer.allocate(2 * w * h).order(ByteOrder.LITTLE_ENDIAN);
        double range = raw.whiteLevel() - raw.blackLevel();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // values below 0 (read noise of dark pixels) keep what the black level leaves room for; above 1, clipped at 16 bits
                long sample = Math.round(raw.blackLevel() + packed.get(raw.planeAt(y % 2, x % 2), x / 2, y / 2) * range);
                pixels.putShort((short) Math.min(65535, Math.max(0, sample)));
            }
        }
        List<Entry> tags = new ArrayList<>();
        tags.add(integers(NEW_SUBFILE_TYPE, LONG, 0));
        tags.add(integers(WIDTH, LONG, w));
        tags.add(integers(HEIGHT, LONG, h));
        tags.add(integers(BITS, SHORT, 16));
        tags.add(integers(COMPRESSION, SHORT, 1));
        tags.add(integers(PHOTOMETRIC, SHORT, CFA));
        tags.add(ascii(MAKE, "Lucid"));
        tags.add(ascii(MODEL, "simulated camera"));
        tags.add(integers(STRIP_OFFSETS, LONG, 0));                    // filled in once the layout is known
        tags.add(integers(SAMPLES, SHORT, 1));
        tags.add(integers(ROWS_PER_STRIP, LONG, h));
        tags.add(integers(STRIP_BYTES, LONG, 2 * w * h));
        tags.add(integers(PLANAR, SHORT, 1));
        tags.add(integers(CFA_DIM, SHORT, 2, 2));
        byte[] pattern = new byte[4];
        for (int i = 0; i < 4; i++) pattern[i] = (byte) "RGB".indexOf(raw.cfaPattern().charAt(i));
        tags.add(new Entry(CFA_PATTERN, BYTE, 4, pattern));
        tags.add(new Entry(DNG_VERSION, BYTE, 4, new byte[] {1, 4, 0, 0}));
        tags.add(ascii(UNIQUE_MODEL, "Lucid simulated camera"));
        tags.add(rationals(BLACK, RATIONAL, raw.blackLevel()));
        tags.add(integers(WHITE, LONG, (long) Math.round(raw.whiteLevel())));
        tags.add(rationals(COLOR_MATRIX_1, SRATIONAL, xyzToCamera(raw.colourMatrix())));
        double[] gains = raw.whiteBalance();
        tags.add(rationals(AS_SHOT_NEUTRAL, RATIONAL, 1 / gains[0], 1 / gains[1], 1 / gains[2]));
        tags.add(integers(ILLUMINANT_1, SHORT, 21));                   // D65
        tags.sort(Comparator.comparingInt(Entry::tag));
        // layout: header, IFD, values longer than 4 bytes, pixels
        int ifdSize = 2 + 12 * tags.size() + 4, at = 8 + ifdSize;
        List<Integer> offsets = new ArrayList<>();
        for (Entry e : tags) {
            offsets.add(at);
            if (e.value().length > 4) at += e.value().length + (e.value().length & 1);
        }
        int pixelsAt = at;
        ByteBuffer out = ByteBuffer.allocate(pixelsAt + pixels.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {'I', 'I', 42, 0}).putInt(8).putShort((short) tags.size());
        for (int i = 0; i < tags.size(); i++) {
            Entry e = tags.get(i);
            out.putShort((short) e.tag()).putShort((short) e.type()).putInt(e.count());
            if (e.tag() == STRIP_OFFSETS) out.putInt(pixelsAt);
            else if (e.value().length > 4) out.putInt(offsets.get(i));
            else out.put(java.util.Arrays.copyOf(e.value(), 4));
        }
        out.putInt(0);
        for (Entry e : tags) if (e.value().length > 4) out.put(e.value()).put(new byte[e.value().length & 1]);
        out.put(pixels.array());
        return out.array();
    }

    /** Reads an uncompressed 16-bit DNG mosaic as a packed raw image (4 half-size planes and its {@link RawInfo}). */
    public static Image read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString(), ImageFiles.DEFAULT_MAX_PIXELS);
    }

    /**
     * Reads a DNG, or a TIFF whose first image is a CFA mosaic (TIFF/EP: its CFA pattern tags; without DNG metadata
     * the levels are 0 and 65 535, the white balance neutral and the colour matrix the identity), as a packed raw image.
     * {@code maxPixels} bounds the mosaic's size, as for other images.
     */
    static Image read(byte[] bytes, String name, long maxPixels) throws ImageFormatException {
        try {
            ByteOrder order = TiffIfd.order(bytes);
            if (order == null) throw new ImageFormatException(name + " is not a DNG (no TIFF header)");
            ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
            TiffIfd first = TiffIfd.first(bytes);
            if (!first.has(DNG_VERSION) && !isCfa(first)) throw new ImageFormatException(name + " is not a DNG (no DNGVersion tag) nor a CFA TIFF");
            TiffIfd mosaic = isCfa(first) ? first : null;
            if (mosaic == null && first.has(SUB_IFDS)) {
                for (long offset : first.longs(SUB_IFDS)) {
                    TiffIfd sub = first.at(offset);
                    if (isCfa(sub)) mosaic = sub;
                }
            }
            if (mosaic == null) throw new ImageFormatException(name + ": no Bayer (CFA) raw image in it (linear or demosaiced DNGs are not read)");
            long compression = mosaic.has(COMPRESSION) ? mosaic.longs(COMPRESSION)[0] : 1;
            if (compression != 1) {
                throw new ImageFormatException(name + ": its raw image is compressed (" + (compression == 7 ? "lossless JPEG" : "compression " + compression)
                        + "); only uncompressed DNGs are read");
            }
            if (mosaic.longs(BITS)[0] != 16 || mosaic.longs(SAMPLES)[0] != 1) throw new ImageFormatException(name + ": only 16-bit, one-sample mosaics are read");
            long[] dim = mosaic.longs(CFA_DIM);
            if (dim[0] != 2 || dim[1] != 2) throw new ImageFormatException(name + ": only 2x2 CFA patterns are read");
            StringBuilder pattern = new StringBuilder();
            for (long c : mosaic.longs(CFA_PATTERN)) pattern.append("RGB".charAt((int) c));
            int w = (int) mosaic.longs(WIDTH)[0], h = (int) mosaic.longs(HEIGHT)[0];
            if (w < 2 || h < 2) throw new ImageFormatException(name + ": a mosaic of " + w + "x" + h + " is too small");
            ImageFormatException.TooLarge.check(name, w, h, maxPixels);
            double black = mosaic.has(BLACK) ? mosaic.doubles(BLACK)[0] : first.has(BLACK) ? first.doubles(BLACK)[0] : 0;
            double white = mosaic.has(WHITE) ? mosaic.doubles(WHITE)[0] : first.has(WHITE) ? first.doubles(WHITE)[0] : 65535;
            double[] neutral = first.has(AS_SHOT_NEUTRAL) ? first.doubles(AS_SHOT_NEUTRAL) : new double[] {1, 1, 1};
            double[] matrix = first.has(COLOR_MATRIX_1) ? cameraToXyz(first.doubles(COLOR_MATRIX_1)) : new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
            RawInfo raw = new RawInfo(pattern.toString(), black, white, new double[] {1 / neutral[0], 1 / neutral[1], 1 / neutral[2]}, matrix);
            long[] strips = mosaic.longs(STRIP_OFFSETS), counts = mosaic.longs(STRIP_BYTES);
            long rowsPerStrip = mosaic.has(ROWS_PER_STRIP) ? mosaic.longs(ROWS_PER_STRIP)[0] : h;
            float[] samples = new float[w * h];
            for (int y = 0; y < h; y++) {
                int strip = (int) (y / rowsPerStrip);
                long at = strips[strip] + 2L * w * (y - strip * rowsPerStrip);
                if (strip >= counts.length || at + 2L * w > bytes.length) throw new ImageFormatException(name + " is truncated (its pixels end at byte " + bytes.length + ")");
                for (int x = 0; x < w; x++) samples[y * w + x] = b.getShort((int) (at + 2L * x)) & 0xffff;
            }
            return packed(samples, w, h, raw, "dng");
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new ImageFormatException(name + " is truncated or damaged (a tag or its pixels point past the end of the file)", e);
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * A mosaic of sensor samples (H×W, row-major) as a packed raw image: normalised between the black and white level of
     * {@code raw} (below black stays negative), in 4 half-size planes R, G1, G2, B; odd sides lose their last row or column.
     */
    static Image packed(float[] mosaic, int w, int h, RawInfo raw, String format) {
        float[][] planes = new float[4][(w / 2) * (h / 2)];
        double black = raw.blackLevel(), range = raw.whiteLevel() - raw.blackLevel();
        for (int y = 0; y < h / 2 * 2; y++) {
            for (int x = 0; x < w / 2 * 2; x++) planes[raw.planeAt(y % 2, x % 2)][(y / 2) * (w / 2) + x / 2] = (float) ((mosaic[y * w + x] - black) / range);
        }
        return new Image(w / 2, h / 2, planes, null, 16, Image.Encoding.LINEAR, format, raw);
    }

    private static boolean isCfa(TiffIfd ifd) { return ifd.has(PHOTOMETRIC) && ifd.longs(PHOTOMETRIC)[0] == CFA; }

    /** DNG's ColorMatrix maps XYZ to camera; RawInfo holds camera to XYZ: the inverse. */
    private static double[] xyzToCamera(double[] cameraToXyz) { return Matrix3.invert(cameraToXyz); }

    private static double[] cameraToXyz(double[] xyzToCamera) { return Matrix3.invert(xyzToCamera); }

    private record Entry(int tag, int type, int count, byte[] value) {}

    /** SHORT or LONG values. */
    private static Entry integers(int tag, int type, long... values) {
        ByteBuffer v = ByteBuffer.allocate(values.length * (type == SHORT ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : values) {
            if (type == SHORT) v.putShort((short) x);
            else v.putInt((int) x);
        }
        return new Entry(tag, type, values.length, v.array());
    }

    private static Entry ascii(int tag, String text) {
        byte[] v = (text + "\0").getBytes(StandardCharsets.US_ASCII);
        return new Entry(tag, ASCII, v.length, v);
    }

    /** Rationals with a denominator of 10 000 (signed for SRATIONAL). */
    private static Entry rationals(int tag, int type, double... values) {
        ByteBuffer v = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : values) v.putInt((int) Math.round(x * 10_000)).putInt(10_000);
        return new Entry(tag, type, values.length, v.array());
    }
}
