package dev.lucid.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PixelShuffleTest {

    @Test
    void subImagesHoldEveryStrideThPixelAndMergeBackExactly() {
        for (int s = 1; s <= 4; s++) {
            for (int[] size : new int[][] {{9, 7}, {16, 16}, {5, 11}}) {
                Image image = TestImages.random(size[0], size[1], 3, true, 16, s + size[0]);
                List<Image> parts = PixelShuffle.split(image, s);
                assertEquals(s * s, parts.size());
                Image second = parts.get(s > 1 ? 1 : 0);              // (a, b) = (1, 0): x = 1 + s·i
                int a = s > 1 ? 1 : 0;
                assertEquals((size[0] - a + s - 1) / s, second.width());
                assertEquals((size[1] + s - 1) / s, second.height());
                for (int y = 0; y < second.height(); y++) {
                    for (int x = 0; x < second.width(); x++) assertEquals(image.get(2, a + s * x, s * y), second.get(2, x, y), 0f);
                }
                assertEquals(image, PixelShuffle.merge(parts, s, image), "round trip at stride " + s + ", " + size[0] + "x" + size[1]);
            }
        }
    }

    @Test
    void sharingTheLowBandRemovesADotPatternAndKeepsDetail() {
        // a grey image with a different level on each of the four Bayer sites: a 2-pixel dot pattern
        int w = 13, h = 10;
        float[] plane = new float[w * h];
        float[] site = {0.50f, 0.54f, 0.47f, 0.51f};
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) plane[y * w + x] = site[(y % 2) * 2 + x % 2];
        Image dotted = new Image(w, h, new float[][] {plane}, null, 8, Image.Encoding.SRGB, "png");
        Image flat = PixelShuffle.merge(PixelShuffle.shareLowBand(PixelShuffle.split(dotted, 2), 4), 2, dotted);
        for (int i = 0; i < plane.length; i++) assertEquals(0.505f, flat.plane(0)[i], 1e-6f, "pixel " + i);

        // sub-images that agree keep their detail: one pixel lifted in one of four identical sub-images stays lifted but for
        // its share of the box means (radius 2: a 5² box), and the others get a quarter of that share
        Image one = TestImages.random(11, 9, 1, false, 8, 3);
        float[] lifted = one.plane(0).clone();
        lifted[4 * 11 + 5] += 0.2f;
        List<Image> shared = PixelShuffle.shareLowBand(List.of(one, one.withPlanes(new float[][] {lifted}), one, one), 2);
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < lifted.length; i++) {
                double expected = one.plane(0)[i];
                int dx = Math.abs(i % 11 - 5), dy = Math.abs(i / 11 - 4);
                if (dx <= 2 && dy <= 2) expected += (k == 1 && i == 4 * 11 + 5 ? 0.2 : 0) - (k == 1 ? 0.2 / 25 : 0) + 0.2 / 25 / 4;
                assertEquals(expected, shared.get(k).plane(0)[i], 1e-6, "sub-image " + k + ", pixel " + i);
            }
        }
    }
}
