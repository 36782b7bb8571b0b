package dev.lucid.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The hostile-input corpus of issue #21, generated from a fixed seed into a folder at test time (nothing large is
 * committed): truncated and bit-flipped files, empty and header-only files, wrong extensions, degenerate and
 * enormous declared sizes, decompression bombs, unusual bit depths and colour types, CMYK and arithmetic JPEG,
 * multi-page and compressed TIFF, float TIFF, camera raws, EXIF orientations on odd sizes, ICC profiles, oversized
 * text chunks, a symlink loop and a folder named like an image. Each case says what Lucid must do with it: give an
 * image of a known size, or refuse it with one line. The tests run every case through the library and the CLI.
 */
public final class HostileCorpus {

    /** The pixel limit the corpus is read with: the declared-size and bomb cases exceed it, nothing else does. */
    public static final long PIXEL_LIMIT = 50_000_000L;

    /** One input: an image of width × height (orientation applied), or, when width is 0, an error whose message holds {@code error}. */
    public record Case(String category, Path file, int width, int height, String error, boolean referenceCheck) {
        public boolean isImage() { return width > 0; }

        @Override
        public String toString() { return category + ": " + file.getFileName(); }
    }

    private final Path dir;
    private final List<Case> cases = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(2121);

    private HostileCorpus(Path dir) { this.dir = dir; }

    public static List<Case> generate(Path dir) throws IOException {
        HostileCorpus c = new HostileCorpus(Files.createDirectories(dir));
        c.damaged();
        c.emptyAndHeaders();
        c.sizes();
        c.depthsAndColourTypes();
        c.jpegVariants();
        c.tiffVariants();
        c.cameraRaws();
        c.metadata();
        c.fileSystem();
        return List.copyOf(c.cases);
    }

    // ---- categories ----

