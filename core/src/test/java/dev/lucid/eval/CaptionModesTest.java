package dev.lucid.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.Progress;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.model.ModelCard;
import dev.lucid.text.Captions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionModesTest {

    @TempDir Path dir;

    /** A "text-guided" restorer that denoises (a 5×5 mean filter) only when the caption names the image it is given. */
    static final class CaptionedOracle implements Restorer {
        final Set<String> seen = new HashSet<>();

        @Override
        public Image restore(Image input, Guidance guidance, Progress progress) {
            guidance.requireAccepted(accepts(), "oracle");
            seen.add(String.valueOf(guidance.text()));
            boolean right = guidance.hasText() && guidance.text().equals("scene " + input.width());
            if (!right) return input;
            int w = input.width(), h = input.height();
            float[][] out = new float[input.channels()][w * h];
            for (int c = 0; c < out.length; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double sum = 0;
                        for (int dy = -2; dy <= 2; dy++) for (int dx = -2; dx <= 2; dx++) sum += input.get(c, dev.lucid.image.Tiler.reflect(x + dx, w), dev.lucid.image.Tiler.reflect(y + dy, h));
                        out[c][y * w + x] = (float) (sum / 25);
                    }
                }
            }
            return input.withPlanes(out);
        }

        @Override public Set<Guidance.Kind> accepts() { return Set.of(Guidance.Kind.TEXT); }

        @Override
        public ModelCard card() {
            ObjectNode root = ModelCard.json().createObjectNode().put("name", "oracle").put("status", "trained");
            root.putObject("architecture").put("type", "test");
            return new ModelCard(root);
        }

        @Override public void close() {}
    }

    @Test
    void shuffledIsADerangementAndModesArePairedPerImage() throws IOException {
        StringBuilder tsv = new StringBuilder("file\tcaption\n");
        for (int i = 0; i < 6; i++) {
            ImageFiles.write(TestImages.scene(30 + i, 24), dir.resolve("img" + i + ".png"));
            tsv.append("img").append(i).append(".png\tscene ").append(30 + i).append('\n');
        }
        Files.writeString(dir.resolve("captions.tsv"), tsv);
        EvalSet set = EvalSet.synthetic(dir, "gaussian:25", 0);
        List<String> given = CaptionModes.captionsOf(set, Captions.read(dir.resolve("captions.tsv")));
        List<String> shuffled = CaptionModes.forMode(given, CaptionModes.Mode.SHUFFLED, 7);
        for (int i = 0; i < given.size(); i++) assertNotEquals(given.get(i), shuffled.get(i), "image " + i + " keeps its caption");
        assertEquals(new HashSet<>(given), new HashSet<>(shuffled), "a permutation");
        assertEquals(shuffled, CaptionModes.forMode(given, CaptionModes.Mode.SHUFFLED, 7), "seeded");

        CaptionedOracle oracle = new CaptionedOracle();
        CaptionModes.Report report = CaptionModes.run("oracle", oracle, set, given,
                List.of(CaptionModes.Mode.GIVEN, CaptionModes.Mode.NONE, CaptionModes.Mode.SHUFFLED), 7, Evaluation.Perceptual.none(), Progress.NONE);
        assertFalse(report.ignoresCaptions());
        assertTrue(oracle.seen.contains("null") && oracle.seen.contains("scene 30"));
        CaptionModes.Difference gain = report.differences().get(0), wrong = report.differences().get(1);
        assertEquals(CaptionModes.Mode.GIVEN, gain.a());
        assertTrue(gain.mean() > 1 && gain.low() > 0 && gain.low() <= gain.mean() && gain.mean() <= gain.high(), gain.toString());
        assertEquals(0, wrong.mean(), 1e-12, "a wrong caption restores nothing here");
        assertEquals(3, report.toJson().get("caption_modes").size());

        Files.writeString(dir.resolve("captions.tsv"), "file\tcaption\nimg0.png\tscene 30\n");
        IOException missing = assertThrows(IOException.class, () -> CaptionModes.captionsOf(set, Captions.read(dir.resolve("captions.tsv"))));
        assertTrue(missing.getMessage().endsWith("has no caption for img1.png"), missing.getMessage());
    }
}
