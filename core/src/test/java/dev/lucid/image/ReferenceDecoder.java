package dev.lucid.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's ImageMagick as an independent decoder: RGBA 8-bit pixels of a file, orientation applied. */
final class ReferenceDecoder {

    private static final String CONVERT = "/usr/bin/convert";

    private ReferenceDecoder() {}

    static boolean available() {
        try {
            Process p = new ProcessBuilder(CONVERT, "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(20, TimeUnit.SECONDS) && out.contains("ImageMagick");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The largest difference (0..1) between the image and ImageMagick's decoding of the file, over RGB and alpha. */
    static float maxDifference(Image image, Path file) throws IOException, InterruptedException {
        // [0]: the first frame of a multi-page file; -auto-orient applies EXIF orientation as Lucid does
        Process p = new ProcessBuilder(CONVERT, file + "[0]", "-auto-orient", "-colorspace", "sRGB", "-depth", "8", "rgba:-").start();
        byte[] rgba = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("ImageMagick could not decode " + file);
        int n = image.width() * image.height();
        if (rgba.length != 4 * n) throw new IOException("ImageMagick gave " + rgba.length + " bytes for " + image);
        float worst = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 4; c++) {
                float ours = c < 3 ? image.plane(Math.min(c, image.channels() - 1))[i] : image.hasAlpha() ? image.alpha()[i] : 1f;
                worst = Math.max(worst, Math.abs(ours - (rgba[4 * i + c] & 0xff) / 255f));
            }
        }
        return worst;
    }
}
