package dev.lucid.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.Progress;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.method.TaskReading;
import dev.lucid.model.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskReadingAccuracyTest {

    @TempDir Path dir;

    /** Reads "dehaze" when the image is bright on average (haze lifts the dark parts), else "denoise". */
    static final class BrightnessReader implements Restorer {
        @Override public Image restore(Image input, Guidance guidance, Progress progress) { return input; }
        @Override public Optional<TaskReading> readTask(Image input) {
            double mean = 0;
            for (float v : input.plane(0)) mean += v;
            mean /= input.pixels();
            return Optional.of(new TaskReading(mean > 0.6 ? Map.of("dehaze", 0.9, "denoise", 0.1) : Map.of("dehaze", 0.1, "denoise", 0.9)));
        }
        @Override public Set<Guidance.Kind> accepts() { return Set.of(Guidance.Kind.TASK); }
        @Override public ModelCard card() { return null; }
        @Override public void close() {}
    }

    @Test
    void countsEveryReadingInAConfusionTable() throws Exception {
        Path clean = Files.createDirectories(dir.resolve("clean"));
        for (int i = 0; i < 3; i++) ImageFiles.write(TestImages.scene(32, 24), clean.resolve("s" + i + ".png"));
        TaskReadingAccuracy.Report r = TaskReadingAccuracy.run(new BrightnessReader(), clean, List.of("gaussian:10", "haze:3"), 1, 0, Progress.NONE).orElseThrow();
        assertEquals(6, r.total());
        assertEquals(Map.of("denoise", 3), r.confusion().get("denoise"), "noise keeps the scene dark: read as denoise");
        assertEquals(Map.of("dehaze", 3), r.confusion().get("dehaze"), "thick haze is bright: read as dehaze");
        assertEquals(1.0, r.accuracy());
        TaskReadingAccuracy.Report limited = TaskReadingAccuracy.run(new BrightnessReader(), clean, List.of("rain:0.01", "none"), 1, 2, Progress.NONE).orElseThrow();
        assertEquals(4, limited.total(), "two images per recipe");
        assertEquals(0, limited.correct(), "derain and none are never read by this reader");
        TaskReadingAccuracy.Report mixed = new TaskReadingAccuracy.Report(
                Map.of("denoise", Map.of("denoise", 3, "derain", 1), "none", Map.of("derain", 4)), 8, 3);
        assertEquals(0.375, mixed.accuracy());
        assertEquals(4, mixed.degraded().total(), "the clean images are left out");
        assertEquals(0.75, mixed.degraded().accuracy());
        assertTrue(Double.isNaN(new TaskReadingAccuracy.Report(Map.of(), 0, 0).accuracy()));
    }
}
