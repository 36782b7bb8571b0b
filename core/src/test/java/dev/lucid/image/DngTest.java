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
