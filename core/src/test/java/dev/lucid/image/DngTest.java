package dev.lucid.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DngTest {

    @TempDir Path dir;

    private static final double BLACK = 512, WHITE = 16383;
    private static final double[] MATRIX = {0.41, 0.36, 0.18, 0.21, 0.72, 0.07, 0.02, 0.12, 0.95};

    /** A packed raw image whose values are whole steps between black and white, so 16-bit samples hold them exactly. */
    private static Image packed(String pattern, int w, int h, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] planes = new float[4][w * h];
        for (float[] plane : planes) for (int i = 0; i < plane.length; i++) plane[i] = (float) (random.nextInt((int) (WHITE - BLACK) + 1) / (WHITE - BLACK));
        return new Image(w, h, planes, null, 16, Image.Encoding.LINEAR, "test", new RawInfo(pattern, BLACK, WHITE, new double[] {2.1, 1, 1.6}, MATRIX));
    }

    @Test
    void writesAMosaicThatDcrawReadsAndReadsItBack() throws Exception {
        String dcraw = "/usr/bin/dcraw";
        assertTrue(Files.isExecutable(Path.of(dcraw)), "this test reads our DNGs with Debian's dcraw (.ci/run installs it)");
        for (String pattern : new String[] {"RGGB", "GRBG", "BGGR", "GBRG"}) {
            Image image = packed(pattern, 24, 17, pattern.hashCode());
            Path file = dir.resolve(pattern + ".dng");
            Dng.write(image, file);
            Image back = Dng.read(file);
            assertEquals(24, back.width());
            assertEquals(17, back.height());
            for (int c = 0; c < 4; c++) assertArrayEquals(image.plane(c), back.plane(c), 1e-6f, pattern + " plane " + c);
            RawInfo raw = back.raw();
            assertEquals(pattern, raw.cfaPattern());
            assertEquals(BLACK, raw.blackLevel(), 0);
            assertEquals(WHITE, raw.whiteLevel(), 0);
            assertArrayEquals(new double[] {2.1, 1, 1.6}, raw.whiteBalance(), 2e-3);
            assertArrayEquals(MATRIX, raw.colourMatrix(), 2e-3);

            // dcraw, an independent reader: its undecoded samples (-D) are our mosaic, sample for sample
            Process p = new ProcessBuilder(dcraw, "-D", "-4", "-T", "-c", file.toString()).start();
            byte[] tiff = p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes()));
            Raster mosaic = javax.imageio.ImageIO.read(new ByteArrayInputStream(tiff)).getRaster();
            assertEquals(48, mosaic.getWidth());
            assertEquals(34, mosaic.getHeight());
            for (int y = 0; y < 34; y++) {
                for (int x = 0; x < 48; x++) {
                    char colour = pattern.charAt((y % 2) * 2 + x % 2);
                    // the packed planes are R, the green in red's row, the green in blue's row, B
                    int plane = colour == 'R' ? 0 : colour == 'B' ? 3 : (y % 2 == pattern.indexOf('R') / 2 ? 1 : 2);
                    long expected = Math.round(BLACK + image.get(plane, x / 2, y / 2) * (WHITE - BLACK));
                    assertEquals(expected, mosaic.getSample(x, y, 0), pattern + " at " + x + "," + y);
                }
            }
            Process info = new ProcessBuilder(dcraw, "-i", "-v", file.toString()).redirectErrorStream(true).start();
            String text = new String(info.getInputStream().readAllBytes());
            assertEquals(0, info.waitFor(), text);
            assertTrue(text.contains("Camera: Lucid simulated camera"), text);
            assertTrue(text.contains("Filter pattern: " + pattern.substring(0, 2) + "/" + pattern.substring(2)), text);
        }
    }

    /** A C-order .npy file (format 1.0) of a 2-D array, as numpy.save writes it. */
    static byte[] npy(String dtype, int h, int w, java.util.function.IntFunction<Number> sample) {
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + h + ", " + w + "), }";
        int size = dtype.endsWith("2") ? 2 : 4, unpadded = 10 + dict.length() + 1, header = (unpadded + 63) / 64 * 64 - 10;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header + h * w * size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes()).put((byte) 1).put((byte) 0).putShort((short) header);
        b.put((dict + " ".repeat(header - dict.length() - 1) + "\n").getBytes());
        for (int i = 0; i < h * w; i++) {
            if (size == 2) b.putShort(sample.apply(i).shortValue());
            else b.putFloat(sample.apply(i).floatValue());
        }
        return b.array();
    }

    @Test
    void readsANumpyMosaicWithItsSidecarMetadata() throws Exception {
        Path file = Files.write(dir.resolve("shot.npy"), npy("<u2", 6, 8, i -> 64 + 10 * i));
        Files.writeString(dir.resolve("shot.json"), "{\"cfa_pattern\": \"GRBG\", \"black_level\": 64, \"white_level\": 1023, \"white_balance\": [2, 1, 1.5]}");
        Image packed = ImageFiles.read(file);
        assertEquals(4, packed.channels());
        assertEquals(4, packed.width());
        assertEquals(3, packed.height());
        assertEquals("GRBG", packed.raw().cfaPattern());
        assertArrayEquals(new double[] {2, 1, 1.5}, packed.raw().whiteBalance(), 0);
        // GRBG: R sits at (0, 1), B at (1, 0), the green of red's row at (0, 0)
        assertEquals(10 * 1 / 959f, packed.get(0, 0, 0), 1e-6f, "R");
        assertEquals(0f, packed.get(1, 0, 0), 1e-6f, "G in red's row");
        assertEquals(10 * 8 / 959f, packed.get(3, 0, 0), 1e-6f, "B");
        assertEquals(10 * 9 / 959f, packed.get(2, 0, 0), 1e-6f, "G in blue's row");
        Path plain = Files.write(dir.resolve("plain.npy"), npy("<f4", 4, 4, i -> i / 16f));
        Image floats = ImageFiles.read(plain);
        assertEquals("RGGB", floats.raw().cfaPattern(), "without a sidecar: RGGB, black 0, white 1");
        assertEquals(5 / 16f, floats.get(3, 0, 0), 1e-6f);
        byte[] flat = npy("<u2", 4, 4, i -> i);
        Path cube = Files.write(dir.resolve("cube.npy"), new String(flat, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(4, 4)", "(2, 2, 4)")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(cube + ": a raw mosaic is a 2-D array, this one has shape [2, 2, 4]", assertThrows(ImageFormatException.class, () -> ImageFiles.read(cube)).getMessage());
        Path cut = Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(npy("<u2", 8, 8, i -> i), 100));
        assertTrue(assertThrows(ImageFormatException.class, () -> ImageFiles.read(cut)).getMessage().contains("cut.npy is truncated"));
    }

    @Test
    void refusesWhatItCannotReadInOneLine() throws Exception {
        Path file = dir.resolve("ok.dng");
        Dng.write(packed("RGGB", 8, 8, 1), file);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = Files.write(dir.resolve("cut.dng"), java.util.Arrays.copyOf(bytes, bytes.length - 100));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Dng.read(truncated));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // the same file marked lossless-JPEG compressed (tag 259 is the fourth entry, value at +8)
        byte[] compressed = bytes.clone();
        int entry = 8 + 2 + 12 * 4;
        assertEquals(259, (compressed[entry] & 0xff) | (compressed[entry + 1] & 0xff) << 8);
        compressed[entry + 8] = 7;
        Path jpeg = Files.write(dir.resolve("ljpeg.dng"), compressed);
        assertEquals(jpeg + ": its raw image is compressed (lossless JPEG); only uncompressed DNGs are read",
                assertThrows(ImageFormatException.class, () -> Dng.read(jpeg)).getMessage());
        Path rgb = dir.resolve("rgb.tif");
        ImageFiles.write(TestImages.random(8, 8, 3, false, 16, 2), rgb);
        assertEquals(rgb + " is not a DNG (no DNGVersion tag) nor a CFA TIFF", assertThrows(ImageFormatException.class, () -> Dng.read(rgb)).getMessage());
    }
}
