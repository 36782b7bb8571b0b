package dev.lucid.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSetTest {

    @TempDir Path dir;

    /** Two copies of one clean image, so any difference between their degraded versions is the draw's. */
    private EvalSet twoCopies(String recipe) throws IOException {
        Image clean = TestImages.scene(48, 40);
        ImageFiles.write(clean, dir.resolve("a.png"));
        ImageFiles.write(clean, dir.resolve("b.png"));
        return EvalSet.synthetic(dir, recipe, 3);
    }

    @Test
    void noiseGetsTheSameSeedForEveryImageAsInTheReleasedProtocol() throws IOException {
        EvalSet set = twoCopies("gaussian:25");
        float[] a = set.cases().get(0).load().noisy().plane(1), b = set.cases().get(1).load().noisy().plane(1);
        assertArrayEquals(a, b, "the same noise field on both copies");
        assertFalse(set.description().contains("image index"), set.description());
    }

    @Test
    void rainAndHazeDrawAnotherSceneForEachImageReproducibly() throws IOException {
        for (String recipe : new String[] {"rain:0.01", "haze:1.2", "gaussian:10+rain:0.01"}) {
            EvalSet set = twoCopies(recipe);
            float[] a = set.cases().get(0).load().noisy().plane(0), b = set.cases().get(1).load().noisy().plane(0);
            assertFalse(Arrays.equals(a, b), recipe + ": each image gets its own draw");
            assertArrayEquals(a, set.cases().get(0).load().noisy().plane(0), recipe + ": reproducible");
            assertTrue(set.description().endsWith("(seed 3 + image index)"), set.description());
        }
    }
}
