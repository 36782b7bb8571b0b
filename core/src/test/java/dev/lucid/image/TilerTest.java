package dev.lucid.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.Progress;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TilerTest {

    /** Returns its input: the blended output must equal the image. */
    static final TileModel IDENTITY = (batch, n, c, h, w) -> batch.clone();

    /** Identity that also needs sides that are multiples of 16 (exercises the reflection padding). */
    static final TileModel IDENTITY_16 = new TileModel() {
        @Override public float[] apply(float[] batch, int n, int c, int h, int w) {
            if (h % 16 != 0 || w % 16 != 0) throw new AssertionError("unpadded tile " + h + "x" + w);
            return batch.clone();
        }
        @Override public int sizeMultiple() { return 16; }
    };

    @ParameterizedTest(name = "{0}x{1} tile {2} overlap {3} batch {4}")
    @CsvSource({
        "1, 1, 512, 32, 1", "7, 13, 512, 32, 1", "7, 13, 8, 2, 3", "7, 13, 8, 0, 2",
        "511, 513, 512, 32, 1", "511, 513, 128, 32, 4", "511, 513, 100, 25, 2", "511, 513, 64, 0, 5",
        "511, 513, 37, 9, 1", "300, 200, 256, 64, 2", "1000, 3, 64, 16, 8"})
    void identityModelReproducesTheImage(int w, int h, int tile, int overlap, int batch) {
        float[][] planes = random(w, h, 3, 7);
        for (TileModel model : new TileModel[] {IDENTITY, IDENTITY_16}) {
            float[][] out = Tiler.run(planes, w, h, model, new Tiler.Settings(tile, overlap, batch), Progress.NONE);
            assertEquals(0, maxAbsDiff(planes, out), 0.0, "identity through the tiler is exact");
        }
    }

    @Test
    void identityIsExactForRandomSizesTilesOverlapsAndPlanes() {
        // property test (issue #21): 300 seeded random cases of size 1..300 per side, tile 8..300, overlap up to
        // a quarter of the tile, batch 1..6, 1..4 planes, with and without a size multiple: always bit-exact
        SplittableRandom r = new SplittableRandom(21);
        for (int i = 0; i < 300; i++) {
            int w = 1 + r.nextInt(300), h = 1 + r.nextInt(300), tile = 8 + r.nextInt(293), overlap = r.nextInt(tile / 4 + 1), batch = 1 + r.nextInt(6), c = 1 + r.nextInt(4);
            float[][] planes = random(w, h, c, i);
            TileModel model = r.nextBoolean() ? IDENTITY : IDENTITY_16;
            float[][] out = Tiler.run(planes, w, h, model, new Tiler.Settings(tile, overlap, batch), Progress.NONE);
            assertEquals(0, maxAbsDiff(planes, out), 0.0, "case " + i + ": " + w + "x" + h + "x" + c + " tile " + tile + " overlap " + overlap + " batch " + batch);
        }
    }

    @Test
    void tilesShrinkToCoverASideWithTheOverlapAsked() {
        // a 3000-pixel side (a 24 MP photo's sub-image at stride 2) in 512-pixel tiles overlapping by 32 needs 7 tiles,
        // and 7 tiles of 456 pixels (a multiple of the model's 8) cover it: 3 192 pixels computed instead of 3 584
        Tiler.Axis side = new Tiler.Axis(3000, 512, 32, 32, 8);
        assertEquals(7, side.count());
        assertEquals(456, side.size);
        assertEquals(456, side.padded);
        assertEquals(0, side.starts[0]);
        assertEquals(3000 - 456, side.starts[6]);
        for (int i = 0; i + 1 < side.count(); i++) {
            assertTrue(side.starts[i] + side.size - side.starts[i + 1] >= 32, "tiles " + i + " and " + (i + 1) + " overlap by at least 32");
        }
        assertEquals(300, new Tiler.Axis(300, 512, 32, 32, 8).size, "a side that fits one tile is one tile of its length");
        assertEquals(128, new Tiler.Axis(481, 128, 32, 32, 8).size, "5 tiles of 128 are the fewest that cover 481");
    }

    @Test
    void aModelsLargestTileCapsTheRequestedOneAndItsOverlap() {
        TileModel small = new TileModel() {
            @Override public float[] apply(float[] batch, int n, int c, int h, int w) {
                if (h > 64 || w > 64) throw new AssertionError("tile " + h + "x" + w + " above the model's 64");
                return batch.clone();
            }
            @Override public int maxTile() { return 64; }
        };
        float[][] planes = random(300, 200, 3, 5);
        assertEquals(0, maxAbsDiff(planes, Tiler.run(planes, 300, 200, small, Tiler.Settings.defaults(), Progress.NONE)), 0.0);
        assertEquals(new Tiler.Settings(64, 16, 1), Tiler.Settings.defaults().within(64), "512/32 becomes 64/16");
        assertEquals(Tiler.Settings.defaults(), Tiler.Settings.defaults().within(1024), "a larger cap changes nothing");
    }

    @Test
    void identityOn12MegapixelImage() {
        int w = 3000, h = 4000;
        float[][] planes = random(w, h, 3, 11);
        AtomicLong tiles = new AtomicLong();
        Progress counter = new Progress() {
            @Override public void begin(String stage, long total) { assertEquals(7 * 9, total); }
            @Override public void advance(long units) { tiles.addAndGet(units); }
        };
        float[][] out = Tiler.run(planes, w, h, IDENTITY_16, new Tiler.Settings(512, 32, 2), counter);
        assertEquals(63, tiles.get());
        assertEquals(0, maxAbsDiff(planes, out), 0.0, "identity through the tiler is exact");
    }

    /**
     * A model whose output depends on the position inside the tile (a ramp of 0.05 across it). On a constant
     * image, hard tile borders would show as jumps of ~0.05; blended, neighbouring pixels differ by far less.
     */
    @Test
    void positionDependentModelLeavesNoVisibleSeams() {
        int w = 700, h = 500;
        float[][] constant = {filled(w * h, 0.5f)};
        TileModel ramp = (batch, n, c, th, tw) -> {
            float[] out = batch.clone();
            for (int i = 0; i < out.length; i++) {
                int x = i % tw, y = (i / tw) % th;
                out[i] += 0.05f * (x + y) / (tw + th);
            }
            return out;
        };
        double blended = maxNeighbourStep(Tiler.run(constant, w, h, ramp, new Tiler.Settings(128, 32, 1), Progress.NONE)[0], w, h);
        double hardCut = maxNeighbourStep(Tiler.run(constant, w, h, ramp, new Tiler.Settings(128, 0, 1), Progress.NONE)[0], w, h);
        assertTrue(hardCut > 0.02, "the test model does produce seams without blending: " + hardCut);
        assertTrue(blended < 0.004, "largest step between neighbouring pixels " + blended);
    }

    /**
     * Blend 0 (generated noise): each output pixel is one tile's own value, never a mix, and never from the 16 pixels
     * next to a tile's edge (half the 32-px overlap) unless that edge is the image's.
     */
    @Test
    void zeroBlendTakesEachPixelFromOneTileAwayFromItsEdges() {
        int w = 700, h = 500;
        float[][] zeros = {new float[w * h]};
        int[] calls = {0};
        TileModel marked = (batch, n, c, th, tw) -> {
            float[] out = new float[batch.length];
            for (int i = 0; i < out.length; i++) {
                int x = i % tw, y = (i / tw) % th, edge = Math.min(Math.min(x, tw - 1 - x), Math.min(y, th - 1 - y));
                out[i] = edge < 15 ? 1f : (calls[0] + 1) / 64f;          // 1: a tile's border zone; else the tile's number
            }
            calls[0]++;
            return out;
        };
        float[] out = Tiler.run(zeros, w, h, marked, new Tiler.Settings(128, 32, 1, 0), Progress.NONE)[0];
        for (int y = 16; y < h - 16; y++) {
            for (int x = 16; x < w - 16; x++) {
                float v = out[y * w + x];
                assertTrue(v < 1f, "border output at " + x + "," + y);
                assertEquals(Math.round(v * 64), v * 64, 1e-4, "a mix of tiles at " + x + "," + y);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Tiler.Settings(128, 16, 1, 17), "a blend wider than the overlap");
    }

    @ParameterizedTest
    @CsvSource({"100,70,32,8,1", "513,77,64,16,3", "37,300,32,8,2", "256,256,256,0,1"})
    void aFourPlaneImageGoesThroughAnIdentityModelBitForBit(int w, int h, int tile, int overlap, int batch) {
        float[][] planes = new float[4][w * h];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(w * 31L + h);
        for (float[] p : planes) for (int i = 0; i < p.length; i++) p[i] = rng.nextFloat();
        Image packed = new Image(w, h, planes, null, 16, Image.Encoding.LINEAR, "test",
                new RawInfo("RGGB", 512, 16383, new double[] {2.0, 1.0, 1.5}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}));
        TileModel identity = new TileModel() {
            @Override public float[] apply(float[] batch, int n, int c, int th, int tw) { return batch.clone(); }
            @Override public int channels() { return 4; }
            @Override public int sizeMultiple() { return 8; }
        };
        Image out = Tiler.restore(packed, identity, new Tiler.Settings(tile, overlap, batch), dev.lucid.Progress.NONE);
        assertEquals(packed, out);
        assertEquals("RGGB", out.raw().cfaPattern());
        TileModel rgb = new TileModel() {
            @Override public float[] apply(float[] batch, int n, int c, int th, int tw) { return batch.clone(); }
        };
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Tiler.restore(packed, rgb, new Tiler.Settings(tile, overlap, batch), dev.lucid.Progress.NONE));
        assertTrue(e.getMessage().contains("takes 3-plane images, got 4 planes"), e.getMessage());
    }

    @Test
    void reflectIndexing() {
        assertEquals(1, Tiler.reflect(-1, 5));
        assertEquals(3, Tiler.reflect(5, 5));
        assertEquals(0, Tiler.reflect(8, 5));
        assertEquals(0, Tiler.reflect(3, 1));
        assertEquals(0, Tiler.reflect(2, 2));
    }

    static double maxNeighbourStep(float[] p, int w, int h) {
        double max = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x + 1 < w) max = Math.max(max, Math.abs(p[y * w + x + 1] - p[y * w + x]));
                if (y + 1 < h) max = Math.max(max, Math.abs(p[(y + 1) * w + x] - p[y * w + x]));
            }
        }
        return max;
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static float[][] random(int w, int h, int c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] planes = new float[c][w * h];
        for (float[] p : planes) for (int i = 0; i < p.length; i++) p[i] = (float) rng.nextDouble();
        return planes;
    }

    static double maxAbsDiff(float[][] a, float[][] b) {
        double max = 0;
        for (int c = 0; c < a.length; c++) for (int i = 0; i < a[c].length; i++) max = Math.max(max, Math.abs(a[c][i] - b[c][i]));
        return max;
    }
}
