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
}
