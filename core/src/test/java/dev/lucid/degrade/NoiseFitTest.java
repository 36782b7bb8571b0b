package dev.lucid.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.Progress;
import dev.lucid.eval.EvalSet;
import dev.lucid.eval.NoiseRealism;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known answers: each fit recovers the levels of noise synthesised with its own model. */
class NoiseFitTest {

    @TempDir Path dir;

    /** A horizontal ramp over all intensities, so that signal-dependent noise is seen at every level. */
    static Image ramp(int w, int h) {
        float[][] planes = new float[3][w * h];
        for (int c = 0; c < 3; c++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) planes[c][y * w + x] = (x + 0.5f) / w;
        return new Image(w, h, planes, null, 8, Image.Encoding.SRGB, "png");
    }

    @Test
    void eachFitRecoversItsOwnModel() {
        Image clean = ramp(512, 256);
        Image gaussian = Degradations.parse("gaussian:20").applyTo(clean, 1);
        assertEquals(20 / 255.0, NoiseFit.residualSigma(gaussian, clean), 0.3 / 255);
        PoissonGaussianNoise pg = NoiseFit.poissonGaussian(Degradations.parse("poisson-gaussian:0.01,0.02").applyTo(clean, 2), clean);
        assertTrue(pg.describe().matches("poisson-gaussian:0\\.0(09|10|11)\\d*,0\\.0(19|20|21)\\d*"), pg.describe());
        // camera levels on the fitting grid: 0.0366 shot, 0.0170 read (grid points 4 and 4)
        CameraNoise camera = NoiseFit.camera(new CameraNoise(0.0366, 0.0366, 0.017, 0.017).applyTo(TestImages.scene(256, 256), 3), TestImages.scene(256, 256));
        assertTrue(camera.describe().startsWith("camera:0.036"), "shot level recovered: " + camera.describe());
        assertThrows(IllegalArgumentException.class, () -> NoiseFit.fit("salt-pepper:fit", gaussian, clean));
    }

    @Test
    void realismRanksTheTrueModelFirstAndFitsToAnotherPairOfTheSameCamera() throws Exception {
        // "real" pairs made with Gaussian noise of σ = 12: the fitted Gaussian must look more real than camera noise
        Path noisy = Files.createDirectories(dir.resolve("noisy")), clean = Files.createDirectories(dir.resolve("clean"));
        String[] names = {"camA_1.png", "camA_2.png", "camB_1.png"};
        for (int i = 0; i < names.length; i++) {
            Image c = TestImages.scene(64, 48);
            ImageFiles.write(c.withBitDepth(16), clean.resolve(names[i]));
            ImageFiles.write(Degradations.parse("gaussian:12").applyTo(c, i).withBitDepth(16), noisy.resolve(names[i]));
        }
        EvalSet set = EvalSet.pairs(noisy, clean);
        List<NoiseRealism.Row> self = NoiseRealism.run(set, List.of("gaussian:fit", "camera"), NoiseRealism.Reference.SELF, 0, Progress.NONE);
        assertTrue(self.get(0).akld() < self.get(1).akld() && self.get(0).ks() < self.get(1).ks(), self.toString());
        assertEquals(3, self.get(0).pairs());
        List<NoiseRealism.Row> other = NoiseRealism.run(set, List.of("gaussian:fit"), NoiseRealism.Reference.OTHER, 0, Progress.NONE);
        assertEquals(2, other.get(0).pairs(), "camB has no other pair to fit to");
        assertEquals(NoiseRealism.Reference.OTHER, NoiseRealism.Reference.parse("other"));
        assertThrows(IllegalArgumentException.class, () -> NoiseRealism.Reference.parse("mine"));
        assertThrows(IllegalArgumentException.class, () -> NoiseRealism.run(set, List.of("nonsense:3"), NoiseRealism.Reference.SELF, 0, Progress.NONE));
    }
}
