package dev.lucid.eval;

import dev.lucid.image.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A plain line chart written as PNG (one line with markers per series over shared x positions): PSNR per
 * image in {@code lucid eval --plot}, loss and validation curves of training runs.
 */
public final class Chart {

    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194)};

    private final String title, xLabel, yLabel;
    private final Map<String, double[][]> series = new LinkedHashMap<>();

    public Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a series of (x, y) points; NaN values are skipped. */
    public Chart add(String name, double[] x, double[] y) {
        series.put(name, new double[][] {x, y});
        return this;
    }

    public void write(Path file) throws IOException {
        int w = 960, h = 540, left = 80, right = 200, top = 50, bottom = 60;
        double xMin = Double.MAX_VALUE, xMax = -Double.MAX_VALUE, yMin = Double.MAX_VALUE, yMax = -Double.MAX_VALUE;
        for (double[][] s : series.values()) {
            for (int i = 0; i < s[0].length; i++) {
                if (Double.isNaN(s[1][i]) || Double.isInfinite(s[1][i])) continue;
                xMin = Math.min(xMin, s[0][i]); xMax = Math.max(xMax, s[0][i]);
                yMin = Math.min(yMin, s[1][i]); yMax = Math.max(yMax, s[1][i]);
            }
        }
        if (xMin > xMax) { xMin = 0; xMax = 1; yMin = 0; yMax = 1; }
        if (xMax == xMin) xMax = xMin + 1;
        double pad = (yMax - yMin) * 0.05 + 1e-9;
        yMin -= pad; yMax += pad;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(230, 230, 230));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int t = 0; t <= 5; t++) {
            int y = top + (h - top - bottom) * t / 5;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left, y, w - right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.2f", yMax - (yMax - yMin) * t / 5), 10, y + 4);
            int x = left + (w - left - right) * t / 5;
            g.drawString(String.format(Locale.ROOT, "%.4g", xMin + (xMax - xMin) * t / 5), x - 10, h - bottom + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, w - left - right, h - top - bottom);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(xLabel, left + (w - left - right) / 2 - 20, h - 15);
        g.drawString(yLabel, 10, top - 10);
        int k = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            Color colour = PALETTE[k % PALETTE.length];
            g.setColor(colour);
            g.setStroke(new BasicStroke(1.8f));
            double[] xs = e.getValue()[0], ys = e.getValue()[1];
            int px = -1, py = -1;
            for (int i = 0; i < xs.length; i++) {
                if (Double.isNaN(ys[i]) || Double.isInfinite(ys[i])) continue;
                int x = left + (int) Math.round((xs[i] - xMin) / (xMax - xMin) * (w - left - right));
                int y = top + (int) Math.round((yMax - ys[i]) / (yMax - yMin) * (h - top - bottom));
                if (px >= 0) g.drawLine(px, py, x, y);
                if (xs.length <= 200) g.fillOval(x - 3, y - 3, 6, 6);
                px = x;
                py = y;
            }
            g.fillRect(w - right + 15, top + 10 + 20 * k, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), w - right + 32, top + 21 + 20 * k);
            k++;
        }
        g.dispose();
        AtomicFiles.write(file, tmp -> ImageIO.write(img, "png", tmp.toFile()));
    }
}