    private void damaged() throws IOException {
        Image scene = TestImages.scene(61, 43);
        for (String ext : new String[] {"png", "jpg", "tif", "bmp"}) {
            byte[] good = encode(scene, ext);
            image("truncated and bit-flipped", "good." + ext, good, 61, 43, true);
            error("truncated and bit-flipped", "half." + ext, Arrays.copyOf(good, good.length / 2), "");
            byte[] flipped = good.clone();
            flipped[1] ^= 0x10;                                          // the signature / magic number broken
            error("truncated and bit-flipped", "magic-flipped." + ext, flipped, "");
        }
        byte[] png = encode(scene, "png");
        byte[] idat = png.clone();
        int at = indexOf(idat, "IDAT".getBytes(StandardCharsets.US_ASCII)) + 20;
        for (int k = 0; k < 8; k++) idat[at + random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));   // compressed data damaged
        error("truncated and bit-flipped", "idat-flipped.png", idat, "");
        byte[] tif = encode(scene, "tif");
        error("truncated and bit-flipped", "cut-in-header.tif", Arrays.copyOf(tif, 12), "");
    }

    private void emptyAndHeaders() throws IOException {
        error("empty and header-only", "empty.png", new byte[0], "empty (0 bytes)");
        error("empty and header-only", "empty.jpg", new byte[0], "empty (0 bytes)");
        error("empty and header-only", "signature-only.png", Arrays.copyOf(encode(TestImages.scene(8, 8), "png"), 8), "");
        error("empty and header-only", "ihdr-only.png", png(8, 8, 8, 2, new byte[0], false, List.of()), "");
        error("empty and header-only", "soi-only.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8}, "");
        error("empty and header-only", "tiff-header-only.tif", new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}, "");
        error("wrong extension", "text.png", "this is a shopping list, not a picture\n".getBytes(StandardCharsets.UTF_8), "not an image");
        image("wrong extension", "png-named.jpg", encode(TestImages.scene(30, 20), "png"), 30, 20, true);
        image("wrong extension", "jpeg-named.png", encode(TestImages.scene(30, 20), "jpg"), 30, 20, true);
        image("wrong extension", "tiff-named.bmp", encode(TestImages.scene(30, 20), "tif"), 30, 20, true);
        image("wrong extension", "no-extension", encode(TestImages.scene(30, 20), "png"), 30, 20, true);
    }

    private void sizes() throws IOException {
        error("degenerate and enormous sizes", "zero-by-zero.png", png(0, 0, 8, 2, new byte[0], true, List.of()), "");
        image("degenerate and enormous sizes", "one-pixel.png", encode(TestImages.scene(1, 1), "png"), 1, 1, true);
        image("degenerate and enormous sizes", "one-pixel.jpg", encode(TestImages.scene(1, 1), "jpg"), 1, 1, true);
        image("degenerate and enormous sizes", "one-pixel.tif", encode(TestImages.scene(1, 1), "tif"), 1, 1, true);
        image("degenerate and enormous sizes", "one-pixel.bmp", encode(TestImages.scene(1, 1), "bmp"), 1, 1, true);
        image("degenerate and enormous sizes", "one-row.png", encode(TestImages.scene(997, 1), "png"), 997, 1, true);
        error("degenerate and enormous sizes", "100000x100000.png", png(100_000, 100_000, 8, 2, new byte[0], true, List.of()), "megapixels");
        error("degenerate and enormous sizes", "65535x65535.jpg", jpegWithSize(65535, 65535), "megapixels");
        error("degenerate and enormous sizes", "100000x100000.tif", tiffHeader(100_000, 100_000), "megapixels");
        error("degenerate and enormous sizes", "100000x100000.bmp", bmpHeader(100_000, 100_000), "");
        // decompression bombs: a few kilobytes that would inflate to gigabytes; refused from the header
        byte[] zeros = deflate(new byte[(30_000 + 1) * 64]);               // 64 rows of zeros, the rest missing
        error("decompression bombs", "bomb-idat-zeros.png", png(30_000, 30_000, 8, 0, zeros, true, List.of()), "megapixels");
        error("decompression bombs", "bomb-tiff-strip.tif", tiffHeader(20_000, 20_000), "megapixels");
        error("decompression bombs", "bomb-jpeg.jpg", jpegWithSize(40_000, 40_000), "megapixels");
    }

    private void depthsAndColourTypes() throws IOException {
        int w = 13, h = 7;
        for (int bits : new int[] {1, 2, 4}) {
            image("bit depths and colour types", bits + "-bit-gray.png", png(w, h, bits, 0, deflate(rows(h, (w * bits + 7) / 8)), true, List.of()), w, h, true);
        }
        byte[] palette = new byte[16 * 3];
        for (int i = 0; i < palette.length; i++) palette[i] = (byte) (i * 16);
        image("bit depths and colour types", "4-bit-palette.png", png(w, h, 4, 3, deflate(rows(h, (w * 4 + 7) / 8)), true,
                List.of(chunk("PLTE", palette))), w, h, true);
        byte[] alpha = new byte[16];
        for (int i = 0; i < alpha.length; i++) alpha[i] = (byte) (255 - i * 17);
        image("bit depths and colour types", "palette-transparency.png", png(w, h, 4, 3, deflate(rows(h, (w * 4 + 7) / 8)), true,
                List.of(chunk("PLTE", palette), chunk("tRNS", alpha))), w, h, true);
        image("bit depths and colour types", "16-bit-gray-alpha.png", png(w, h, 16, 4, deflate(rows(h, w * 4)), true, List.of()), w, h, true);
        image("bit depths and colour types", "16-bit-rgb.png", encode(TestImages.random(w, h, 3, false, 16, 3), "png"), w, h, true);
        image("bit depths and colour types", "8-bit-gray-alpha.png", png(w, h, 8, 4, deflate(rows(h, w * 2)), true, List.of()), w, h, true);
        image("bit depths and colour types", "rgba.png", encode(TestImages.random(w, h, 3, true, 8, 4), "png"), w, h, true);
        image("bit depths and colour types", "1-bit.bmp", indexedBmp(w, h, BufferedImage.TYPE_BYTE_BINARY), w, h, true);
        image("bit depths and colour types", "8-bit-palette.bmp", indexedBmp(w, h, BufferedImage.TYPE_BYTE_INDEXED), w, h, true);
        image("bit depths and colour types", "gray.jpg", encode(TestImages.random(w, h, 1, false, 8, 5), "jpg"), w, h, true);
    }

    private void jpegVariants() throws IOException {
        byte[] lossless = encode(TestImages.scene(16, 16), "jpg");
        lossless[startOfFrame(lossless) + 1] = (byte) 0xC3;
        error("JPEG variants", "lossless.jpg", lossless, "lossless coding");
        image("JPEG variants", "progressive.jpg", progressiveJpeg(TestImages.scene(40, 30)), 40, 30, true);
        byte[] cmyk = cmykJpeg(24, 16);
        error("JPEG variants", "cmyk.jpg", cmyk, "CMYK or YCCK JPEG");
        error("JPEG variants", "ycck.jpg", adobeApp14(cmyk, 2), "CMYK or YCCK JPEG");
        byte[] arithmetic = encode(TestImages.scene(16, 16), "jpg");
        arithmetic[startOfFrame(arithmetic) + 1] = (byte) 0xC9;                                 // SOF9: arithmetic-coded, sequential
        error("JPEG variants", "arithmetic.jpg", arithmetic, "arithmetic coding");
    }

    private void tiffVariants() throws IOException {
        Image scene = TestImages.scene(33, 21);
        for (String compression : new String[] {"LZW", "Deflate", "PackBits"}) {
            image("TIFF variants", compression.toLowerCase() + ".tif", tiff(List.of(bufferedRgb(scene)), compression), 33, 21, true);
        }
        image("TIFF variants", "multi-page.tif", tiff(List.of(bufferedRgb(scene), bufferedRgb(TestImages.scene(9, 5))), null), 33, 21, false);
        error("TIFF variants", "float.tif", floatTiff(9, 5), "not supported");
        image("TIFF variants", "16-bit.tif", encode(TestImages.random(12, 9, 3, false, 16, 6), "tif"), 12, 9, true);
    }

    private void cameraRaws() throws IOException {
        byte[] tif = encode(TestImages.scene(16, 16), "tif");
        error("camera raws", "camera.dng", tif, "raw");
        error("camera raws", "camera.cr2", tif, "raw");
        error("camera raws", "camera.nef", tif, "raw");
        error("camera raws", "camera.arw", tif, "raw");
        error("camera raws", "dng-named.tif", withTag(tif, 50706, new byte[] {1, 4, 0, 0}), "DNG");
    }

    private void metadata() throws IOException {
        for (int orientation = 1; orientation <= 8; orientation++) {
            byte[] jpeg = ImageFilesTest.insertAfterSoi(encode(TestImages.scene(7, 3), "jpg"), ImageFilesTest.exifApp1(orientation));
            boolean swapped = orientation >= 5;
            image("EXIF orientation", "orientation-" + orientation + ".jpg", jpeg, swapped ? 3 : 7, swapped ? 7 : 3, true);
        }
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[] iccp = concat("sRGB\0\0".getBytes(StandardCharsets.ISO_8859_1), deflate(icc));
        image("ICC profiles and text", "icc.png", png(11, 6, 8, 2, deflate(rows(6, 33)), true, List.of(chunk("iCCP", iccp))), 11, 6, true);
        byte[] app2 = concat(new byte[] {(byte) 0xFF, (byte) 0xE2, 0, 0}, "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {1, 1}, icc);
        app2[2] = (byte) ((app2.length - 2) >> 8);
        app2[3] = (byte) (app2.length - 2);
        image("ICC profiles and text", "icc.jpg", ImageFilesTest.insertAfterSoi(encode(TestImages.scene(11, 6), "jpg"), app2), 11, 6, true);
        byte[] broken = icc.clone();
        Arrays.fill(broken, 0, 128, (byte) 0x5A);                          // the profile header is garbage
        image("ICC profiles and text", "broken-icc.png", png(11, 6, 8, 2, deflate(rows(6, 33)), true,
                List.of(chunk("iCCP", concat("bad\0\0".getBytes(StandardCharsets.ISO_8859_1), deflate(broken))))), 11, 6, false);
        byte[] text = new byte[1 << 20];
        Arrays.fill(text, (byte) 'a');
        image("ICC profiles and text", "huge-text-chunk.png", png(4, 4, 8, 2, deflate(rows(4, 12)), true,
                List.of(chunk("tEXt", concat("Comment\0".getBytes(StandardCharsets.ISO_8859_1), text)))), 4, 4, true);
        byte[] ztext = concat("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1), deflate(new byte[50 << 20]));
        image("ICC profiles and text", "zTXt-bomb.png", png(4, 4, 8, 2, deflate(rows(4, 12)), true, List.of(chunk("zTXt", ztext))), 4, 4, false);
    }

    private void fileSystem() throws IOException {
        Path a = dir.resolve("loop-a.png"), b = dir.resolve("loop-b.png");
        Files.createSymbolicLink(a, b.getFileName());
        Files.createSymbolicLink(b, a.getFileName());
        cases.add(new Case("file system", a, 0, 0, "", false));
        Path folder = Files.createDirectories(dir.resolve("folder.png"));
        cases.add(new Case("file system", folder, 0, 0, "directory", false));
        cases.add(new Case("file system", dir.resolve("missing.png"), 0, 0, "no such file", false));
        Path dangling = dir.resolve("dangling.jpg");
        Files.createSymbolicLink(dangling, dir.resolve("nowhere.jpg"));
        cases.add(new Case("file system", dangling, 0, 0, "no such file", false));
    }

    // ---- writers ----

    private void image(String category, String name, byte[] bytes, int w, int h, boolean reference) throws IOException {
        cases.add(new Case(category, Files.write(dir.resolve(name), bytes), w, h, null, reference));
    }

    private void error(String category, String name, byte[] bytes, String message) throws IOException {
        cases.add(new Case(category, Files.write(dir.resolve(name), bytes), 0, 0, message, false));
    }

    private static byte[] encode(Image image, String ext) throws IOException {
        if (ext.equals("bmp")) return imageIo(bufferedRgb(image), "bmp");
        Path tmp = Files.createTempFile("corpus", "." + ext);
        try {
            ImageFiles.write(image, tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] imageIo(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) throw new IOException("no " + format + " writer");
        return out.toByteArray();
    }

    private static BufferedImage bufferedRgb(Image image) {
        BufferedImage b = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) rgb = rgb << 8 | Math.round(255 * Math.min(1f, Math.max(0f, image.get(Math.min(c, image.channels() - 1), x, y))));
                b.setRGB(x, y, rgb);
            }
        }
        return b;
    }

    private byte[] indexedBmp(int w, int h, int type) throws IOException {
        BufferedImage b = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.setRGB(x, y, random.nextInt(0x1000000));
        return imageIo(b, "bmp");
    }

    /** An uncompressed little-endian gray TIFF of 32-bit IEEE float samples (SampleFormat 3), as HDR tools write. */
    private static byte[] floatTiff(int w, int h) {
        int entries = 10, ifd = 8, dataAt = ifd + 2 + entries * 12 + 4;
        ByteBuffer b = ByteBuffer.allocate(dataAt + 4 * w * h).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        tag(b, 256, 4, 1, w);
        tag(b, 257, 4, 1, h);
        tag(b, 258, 3, 1, 32);
        tag(b, 259, 3, 1, 1);
        tag(b, 262, 3, 1, 1);                                               // BlackIsZero
        tag(b, 273, 4, 1, dataAt);
        tag(b, 277, 3, 1, 1);
        tag(b, 278, 4, 1, h);
        tag(b, 279, 4, 1, 4 * w * h);
        tag(b, 339, 3, 1, 3);                                               // SampleFormat: IEEE float
        b.putInt(0);
        for (int i = 0; i < w * h; i++) b.putFloat(i / (float) (w * h));
        return b.array();
    }

    private static byte[] tiff(List<BufferedImage> pages, String compression) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
            writer.prepareWriteSequence(null);
            for (BufferedImage page : pages) writer.writeToSequence(new IIOImage(page, null, null), param);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] progressiveJpeg(Image image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(bufferedRgb(image), null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A four-component JPEG written from a raster (no colour model: the reader must decide what it is). */
    private byte[] cmykJpeg(int w, int h) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int c = 0; c < 4; c++) raster.setSample(x, y, c, random.nextInt(256));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The JPEG with an Adobe APP14 segment declaring the colour transform (2: YCCK). */
    private static byte[] adobeApp14(byte[] jpeg, int transform) {
        byte[] app14 = concat(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14}, "Adobe".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 100, 0, 0, 0, 0, (byte) transform});
        return ImageFilesTest.insertAfterSoi(jpeg, app14);
    }

    /** A baseline JPEG whose frame header declares w × h (the scan data is for 16 × 16). */
    private static byte[] jpegWithSize(int w, int h) throws IOException {
        byte[] jpeg = encode(TestImages.scene(16, 16), "jpg");
        int sof = startOfFrame(jpeg);
        jpeg[sof + 5] = (byte) (h >> 8);
        jpeg[sof + 6] = (byte) h;
        jpeg[sof + 7] = (byte) (w >> 8);
        jpeg[sof + 8] = (byte) w;
        return jpeg;
    }

    /** Where the JPEG's start-of-frame marker is, found by walking the segments (never inside one). */
    private static int startOfFrame(byte[] jpeg) {
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xff) == 0xFF) {
            int marker = jpeg[at + 1] & 0xff;
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) return at;
            at += 2 + ((jpeg[at + 2] & 0xff) << 8 | (jpeg[at + 3] & 0xff));
        }
        throw new IllegalStateException("no start of frame");
    }

    /** A little-endian TIFF whose first IFD declares w × h, 8-bit RGB, one Deflate strip of a few zeros. */
    private static byte[] tiffHeader(int w, int h) {
        byte[] strip = deflate(new byte[4096]);
        int entries = 9, ifd = 8, bitsAt = ifd + 2 + entries * 12 + 4, stripAt = bitsAt + 6;
        ByteBuffer b = ByteBuffer.allocate(stripAt + strip.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        tag(b, 256, 4, 1, w);
        tag(b, 257, 4, 1, h);
        tag(b, 258, 3, 3, bitsAt);
        tag(b, 259, 3, 1, 8);                                               // Deflate
        tag(b, 262, 3, 1, 2);                                               // RGB
        tag(b, 273, 4, 1, stripAt);
        tag(b, 277, 3, 1, 3);
        tag(b, 278, 4, 1, h);
        tag(b, 279, 4, 1, strip.length);
        b.putInt(0);
        b.putShort((short) 8).putShort((short) 8).putShort((short) 8);
        b.put(strip);
        return b.array();
    }

    private static void tag(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) b.putShort((short) value).putShort((short) 0);
        else b.putInt(value);
    }

    /** A TIFF with one more entry in its first IFD (tag, BYTE × 4 inline), entries kept sorted. */
    private static byte[] withTag(byte[] tiff, int tag, byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(tiff).order(tiff[0] == 'I' ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        int ifd = in.getInt(4), n = in.getShort(ifd) & 0xffff;
        // append a copy of the IFD with the new entry at the end of the file, and point the header at it
        ByteBuffer out = ByteBuffer.allocate(tiff.length + 2 + (n + 1) * 12 + 4).order(in.order());
        out.put(tiff);
        int newIfd = tiff.length;
        out.putShort((short) (n + 1));
        boolean placed = false;
        for (int i = 0; i < n; i++) {
            int entry = ifd + 2 + i * 12, t = in.getShort(entry) & 0xffff;
            if (!placed && t > tag) {
                out.putShort((short) tag).putShort((short) 1).putInt(4).put(value);
                placed = true;
            }
            out.put(tiff, entry, 12);
        }
        if (!placed) out.putShort((short) tag).putShort((short) 1).putInt(4).put(value);
        out.putInt(0);
        out.putInt(4, newIfd);
        return out.array();
    }

    private static byte[] bmpHeader(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(54 + 64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54 + 64).putInt(0).putInt(54);
        b.putInt(40).putInt(w).putInt(h).putShort((short) 1).putShort((short) 24).putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }

    /** A PNG from its IHDR fields, image data (already deflated) and extra chunks placed before IDAT. */
    private static byte[] png(int w, int h, int bits, int colourType, byte[] idat, boolean withIdat, List<byte[]> extra) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) bits).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        List<byte[]> parts = new ArrayList<>();
        parts.add(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        parts.add(chunk("IHDR", ihdr.array()));
        parts.addAll(extra);
        if (withIdat) parts.add(chunk("IDAT", idat));
        parts.add(chunk("IEND", new byte[0]));
        return concat(parts.toArray(new byte[0][]));
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue()).array();
    }

    /** h rows of {@code rowBytes} pseudo-random bytes, each after a filter byte of 0. */
    private byte[] rows(int h, int rowBytes) {
        byte[] raw = new byte[h * (rowBytes + 1)];
        for (int y = 0; y < h; y++) for (int i = 0; i < rowBytes; i++) raw[y * (rowBytes + 1) + 1 + i] = (byte) random.nextInt(256);
        return raw;
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(9);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
            return i;
        }
        throw new IllegalStateException("pattern not found");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
