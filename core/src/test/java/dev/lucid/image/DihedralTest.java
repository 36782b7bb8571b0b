package dev.lucid.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DihedralTest {

    /** A 3×2 gray image with alpha: pixel (x, y) holds (1 + x + 3y) / 10, alpha the same over 2. */
    private static Image numbered() {
        float[] plane = new float[6], alpha = new float[6];
        for (int i = 0; i < 6; i++) {
            plane[i] = (1 + i) / 10f;
            alpha[i] = (1 + i) / 20f;
        }
        return new Image(3, 2, new float[][] {plane}, alpha, 16, Image.Encoding.SRGB, "test");
    }

    private static float[] tenths(int... values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i] / 10f;
        return out;
    }

    @Test
    void knownAnswersForTheFlipsAndTurns() {
        // 1 2 3
        // 4 5 6
        Image image = numbered();
        assertArrayEquals(tenths(3, 2, 1, 6, 5, 4), Dihedral.apply(image, 1).plane(0), "k = 1: left to right");
        assertArrayEquals(tenths(6, 5, 4, 3, 2, 1), Dihedral.apply(image, 2).plane(0), "k = 2: half a turn");
        assertArrayEquals(tenths(4, 5, 6, 1, 2, 3), Dihedral.apply(image, 3).plane(0), "k = 3: top to bottom");
        for (int k = 0; k < 4; k++) assertEquals(3, Dihedral.apply(image, k).width(), "the first four keep the axes");
        assertArrayEquals(tenths(1, 4, 2, 5, 3, 6), Dihedral.apply(image, 4).plane(0), "k = 4: a transposition");
        Image turned = Dihedral.apply(image, 5);
        assertEquals(2, turned.width());
        assertEquals(3, turned.height());
        assertArrayEquals(tenths(4, 1, 5, 2, 6, 3), turned.plane(0), "k = 5: a quarter turn clockwise");
        assertArrayEquals(tenths(6, 3, 5, 2, 4, 1), Dihedral.apply(image, 6).plane(0), "k = 6: the transverse (EXIF orientation 7)");
        assertArrayEquals(tenths(3, 6, 2, 5, 1, 4), Dihedral.apply(image, 7).plane(0), "k = 7: a quarter turn anticlockwise");
        float[] halfAlpha = new float[6];
        for (int i = 0; i < 6; i++) halfAlpha[i] = turned.plane(0)[i] / 2;
        assertArrayEquals(halfAlpha, turned.alpha(), 1e-7f, "alpha moves with the pixels");
        assertEquals(16, turned.bitDepth());
    }

    @Test
    void everySymmetryIsUndoneAndAllEightDiffer() {
        Image image = TestImages.random(7, 5, 3, true, 8, 3);
        Set<List<Float>> seen = new HashSet<>();
        for (int k = 0; k < Dihedral.COUNT; k++) {
            Image moved = Dihedral.apply(image, k);
            assertEquals(image, Dihedral.invert(moved, k), "symmetry " + k);
            List<Float> firstPlane = new java.util.ArrayList<>();
            for (float v : moved.plane(0)) firstPlane.add(v);
            seen.add(firstPlane);
        }
        assertEquals(Dihedral.COUNT, seen.size(), "eight different images");
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(image, 8));
    }
}
