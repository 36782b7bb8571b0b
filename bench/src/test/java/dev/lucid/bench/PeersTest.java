package dev.lucid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import dev.lucid.Progress;
import dev.lucid.SharedData;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.Tiler;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.metrics.Psnr;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark peers on a CBSD68 image with σ=25 noise (shared/fixtures/metrics). */
class PeersTest {

    static Image clean, noisy;

    @BeforeAll
    static void load() throws IOException {
        Path dir = SharedData.path("fixtures/metrics");
        System.setProperty("lucid.peerWeights", SharedData.path("weights").toString());
        clean = ImageFiles.read(dir.resolve("cbsd68_0003_clean.png"));
        noisy = ImageFiles.read(dir.resolve("cbsd68_0003_noisy.png"));
    }

    static double psnr(Image out) {
        return Psnr.of(clean.planes(), out.planes(), 1.0);
    }

    @Test
    void cdncnnReproducesItsKnownResult() throws IOException {
        try (Restorer r = Peers.load("cdncnn-b", Tiler.Settings.defaults())) {
            assertEquals(32.60, psnr(r.restore(noisy)), 0.05, "STACK.md: 20.25 -> 32.60 dB");
        }
    }

    @Test
    void ffdnetUsesTheGivenSigmaOrAnEstimate() throws IOException {
        try (Restorer r = Peers.load("ffdnet", Tiler.Settings.defaults())) {
            double given = psnr(r.restore(noisy, Guidance.none().withSigma(25.0), Progress.NONE));
            double estimated = psnr(r.restore(noisy));
            assertTrue(given > 32.0, "sigma given: " + given);
            assertTrue(estimated > 31.0, "sigma estimated: " + estimated);
        }
    }

    @Test
    void nlmAndNoisyBaselines() throws IOException {
        try (Restorer r = Peers.load("noisy", Tiler.Settings.defaults())) {
            assertSame(noisy, r.restore(noisy));
        }
        try (Restorer r = Peers.load("opencv-nlm", Tiler.Settings.defaults())) {
            double p = psnr(r.restore(noisy, Guidance.none().withSigma(25.0), Progress.NONE));
            assertTrue(p > 26 && p < 32, "NLM improves on the noisy 20.25 dB but stays below the CNNs: " + p);
        }
        assertThrows(IllegalArgumentException.class, () -> Peers.load("opencv-nlm:abc", Tiler.Settings.defaults()));
    }

    @Test
    void darkChannelPriorRemovesSyntheticHaze() throws IOException {
        // Synthetic haze (I = J t + A (1 - t)) on the CBSD68 image: the peer must gain several dB over the hazy input,
        // and refuse other tasks. The airlight it finds must be the haze colour's brightness, not an object's.
        Image hazy = dev.lucid.degrade.Degradations.parse("haze:1.5").applyTo(clean, 3);
        try (Restorer r = Peers.load("dark-channel", Tiler.Settings.defaults())) {
            double before = psnr(hazy), after = psnr(r.restore(hazy, Guidance.none().withTask("dehaze"), Progress.NONE));
            assertTrue(after > before + 3, "hazy " + before + " dB, dehazed " + after + " dB");
            assertThrows(Guidance.UnsupportedGuidanceException.class, () -> r.restore(hazy, Guidance.none().withTask("derain"), Progress.NONE));
        }
    }
}
