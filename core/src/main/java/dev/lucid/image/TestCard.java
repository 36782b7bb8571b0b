package dev.lucid.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * A procedurally drawn clean scene (smooth gradients, flat colour patches, fine line gratings, soft discs
 * and text): content Lucid owns outright, so noisy samples made from it can be shipped with the project.
 */
public final class TestCard {

    private TestCard() {}

    public static Image render(int width, int height, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(40, 60, 110), width, height, new Color(230, 190, 140)));
        g.fillRect(0, 0, width, height);
        SplittableRandom rng = new SplittableRandom(seed);
        int patch = Math.max(8, width / 16);
        for (int i = 0; i < 12; i++) {                           // colour checker row
            g.setColor(Color.getHSBColor(i / 12f, 0.55f + 0.4f * (float) rng.nextDouble(), 0.35f + 0.6f * (float) rng.nextDouble()));
            g.fillRect(patch / 2 + i * (patch + patch / 4), height - 2 * patch, patch, patch);
        }
        for (int i = 0; i < 6; i++) {                            // soft discs
            int r = (int) (height * (0.06 + 0.1 * rng.nextDouble()));
            int cx = rng.nextInt(width), cy = rng.nextInt(Math.max(1, height - 3 * patch));
            g.setPaint(new GradientPaint(cx - r, cy - r, Color.getHSBColor((float) rng.nextDouble(), 0.6f, 0.95f),
                    cx + r, cy + r, Color.getHSBColor((float) rng.nextDouble(), 0.8f, 0.4f)));
            g.fillOval(cx - r, cy - r, 2 * r, 2 * r);
        }
        g.setColor(new Color(245, 245, 240));                   // gratings of decreasing period
        int x = width / 2;
        for (int period = 12; period >= 2; period -= 2) {
            for (int k = 0; k < 6; k++) g.fillRect(x + k * period, height / 8, Math.max(1, period / 2), height / 4);
            x += 6 * period + 6;
        }
        g.setStroke(new BasicStroke(1.5f));
        g.setColor(new Color(20, 20, 25));
        for (int k = 0; k < 24; k++) {                          // star of thin lines
            double a = Math.PI * k / 24;
            g.drawLine(width / 4, height / 2, (int) (width / 4 + Math.cos(a) * height / 4), (int) (height / 2 - Math.sin(a) * height / 4));
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, height / 14)));
        g.setColor(new Color(250, 250, 250));
        g.drawString("Lucid test card", width / 2, height * 5 / 8);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, Math.max(8, height / 28)));
        g.drawString("fine detail 0123456789", width / 2, height * 5 / 8 + height / 16);
        g.dispose();
        return ImageFiles.fromBufferedImage(img, "test-card", null);
    }
}
