package dev.lucid.eval;

import dev.lucid.image.AtomicFiles;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A labelled strip of the same crop from several versions of one image (clean, noisy, each model), shown at 2×
 * without smoothing, so colour shifts, seams and lost texture are visible that mean PSNR hides.
 */
public final class CropStrip {

    private static final int ZOOM = 2, LABEL = 22;

    private final int x0, y0, size;
    private final List<String> labels = new ArrayList<>();
    private final List<BufferedImage> crops = new ArrayList<>();

    /** A centred square crop of {@code size} pixels (smaller if the image is). */
    public CropStrip(Image reference, int size) {
        this.size = Math.min(size, Math.min(reference.width(), reference.height()));
        this.x0 = (reference.width() - this.size) / 2;
        this.y0 = (reference.height() - this.size) / 2;
    }

    public void add(String label, Image image) {
        BufferedImage full = ImageFiles.toBufferedImage(image, 8, false);
        labels.add(label);
        crops.add(full.getSubimage(x0, y0, size, size));
    }

    public void write(Path file) throws IOException {
        int cell = size * ZOOM;
        BufferedImage strip = new BufferedImage(cell * crops.size(), cell + LABEL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = strip.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, strip.getWidth(), strip.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int i = 0; i < crops.size(); i++) {
            g.drawImage(crops.get(i), i * cell, LABEL, cell, cell, null);
            g.setColor(Color.BLACK);
            g.drawString(fitted(labels.get(i), g.getFontMetrics(), cell - 12), i * cell + 6, 16);
        }
        g.dispose();
        AtomicFiles.write(file, tmp -> ImageIO.write(strip, "png", tmp.toFile()));
    }

    /** The label cut to {@code width} pixels, ending in "…" when cut, so it does not run over the next cell's. */
    static String fitted(String label, FontMetrics metrics, int width) {
        if (metrics.stringWidth(label) <= width) return label;
        int keep = label.length();
        while (keep > 0 && metrics.stringWidth(label.substring(0, keep) + "…") > width) keep--;
        return label.substring(0, keep) + "…";
    }
}
