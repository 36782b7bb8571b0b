package dev.lucid.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.image.Image;
import dev.lucid.image.TestCard;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DegradeTest {

    /** A ramp over [0.05, 0.95] so noise statistics can be checked per intensity bin. */
    static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = 0.05f + 0.9f * (i % 1000) / 1000f;
        return v;
    }

    @Test
    void gaussianHasZeroMeanAndTheRequestedVarianceAtEveryIntensity() {
        int n = 400_000;
        float[] clean = ramp(n), noisy = clean.clone();
        GaussianNoise.fixed(25).apply(noisy, 1, 1, n, new SplittableRandom(1));
        double[][] stats = binStats(clean, noisy, 5);
        for (double[] s : stats) {
            assertEquals(0, s[0], 0.003, "mean");
            assertEquals(25 / 255.0, Math.sqrt(s[1]), 0.002, "std");
        }
        float[] clipped = clean.clone();
        new GaussianNoise(25, 25, true).apply(clipped, 1, 1, n, new SplittableRandom(1));
        for (float v : clipped) assertTrue(v >= 0 && v <= 1);
    }

    @Test
    void poissonGaussianVarianceGrowsWithSignal() {
        int n = 400_000;
        double a = 0.01, b = 0.02;
        float[] clean = ramp(n), noisy = clean.clone();
        new PoissonGaussianNoise(a, a, b, b).apply(noisy, 1, 1, n, new SplittableRandom(2));
        double[][] stats = binStats(clean, noisy, 5);
        for (int k = 0; k < stats.length; k++) {
            double x = stats[k][2];
            assertEquals(0, stats[k][0], 0.003, "mean in bin " + k);
            assertEquals(a * x + b * b, stats[k][1], 0.05 * (a * x + b * b), "variance in bin " + k + " at x=" + x);
        }
    }

    @Test
    void correlatedNoiseIsCorrelatedAndSaltPepperHitsTheRequestedFraction() {
        int w = 300, h = 300;
        float[] img = new float[w * h];
        new CorrelatedNoise(45, 45).apply(img, 1, h, w, new SplittableRandom(3));
        double var = 0, cov = 0;
        for (int y = 0; y < h; y++) for (int x = 0; x + 1 < w; x++) { var += img[y * w + x] * img[y * w + x]; cov += img[y * w + x] * img[y * w + x + 1]; }
        assertEquals(2.0 / 3.0, cov / var, 0.03, "3x3 box: neighbour correlation 6/9");
        assertEquals(45 / 255.0 / 3, Math.sqrt(var / (h * (w - 1))), 0.003, "box filter divides the std by 3");
        float[] sp = new float[100_000];
        java.util.Arrays.fill(sp, 0.5f);
        new SaltPepperNoise(0.1).apply(sp, 1, 1, sp.length, new SplittableRandom(4));
        long hit = 0;
        for (float v : sp) if (v != 0.5f) hit++;
        assertEquals(0.1, hit / 1e5, 0.005);
    }

    @Test
    void cameraStagesInvertAndTheNoiselessRoundTripIsWithinOneLevel() {
        CameraPipeline camera = CameraPipeline.random(new SplittableRandom(5));
        for (double v = 0.0; v <= 1.0; v += 0.01) assertEquals(v, camera.tone(camera.linearise(v)), 1e-6);
        for (int p = 0; p < 4; p++) {
            CameraPipeline cam = new CameraPipeline(2.2, new double[] {0.1, 0.2, 0.3, 0.4}, p, 0.8, 0.9);
            int w = 16, h = 12, n = w * h;
            float[] rgb = new float[3 * n];
            float[] colour = {0.7f, 0.4f, 0.2f};
            for (int c = 0; c < 3; c++) java.util.Arrays.fill(rgb, c * n, (c + 1) * n, colour[c]);
            float[] back = cam.process(cam.unprocess(rgb, h, w), h, w);
            for (int i = 0; i < back.length; i++) assertEquals(rgb[i], back[i], 1 / 255.0, "pattern " + CameraPipeline.PATTERN_NAMES[p]);
        }
        // smooth content: bilinear demosaicing is exact where the image is locally linear
        int w = 40, h = 30, n = w * h;
        float[] rgb = new float[3 * n];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            rgb[y * w + x] = 0.2f + 0.5f * x / w;
            rgb[n + y * w + x] = 0.3f + 0.4f * y / h;
            rgb[2 * n + y * w + x] = 0.6f - 0.2f * (x + y) / (w + h);
        }
        float[] back = camera.process(camera.unprocess(rgb, h, w), h, w);
        for (int c = 0; c < 3; c++) for (int y = 2; y < h - 2; y++) for (int x = 2; x < w - 2; x++) {
            int i = c * n + y * w + x;
            assertEquals(rgb[i], back[i], 1 / 255.0, "channel " + c + " at " + x + "," + y);
        }
    }

    @Test
    void cameraNoiseIsSeededAndSignalDependent() {
        Image card = TestCard.render(96, 64, 2);
        Degradation noise = Degradations.parse("camera:0.04,0.03");
        Image a = noise.applyTo(card, 9), b = noise.applyTo(card, 9), c = noise.applyTo(card, 10);
        assertArrayEquals(a.plane(1), b.plane(1), 0f, "same seed, same noise");
        assertNotEquals(a.plane(1)[100], c.plane(1)[100]);
        assertEquals("camera:0.04,0.03", noise.describe());
    }

    @Test
    void cameraNoiseRangesAreDrawnPerImage() {
        Image card = TestCard.render(96, 64, 2);
        // the default is CBDNet's range written out; the same seed gives the same image
        Degradation cbdnet = Degradations.parse("camera"), written = Degradations.parse("camera:0.0001-0.16,0.0001-0.06");
        assertArrayEquals(cbdnet.applyTo(card, 4).plane(0), written.applyTo(card, 4).plane(0), 0f);
        assertEquals("camera", written.describe());
        Degradation strong = Degradations.parse("camera:0.02-0.16,0.01-0.06");
        assertEquals("camera:0.02-0.16,0.01-0.06", strong.describe());
        // every draw from the high-ISO range is noisier than the weakest fixed level, and the draws differ
        double weak = residualRms(card, Degradations.parse("camera:0.02,0.01").applyTo(card, 1));
        double first = residualRms(card, strong.applyTo(card, 1)), second = residualRms(card, strong.applyTo(card, 2));
        assertTrue(first > weak && second > weak, first + ", " + second + " vs " + weak);
        assertNotEquals(first, second, 1e-4);
        assertThrows(IllegalArgumentException.class, () -> Degradations.parse("camera:0.1-0.01,0.01"));
    }

    private static double residualRms(Image clean, Image noisy) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < clean.channels(); c++) {
            float[] a = clean.plane(c), b = noisy.plane(c);
            for (int i = 0; i < a.length; i++, n++) sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum / n);
    }

    @Test
    void rawLowLightNoiseHasTheModelVarianceAndThePapersLevels() {
        int n = 400_000;
        float[] clean = ramp(n), noisy = clean.clone();
        double shot = 0.02, read = 0.001;
        RawLowLightNoise.addTo(noisy, shot, read, new SplittableRandom(8));
        double[][] stats = binStats(clean, noisy, 5);
        for (double[] s : stats) {
            assertEquals(0, s[0], 0.004, "mean");
            assertEquals(s[2] * shot + read, s[1], 0.05 * (s[2] * shot + read), "variance x*shot + read at x=" + s[2]);
        }
        SplittableRandom rng = new SplittableRandom(9);
        double sumLogRead = 0, sumResidual2 = 0;
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            double[] l = RawLowLightNoise.sampleLevels(rng);
            assertTrue(l[0] >= 0.1 - 1e-12 && l[0] <= 0.31 + 1e-12, "shot in [0.1, 0.31]: " + l[0]);
            double residual = Math.log10(l[1]) - (1.5 * Math.log10(l[0]) + 0.05);
            sumLogRead += residual;
            sumResidual2 += residual * residual;
        }
        assertEquals(0, sumLogRead / draws, 0.02, "log10(read) centred on 1.5 log10(shot) + 0.05");
        assertEquals(0.5, Math.sqrt(sumResidual2 / draws), 0.02, "spread 0.5");
        assertEquals("raw-lowlight", Degradations.parse("raw-lowlight").describe());
        Image card = TestCard.render(32, 24, 1);
        Image dark = Degradations.parse("raw-lowlight").applyTo(card, 3);
        assertEquals(card.width(), dark.width());
    }

    @Test
    void packingARawMosaicRoundTripsForEveryPattern() {
        for (int p = 0; p < 4; p++) {
            CameraPipeline cam = new CameraPipeline(2.2, new double[] {1, 1, 1, 1}, p, 0.9, 0.8);
            int w = 8, h = 6;
            float[] mosaic = new float[w * h];
            for (int i = 0; i < mosaic.length; i++) mosaic[i] = i;
            float[] packed = cam.pack(mosaic, h, w);
            assertArrayEquals(mosaic, cam.unpack(packed, h, w), 0f);
            // the first packed plane holds red samples, the last blue ones
            int plane = (h / 2) * (w / 2);
            int red = (int) packed[0], blue = (int) packed[3 * plane];
            assertEquals(0, cam.colourAt(red / w, red % w), CameraPipeline.PATTERN_NAMES[p] + " red");
            assertEquals(2, cam.colourAt(blue / w, blue % w), CameraPipeline.PATTERN_NAMES[p] + " blue");
            // the camera's RawInfo (what a DNG carries) names the same plane for every mosaic position
            dev.lucid.image.RawInfo info = cam.rawInfo();
            assertEquals(CameraPipeline.PATTERN_NAMES[p], info.cfaPattern());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(mosaic[y * w + x], packed[info.planeAt(y % 2, x % 2) * plane + (y / 2) * (w / 2) + x / 2], 0f, info.cfaPattern());
                }
            }
        }
    }

    @Test
    void hazeOnAWindowIsThatPartOfTheWholeFramesHaze() {
        int w = 90, h = 60, x0 = 50, y0 = 20, pw = 32, ph = 24;
        Image card = TestCard.render(w, h, 4);
        Degradation haze = Degradations.parse("haze:0.5-2");
        Image whole = haze.applyTo(card, 3);
        float[] window = new float[3 * pw * ph];
        for (int c = 0; c < 3; c++) for (int y = 0; y < ph; y++) for (int x = 0; x < pw; x++) {
            window[(c * ph + y) * pw + x] = card.plane(c)[(y0 + y) * w + x0 + x];
        }
        haze.apply(window, 3, ph, pw, new Degradation.Window(x0, y0, w, h), new java.util.SplittableRandom(3));
        for (int c = 0; c < 3; c++) for (int y = 0; y < ph; y++) for (int x = 0; x < pw; x++) {
            assertEquals(whole.plane(c)[(y0 + y) * w + x0 + x], window[(c * ph + y) * pw + x], 1e-6f, "channel " + c + " at " + x + "," + y);
        }
    }

    @Test
    void hazeFollowsTheScatteringModelAndRainOnlyBrightens() {
        Image card = TestCard.render(80, 60, 4);
        Image hazy = Degradations.parse("haze:1.5").applyTo(card, 1);
        int n = (int) card.pixels();
        double airlight = -1;
        for (int i = 0; i < n; i += 7) {
            // every channel shares one transmission t: (I − A) / (J − A) is equal across channels
            float j0 = card.plane(0)[i], j1 = card.plane(1)[i];
            if (Math.abs(j0 - j1) < 0.2) continue;
            if (airlight < 0) {
                // solve A from two channels of the first usable pixel, then check it everywhere
                float i0 = hazy.plane(0)[i], i1 = hazy.plane(1)[i];
                double t = (i0 - i1) / (j0 - j1);
                airlight = (i0 - j0 * t) / (1 - t);
                assertTrue(airlight >= 0.7 - 1e-4 && airlight <= 1.0 + 1e-4, "airlight " + airlight);
            }
            double t0 = (hazy.plane(0)[i] - airlight) / (j0 - airlight), t1 = (hazy.plane(1)[i] - airlight) / (j1 - airlight);
            assertEquals(t0, t1, 1e-3, "same transmission in all channels");
            assertTrue(t0 > Math.exp(-1.5) - 1e-3 && t0 <= 1 + 1e-3, "t = exp(-beta d) with d in [0, 1]: " + t0);
        }
        Image rainy = Degradations.parse("rain:0.01").applyTo(card, 2);
        long changed = 0;
        for (int c = 0; c < 3; c++) for (int i = 0; i < n; i++) {
            assertTrue(rainy.plane(c)[i] >= card.plane(c)[i] - 1e-6f, "rain never darkens");
            if (rainy.plane(c)[i] > card.plane(c)[i] + 1e-4f) changed++;
        }
        assertTrue(changed > 0.03 * n && changed < 3 * n * 0.9, "streaks cover part of the image: " + changed);
    }

    @Test
    void rainStreaksTakeAWidthLengthAndOpacityAndKeepTheDefaultStreaks() {
        Image card = TestCard.render(96, 80, 4);
        Image thin = Degradations.parse("rain:0.01").applyTo(card, 5);
        // a width of one pixel is the default streak, drawn from the same generator: the same image bit for bit
        Image oneWide = Degradations.parse("rain:0.01,1").applyTo(card, 5);
        for (int c = 0; c < 3; c++) assertArrayEquals(thin.plane(c), oneWide.plane(c), "channel " + c);
        Image wide = Degradations.parse("rain:0.01,4").applyTo(card, 5);
        long thinChanged = 0, wideChanged = 0;
        double thinLight = 0, wideLight = 0;
        for (int c = 0; c < 3; c++) for (int i = 0; i < card.pixels(); i++) {
            assertTrue(wide.plane(c)[i] >= card.plane(c)[i] - 1e-6f && wide.plane(c)[i] <= 1 + 1e-6f, "wide rain only brightens, within range");
            thinLight += thin.plane(c)[i] - card.plane(c)[i];
            wideLight += wide.plane(c)[i] - card.plane(c)[i];
            if (thin.plane(c)[i] > card.plane(c)[i] + 1e-3f) thinChanged++;
            if (wide.plane(c)[i] > card.plane(c)[i] + 1e-3f) wideChanged++;
        }
        // a quarter of the drops, each streak 4 px wide at half maximum instead of 1 with its peak kept: the light
        // added is of the same order (more, as fewer streaks overlap; the same drops widened would add ~4 x as much),
        // spread over more pixels
        assertTrue(wideChanged > 2 * thinChanged, "wider streaks: " + thinChanged + " -> " + wideChanged + " pixels");
        assertTrue(wideLight > 0.8 * thinLight && wideLight < 2.2 * thinLight, "light added: " + thinLight + " -> " + wideLight);
        assertEquals("rain:0.002-0.03,1-4,10-60,0.2-0.9", Degradations.parse("rain:0.002-0.03,1-4,10-60,0.2-0.9").describe());
        assertEquals("rain:0.01,2", Degradations.parse("rain:0.01,2").describe());
        assertEquals("rain:0.01,1,10-39,0.3", Degradations.parse("rain:0.01,1,10-39,0.3").describe());
        assertEquals("rain:0.01", Degradations.parse("rain:0.01").describe());
        for (String bad : new String[] {"rain:0.01,0.5", "rain:0.01,2,0", "rain:0.01,2,10,0", "rain:0.01,2,10,1.5", "rain:0.01,2,10,0.5,1", "rain:0.01,x"}) {
            assertThrows(IllegalArgumentException.class, () -> Degradations.parse(bad), bad);
        }
    }

    @Test
    void poissonSamplesHaveMeanAndVarianceLambda() {
        double logFactorial = 0;
        for (int k = 1; k <= 40; k++) {
            logFactorial += Math.log(k);
            assertEquals(logFactorial, PoissonNoise.logFactorial(k), 1e-9, "log " + k + "!");
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        for (double lambda : new double[] {0.5, 3, 9.9, 10, 47.3, 1000}) {     // both samplers and their border
            int n = 40_000;
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++) {
                long k = PoissonNoise.sample(lambda, rng);
                assertTrue(k >= 0);
                sum += k;
                squares += (double) k * k;
            }
            double mean = sum / n, variance = squares / n - mean * mean;
            // 5 standard errors of the mean and of the variance (≈ λ·sqrt(2/n) for large λ)
            assertEquals(lambda, mean, 5 * Math.sqrt(lambda / n), "mean at λ=" + lambda);
            assertEquals(lambda, variance, 5 * Math.sqrt((2 * lambda * lambda + lambda) / n), "variance at λ=" + lambda);
        }
        // as a degradation: y = Poisson(x·100)/100 keeps the mean and has variance x/100
        float[] flat = new float[60_000];
        java.util.Arrays.fill(flat, 0.4f);
        Degradations.parse("poisson:2").apply(flat, 1, 200, 300, new java.util.SplittableRandom(5));
        double sum = 0, squares = 0;
        for (float v : flat) { sum += v; squares += v * v; }
        double mean = sum / flat.length;
        assertEquals(0.4, mean, 1e-3);
        assertEquals(0.004, squares / flat.length - mean * mean, 1e-4);
    }

    @Test
    void blockMaskGraysWholeGridSquaresAtTheRequestedRate() {
        Image card = TestCard.render(160, 128, 4);
        Image masked = Degradations.parse("mask:0.4,16").applyTo(card, 3);
        int w = card.width(), n = (int) card.pixels();
        long gray = 0, unchanged = 0;
        for (int i = 0; i < n; i++) {
            boolean isGray = true, same = true;
            for (int c = 0; c < 3; c++) {
                isGray &= masked.plane(c)[i] == 0.5f;
                same &= masked.plane(c)[i] == card.plane(c)[i];
            }
            assertTrue(isGray || same, "a pixel is either masked in every channel or untouched");
            if (isGray) gray++;
            if (same) unchanged++;
        }
        assertEquals(0.4, gray / (double) n, 0.1, "masked fraction");
        // a masked pixel's run of gray along its row is a whole square side, except where the grid is cut by the border
        for (int y = 0; y < card.height(); y++) {
            int run = 0;
            for (int x = 0; x <= w; x++) {
                boolean g = x < w && masked.plane(0)[y * w + x] == 0.5f && masked.plane(1)[y * w + x] == 0.5f;
                if (g) run++;
                else if (run > 0) {
                    assertTrue(run % 16 == 0 || x - run == 0 || x == w, "run of " + run + " ending at x=" + x);
                    run = 0;
                }
            }
        }
        assertEquals(n, gray + unchanged);
    }

    @Test
    void recipesParseAndBadOnesExplainThemselves() {
        assertEquals("mask:0.5,16", Degradations.parse("mask").describe());
        assertEquals("poisson:2.0-3.5", Degradations.parse("poisson:2-3.5").describe());
        assertEquals("gaussian:0-55", Degradations.parse("gaussian:0-55").describe());
        assertEquals("gaussian:25,clip", Degradations.parse("gaussian:25,clip").describe());
        assertEquals("correlated:40-55", Degradations.parse("correlated:40-55").describe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Degradations.parse("blur:3"));
        assertTrue(e.getMessage().contains("unknown noise 'blur'") && e.getMessage().contains("examples"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Degradations.parse("gaussian:x"));
    }

    @Test
    void phoneProcessingStepsChainInOrder() {
        Image card = TestCard.render(128, 96, 3);
        Degradation chain = Degradations.parse("camera:0.08,0.03+chroma:6+sharpen:0.8+jpeg:80");
        assertEquals("camera:0.08,0.03+chroma:6+sharpen:0.8+jpeg:80", chain.describe());
        assertEquals("denoise", chain.task());
        assertEquals("derain", Degradations.parse("rain:0.01+gaussian:10").task());
        assertEquals(chain.applyTo(card, 3), chain.applyTo(card, 3), "seeded");
        // JPEG output is on the 8-bit grid and near the input; quality 100 is nearer than 30
        Image q30 = Degradations.parse("jpeg:30").applyTo(card, 1), q100 = Degradations.parse("jpeg:100").applyTo(card, 1);
        for (float v : q30.plane(1)) assertEquals(0, v * 255 - Math.round(v * 255), 1e-3);
        // (4:2:0 chroma subsampling keeps even quality 100 a few levels off on the card's sharp colour edges)
        assertTrue(residualRms(card, q100) < 0.7 * residualRms(card, q30) && residualRms(card, q100) < 8 / 255.0, residualRms(card, q100) + " " + residualRms(card, q30));
        // chroma noise leaves luminance alone and has the requested colour-difference level
        Image flat = new Image(256, 256, new float[][] {fill(0.5f, 256 * 256), fill(0.5f, 256 * 256), fill(0.5f, 256 * 256)}, null, 8, Image.Encoding.SRGB, "flat");
        Image blotched = Degradations.parse("chroma:8").applyTo(flat, 2);
        double lumaSq = 0, cbSq = 0;
        for (int i = 0; i < 256 * 256; i++) {
            double r = blotched.plane(0)[i] - 0.5, g = blotched.plane(1)[i] - 0.5, b = blotched.plane(2)[i] - 0.5;
            double y = 0.299 * r + 0.587 * g + 0.114 * b;
            lumaSq += y * y;
            cbSq += Math.pow((b - y) / 1.772, 2);
        }
        assertTrue(Math.sqrt(lumaSq / 65536) < 0.05 / 255, "luma untouched: " + Math.sqrt(lumaSq / 65536) * 255);
        assertEquals(8.0 * 0.8, Math.sqrt(cbSq / 65536) * 255, 8.0 * 0.45, "Cb deviation near sigma (less by the interpolation)");
        // sharpening amount 0 is the identity, and sharpening raises the noise of a noisy flat image
        Image noisy = GaussianNoise.fixed(10).applyTo(flat, 4);
        assertEquals(noisy, Degradations.parse("sharpen:0").applyTo(noisy, 1));
        assertTrue(residualRms(flat, Degradations.parse("sharpen:1").applyTo(noisy, 1)) > 1.3 * residualRms(flat, noisy));
        assertThrows(IllegalArgumentException.class, () -> Degradations.parse("jpeg:101"));
        assertThrows(IllegalArgumentException.class, () -> Degradations.parse("camera++jpeg:80"));
    }

    private static float[] fill(float v, int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void noiseLevelEstimateIsCloseOnSmoothContent() {
        Image card = TestCard.render(400, 300, 3);
        Image noisy = GaussianNoise.fixed(20).applyTo(card, 1);
        assertEquals(20, NoiseLevel.estimate(noisy), 2.5);
    }

    /** Per intensity bin of the clean signal: mean of the noise, its variance, and the bin's mean intensity. */
    static double[][] binStats(float[] clean, float[] noisy, int bins) {
        double[][] acc = new double[bins][4];
        for (int i = 0; i < clean.length; i++) {
            int k = Math.min(bins - 1, (int) ((clean[i] - 0.05) / 0.9 * bins));
            double d = noisy[i] - clean[i];
            acc[k][0] += d; acc[k][1] += d * d; acc[k][2] += clean[i]; acc[k][3]++;
        }
        double[][] out = new double[bins][3];
        for (int k = 0; k < bins; k++) {
            double m = acc[k][0] / acc[k][3];
            out[k] = new double[] {m, acc[k][1] / acc[k][3] - m * m, acc[k][2] / acc[k][3]};
        }
        return out;
    }
}
