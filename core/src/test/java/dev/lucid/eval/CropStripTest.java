package dev.lucid.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class CropStripTest {

    private final FontMetrics metrics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics()
            .getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 14));

    @Test
    void aLabelWiderThanItsCellIsCutWithAnEllipsis() {
        assertEquals("clean", CropStrip.fitted("clean", metrics, 180), "a label that fits is kept whole");
        String label = "transfer:fit@runs/noisetransfer/snapshots/step-3600";
        String cut = CropStrip.fitted(label, metrics, 180);
        assertTrue(cut.endsWith("…") && label.startsWith(cut.substring(0, cut.length() - 1)), cut);
        assertTrue(metrics.stringWidth(cut) <= 180, cut + " is " + metrics.stringWidth(cut) + " px");
        assertTrue(metrics.stringWidth(cut.substring(0, cut.length() - 1) + label.charAt(cut.length() - 1) + "…") > 180, "no more is cut than needed");
    }
}
