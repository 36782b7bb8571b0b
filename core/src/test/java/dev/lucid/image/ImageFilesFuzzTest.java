package dev.lucid.image;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, bounded fuzzing of the readers (issue #21): mutated headers, chunks and lengths of small PNG, JPEG, TIFF
 * and BMP files. ImageFiles.read may return an image or throw ImageFormatException (one line for the user);
 * anything else (a runtime exception, an error such as OutOfMemoryError, a read over 10 s) fails the test with
 * the seed of the case, so it can be replayed.
 */
class ImageFilesFuzzTest {

    static final int CASES_PER_SEED_FILE = 1000;
    static final long BUDGET_NANOS = 12_000_000_000L;          // per format, so the whole test stays under a minute
    static final long LIMIT = 4_000_000;                        // pixels: declared dimensions above it are refused

    @TempDir Path dir;

    @Test
    void mutatedFilesGiveAnImageOrOneFormatError() throws IOException {
        Image rgb = TestImages.scene(37, 23), rgba16 = TestImages.random(19, 13, 3, true, 16, 4), gray = TestImages.random(21, 17, 1, false, 8, 5);
        int total = 0, images = 0;
        for (String ext : new String[] {"png", "jpg", "tif", "bmp"}) {
            long start = System.nanoTime();
            int cases = 0;
            for (Image seedImage : new Image[] {rgb, rgba16, gray}) {
                if ((ext.equals("jpg") || ext.equals("bmp")) && (seedImage.hasAlpha() || seedImage.bitDepth() == 16)) continue;
                Path original = dir.resolve("seed." + ext);
                if (ext.equals("bmp")) writeBmp(seedImage, original);                // Lucid reads BMP but never writes it
                else ImageFiles.write(seedImage, original);
                byte[] bytes = Files.readAllBytes(original);
                for (int i = 0; i < CASES_PER_SEED_FILE && System.nanoTime() - start < BUDGET_NANOS; i++) {
                    long seed = ext.hashCode() * 1_000_003L + seedImage.width() * 10_007L + i;
                    byte[] mutated = mutate(bytes, new SplittableRandom(seed));
                    Path file = dir.resolve("case." + ext);
                    Files.write(file, mutated);
                    long t = System.nanoTime();
                    try {
                        Image read = ImageFiles.read(file, LIMIT);
                        assertTrue(read.width() >= 1 && read.height() >= 1 && read.pixels() <= LIMIT, "case " + ext + "/" + seed + ": " + read);
                        images++;
                    } catch (ImageFormatException expected) {
                        assertTrue(!expected.getMessage().isBlank() && !expected.getMessage().contains("\n"), "one line: " + expected.getMessage());
                    } catch (Throwable e) {
                        Files.copy(file, dir.resolve("failing-" + seed + "." + ext));
                        fail("case " + ext + " seed " + seed + ": " + e, e);
                    }
                    long seconds = (System.nanoTime() - t) / 1_000_000_000L;
                    assertTrue(seconds < 10, "case " + ext + " seed " + seed + " took " + seconds + " s");
                    cases++;
                }
            }
            total += cases;
            System.out.printf("fuzz %s: %d mutated files in %.1f s%n", ext, cases, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("fuzz: %d cases, %d still decoded as images, the rest refused with one line%n", total, images);
        assertTrue(total >= 1000, "enough cases ran: " + total);
    }

    private static void writeBmp(Image image, Path file) throws IOException {
        java.awt.image.BufferedImage b = new java.awt.image.BufferedImage(image.width(), image.height(),
                image.channels() == 1 ? java.awt.image.BufferedImage.TYPE_BYTE_GRAY : java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) rgb = rgb << 8 | Math.round(255 * Math.min(1f, Math.max(0f, image.get(Math.min(c, image.channels() - 1), x, y))));
                b.setRGB(x, y, rgb);
            }
        }
        if (!javax.imageio.ImageIO.write(b, "bmp", file.toFile())) throw new IOException("no BMP writer");
    }

    /** One to four mutations, mostly in the first 512 bytes (signatures, headers, chunk lengths, IFDs, markers). */
    static byte[] mutate(byte[] original, SplittableRandom r) {
        byte[] b = original.clone();
        int mutations = 1 + r.nextInt(4);
        for (int k = 0; k < mutations; k++) {
            int region = r.nextInt(4) == 0 ? b.length : Math.min(b.length, 512);
            switch (r.nextInt(6)) {
                case 0 -> b[r.nextInt(region)] ^= (byte) (1 << r.nextInt(8));                      // a bit flip
                case 1 -> b[r.nextInt(region)] = INTERESTING[r.nextInt(INTERESTING.length)];       // a boundary byte
                case 2 -> {                                                                          // a 32-bit field made huge or zero
                    int at = r.nextInt(Math.max(1, region - 4));
                    byte v = r.nextBoolean() ? (byte) 0xff : 0;
                    for (int j = 0; j < 4 && at + j < b.length; j++) b[at + j] = j == 0 ? (byte) 0x7f : v;
                }
                case 3 -> b = java.util.Arrays.copyOf(b, 1 + r.nextInt(b.length));                   // truncated
                case 4 -> {                                                                          // a block repeated
                    int from = r.nextInt(b.length), len = Math.min(b.length - from, 1 + r.nextInt(64)), at = r.nextInt(b.length);
                    byte[] grown = new byte[b.length + len];
                    System.arraycopy(b, 0, grown, 0, at);
                    System.arraycopy(b, from, grown, at, len);
                    System.arraycopy(b, at, grown, at + len, b.length - at);
                    b = grown;
                }
                default -> {                                                                         // a run zeroed
                    int at = r.nextInt(region), len = Math.min(b.length - at, 1 + r.nextInt(16));
                    java.util.Arrays.fill(b, at, at + len, (byte) 0);
                }
            }
            if (b.length == 0) b = new byte[] {0};
        }
        return b;
    }

    private static final byte[] INTERESTING = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff, 0x10, 0x20, 0x40};
}
