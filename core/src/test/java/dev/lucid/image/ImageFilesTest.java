package dev.lucid.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageFilesTest {

    @TempDir Path dir;

    @ParameterizedTest(name = "{0} {1}-bit {2} channels alpha={3}")
    @CsvSource({
        "png, 8, 3, false", "png, 16, 3, false", "png, 8, 1, false", "png, 16, 1, false",
        "png, 8, 3, true", "png, 16, 3, true",
        "tif, 8, 3, false", "tif, 16, 3, false", "tif, 8, 1, false", "tif, 16, 1, false", "tif, 16, 3, true"})
    void roundTripIsBitExact(String ext, int depth, int channels, boolean alpha) throws IOException {
        Image original = TestImages.random(37, 23, channels, alpha, depth, 42);
        Path file = dir.resolve("img." + ext);
        ImageFiles.write(original, file);
        Image back = ImageFiles.read(file);
        assertEquals(depth, back.bitDepth());
        assertEquals(channels, back.channels());
        assertEquals(alpha, back.hasAlpha());
        for (int c = 0; c < channels; c++) assertArrayEquals(original.plane(c), back.plane(c), 0f, "plane " + c);
        if (alpha) assertArrayEquals(original.alpha(), back.alpha(), 0f);
    }

    @Test
    void jpegIsWrittenAt8BitWithQualityAndReadBackClose() throws IOException {
        Image scene = TestImages.scene(64, 48);
        Path hi = dir.resolve("hi.jpg"), lo = dir.resolve("lo.jpg");
        ImageFiles.write(scene, hi, 98);
        ImageFiles.write(scene, lo, 20);
        assertTrue(Files.size(lo) < Files.size(hi), "lower quality must give a smaller file");
        Image back = ImageFiles.read(hi);
        assertEquals(8, back.bitDepth());
        assertEquals("jpeg", back.sourceFormat());
        double err = 0;
        for (int c = 0; c < 3; c++) for (int i = 0; i < back.plane(c).length; i++) err += Math.abs(back.plane(c)[i] - scene.plane(c)[i]);
        err /= 3.0 * back.pixels();
        assertTrue(err < 0.02, "mean error " + err);
    }

    @Test
    void readsBmpAndPalettePng() throws IOException {
        BufferedImage bmp = new BufferedImage(5, 4, BufferedImage.TYPE_3BYTE_BGR);
        bmp.setRGB(2, 1, 0x00FF8000);
        Path bmpFile = dir.resolve("a.bmp");
        ImageIO.write(bmp, "bmp", bmpFile.toFile());
        Image a = ImageFiles.read(bmpFile);
        assertEquals(3, a.channels());
        assertEquals(1f, a.get(0, 2, 1));
        assertEquals(128 / 255f, a.get(1, 2, 1));

        byte[] r = {0, (byte) 255}, g = {0, 0}, b = {0, (byte) 200};
        BufferedImage pal = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        pal.getRaster().setSample(1, 1, 0, 1);
        Path palFile = dir.resolve("p.png");
        ImageIO.write(pal, "png", palFile.toFile());
        Image p = ImageFiles.read(palFile);
        assertEquals(3, p.channels());
        assertEquals(200 / 255f, p.get(2, 1, 1));
        assertEquals(0f, p.get(2, 0, 0));
    }

    @Test
    void jpegExifOrientationIsApplied() throws IOException {
        // 4x2 image, left half white: with orientation 6 (rotate 90° clockwise) it displays as 2x4, top half white.
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) for (int x = 0; x < 2; x++) img.setRGB(x, y, 0xFFFFFF);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        byte[] data = jpeg.toByteArray();
        byte[] withExif = insertAfterSoi(data, exifApp1(6));
        Path file = dir.resolve("rot.jpg");
        Files.write(file, withExif);
        Image read = ImageFiles.read(file);
        assertEquals(2, read.width());
        assertEquals(4, read.height());
        assertTrue(read.get(0, 0, 0) > 0.8f && read.get(0, 1, 1) > 0.8f, "top half white");
        assertTrue(read.get(0, 0, 3) < 0.2f && read.get(0, 1, 2) < 0.2f, "bottom half black");
    }

    @Test
    void jpegExifXmpAndIccGoToTheOutputWithTheOrientationReset() throws IOException {
        BufferedImage img = new BufferedImage(40, 24, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 24; y++) for (int x = 0; x < 40; x++) img.setRGB(x, y, (x * 6) << 16 | (y * 10) << 8 | 90);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        byte[] icc = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
        byte[] xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF/></x:xmpmeta>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withAll = insertAfterSoi(insertAfterSoi(insertAfterSoi(jpeg.toByteArray(), segment(0xE2, concat("ICC_PROFILE\0".getBytes(), new byte[] {1, 1}, icc))),
                segment(0xE1, concat("http://ns.adobe.com/xap/1.0/\0".getBytes(), xmp))), exifApp1(6));
        Path in = dir.resolve("camera.jpg"), out = dir.resolve("restored.jpg");
        Files.write(in, withAll);
        Image read = ImageFiles.read(in);
        assertEquals(24, read.width(), "rotated upright");
        PhotoMetadata meta = read.metadata();
        assertArrayEquals(icc, meta.icc());
        assertArrayEquals(xmp, meta.xmp());
        assertEquals(1, ExifOrientation.fromApp1(concat("Exif\0\0".getBytes(), meta.exif())), "orientation reset: the pixels are upright");
        ImageFiles.write(read.withPlanes(read.planes()), out);   // a restorer's output keeps the input's metadata
        Image back = ImageFiles.read(out);
        assertEquals(24, back.width(), "not rotated a second time");
        assertArrayEquals(meta.exif(), back.metadata().exif(), "EXIF");
        assertArrayEquals(meta.xmp(), back.metadata().xmp(), "XMP");
        assertArrayEquals(meta.icc(), back.metadata().icc(), "ICC");
        Path png = dir.resolve("restored.png");
        ImageFiles.write(read, png);
        byte[] bytes = Files.readAllBytes(png);
        java.util.Map<String, byte[]> chunks = new java.util.LinkedHashMap<>();
        for (int i = 8; i < bytes.length; ) {
            int n = ByteBuffer.wrap(bytes, i, 4).getInt();
            chunks.putIfAbsent(new String(bytes, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1), Arrays.copyOfRange(bytes, i + 8, i + 8 + n));
            i += 12 + n;
        }
        assertEquals(List.of("IHDR", "iCCP", "eXIf", "iTXt", "IDAT", "IEND"), List.copyOf(chunks.keySet()), "metadata chunks right after IHDR");
        assertArrayEquals(meta.exif(), chunks.get("eXIf"));
        assertEquals(read, ImageFiles.read(png), "the PNG holds the same pixels");
    }

    static byte[] segment(int marker, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void allEightOrientationsMapCornersCorrectly() {
        Image img = TestImages.random(3, 2, 1, false, 8, 1);
        float topLeft = img.get(0, 0, 0), topRight = img.get(0, 2, 0), bottomLeft = img.get(0, 0, 1);
        assertEquals(topRight, ExifOrientation.apply(img, 2).get(0, 0, 0));
        assertEquals(img.get(0, 2, 1), ExifOrientation.apply(img, 3).get(0, 0, 0));
        assertEquals(bottomLeft, ExifOrientation.apply(img, 4).get(0, 0, 0));
        assertEquals(topLeft, ExifOrientation.apply(img, 5).get(0, 0, 0));
        assertEquals(bottomLeft, ExifOrientation.apply(img, 6).get(0, 0, 0));
        assertEquals(img.get(0, 2, 1), ExifOrientation.apply(img, 7).get(0, 0, 0));
        assertEquals(topRight, ExifOrientation.apply(img, 8).get(0, 0, 0));
    }

    static byte[] exifApp1(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 6 + 8 + 2 + 12 + 4);
        b.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (b.capacity() - 2));
        b.put("Exif".getBytes()).put((byte) 0).put((byte) 0);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }

    // ---- bad input: one clear message, no partial result ----

    @Test
    void notAnImage() throws IOException {
        Path f = dir.resolve("notes.png");
        Files.writeString(f, "this is text, not pixels");
        assertMessage(f, "is not an image");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = dir.resolve("empty.png");
        Files.createFile(f);
        assertMessage(f, "empty (0 bytes)");
    }

    @Test
    void missingFile() {
        assertMessage(dir.resolve("nope.png"), "no such file");
    }

    @ParameterizedTest(name = "truncated {0}")
    @CsvSource({"png", "jpg"})
    void truncatedFiles(String ext) throws IOException {
        Path good = dir.resolve("good." + ext);
        ImageFiles.write(TestImages.random(64, 64, 3, false, 8, 3), good, 90);
        byte[] bytes = Files.readAllBytes(good);
        Path f = dir.resolve("cut." + ext);
        Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
        assertMessage(f, "truncated");
    }

    @Test
    void hugeHeaderIsRefusedBeforeDecoding() throws IOException {
        Path f = dir.resolve("huge.png");
        Files.write(f, pngHeaderOnly(100_000, 100_000));
        long before = Runtime.getRuntime().totalMemory();
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains("100000x100000") && e.getMessage().contains("--max-pixels"), e.getMessage());
        assertTrue(Runtime.getRuntime().totalMemory() - before < 1_000_000_000L, "nothing image-sized was allocated");
        assertThrows(ImageFormatException.class, () -> ImageFiles.read(dir.resolve("huge.png"), 50));
    }

    @Test
    void streamsCarryTheSameImagesAndTheSameLimits() throws IOException {
        for (ImageFiles.Format format : new ImageFiles.Format[] {ImageFiles.Format.PNG, ImageFiles.Format.TIFF}) {
            Image img = TestImages.random(37, 29, 3, true, 16, 4);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            ImageFiles.write(img, bytes, format, 95);
            Path f = dir.resolve("same." + (format == ImageFiles.Format.PNG ? "png" : "tif"));
            ImageFiles.write(img, f);
            assertArrayEquals(Files.readAllBytes(f), bytes.toByteArray(), "stream and file hold the same bytes");
            Image back = ImageFiles.read(new java.io.ByteArrayInputStream(bytes.toByteArray()), "upload", 1_000_000);
            assertEquals(img, back);
        }
        ImageFormatException huge = assertThrows(ImageFormatException.class,
                () -> ImageFiles.read(new java.io.ByteArrayInputStream(pngHeaderOnly(100_000, 100_000)), "upload", ImageFiles.DEFAULT_MAX_PIXELS));
        assertTrue(huge.getMessage().startsWith("upload: 100000x100000"), huge.getMessage());
        ImageFormatException text = assertThrows(ImageFormatException.class,
                () -> ImageFiles.read(new java.io.ByteArrayInputStream("hello".getBytes()), "upload", 100));
        assertTrue(text.getMessage().contains("not an image"), text.getMessage());
    }

    @Test
    void cameraRawOtherThanDngIsRefusedNotReadAsItsPreview() throws IOException {
        Path plain = dir.resolve("plain.tif"), dng = dir.resolve("photo.dng"), nef = dir.resolve("preview.tif"), cr3 = dir.resolve("IMG_1.CR3");
        Files.write(plain, tiff(false, false));
        assertEquals(8, ImageFiles.read(plain).width(), "an ordinary 8x8 TIFF reads");
        Files.write(dng, tiff(true, false));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(dng));
        // a DNG is read as raw: this one holds only an 8x8 gray image (a preview), no mosaic
        assertTrue(e.getMessage().endsWith("photo.dng: no Bayer (CFA) raw image in it (linear or demosaiced DNGs are not read)"), e.getMessage());
        Files.write(nef, tiff(false, true));
        e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(nef));
        assertTrue(e.getMessage().contains("is a camera raw file"), e.getMessage());
        assertThrows(ImageFormatException.class, () -> ImageFiles.probe(dng, 1000));
        assertThrows(ImageFormatException.NotAnImage.class, () -> ImageFiles.probe(nef, 1000));
        Files.write(cr3, new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'c', 'r', 'x', ' ', 0, 0, 0, 1});
        e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(cr3));
        assertTrue(e.getMessage().contains("camera raw (CR3)"), e.getMessage());
    }

    /** An 8x8 gray little-endian TIFF; optionally with a DNGVersion tag, or with Make and a reduced-resolution flag. */
    static byte[] tiff(boolean dngVersion, boolean reducedWithMake) {
        java.util.List<int[]> entries = new java.util.ArrayList<>();   // tag, type, count, value
        if (reducedWithMake) entries.add(new int[] {254, 4, 1, 1});
        entries.add(new int[] {256, 3, 1, 8});
        entries.add(new int[] {257, 3, 1, 8});
        entries.add(new int[] {258, 3, 1, 8});
        entries.add(new int[] {259, 3, 1, 1});
        entries.add(new int[] {262, 3, 1, 1});
        if (reducedWithMake) entries.add(new int[] {271, 2, 4, 'N' | 'I' << 8 | 'K' << 16});
        entries.add(new int[] {273, 4, 1, 0});                          // strip offset, patched below
        entries.add(new int[] {277, 3, 1, 1});
        entries.add(new int[] {278, 3, 1, 8});
        entries.add(new int[] {279, 4, 1, 64});
        if (dngVersion) entries.add(new int[] {50706, 1, 4, 1 | 4 << 8});
        int ifdSize = 2 + 12 * entries.size() + 4, data = 8 + ifdSize;
        ByteBuffer b = ByteBuffer.allocate(data + 64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries.size());
        for (int[] e : entries) {
            b.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]);
            if (e[1] == 3) b.putShort((short) e[3]).putShort((short) 0);
            else b.putInt(e[0] == 273 ? data : e[3]);
        }
        b.putInt(0);
        for (int i = 0; i < 64; i++) b.put((byte) (i * 4));
        return b.array();
    }

    @Test
    void maxPixelsLimitApplies() throws IOException {
        Path f = dir.resolve("small.png");
        ImageFiles.write(TestImages.random(10, 10, 3, false, 8, 3), f);
        assertThrows(ImageFormatException.class, () -> ImageFiles.read(f, 99));
        assertEquals(10, ImageFiles.read(f, 100).width());
    }

    @Test
    void floatTiffIsUnsupported() throws IOException {
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_FLOAT);
        BufferedImage img = new BufferedImage(cm, cm.createCompatibleWritableRaster(4, 4), false, null);
        Path f = dir.resolve("float.tif");
        javax.imageio.ImageWriter w = null;
        for (var it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext();) {
            var c = it.next();
            if (c.getClass().getName().startsWith("com.sun.")) w = c;
        }
        try (var out = ImageIO.createImageOutputStream(f.toFile())) {
            w.setOutput(out);
            w.write(img);
        }
        assertMessage(f, "floating-point samples are not supported");
    }

    @Test
    void unsupportedOutputExtension() {
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> ImageFiles.write(TestImages.random(2, 2, 3, false, 8, 1), dir.resolve("out.gif")));
        assertTrue(e.getMessage().contains("unsupported output format"));
    }

    @Test
    void failedWriteLeavesNoFileAndKeepsOldTarget() throws IOException {
        Path target = dir.resolve("keep.png");
        Files.writeString(target, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void writeIntoMissingDirectoryFails() {
        IOException e = assertThrows(IOException.class,
                () -> ImageFiles.write(TestImages.random(2, 2, 3, false, 8, 1), dir.resolve("no/such/dir/out.png")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    private static void assertMessage(Path f, String expected) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    /** A PNG signature and IHDR chunk declaring the given size (valid CRC), followed by nothing. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + 17 + 4);
        out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return out.array();
    }
}
