package dev.lucid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lucid.image.Image;
import dev.lucid.image.TestImages;
import org.junit.jupiter.api.Test;

class WideGamutStudyTest {

    @Test
    void adobeRgbConversionKnowsItsAnswersAndRoundTrips() {
        // white stays white; sRGB's pure red is (0.858, 0, 0) in Adobe RGB (Adobe's red is more saturated); green
        // (0.565, 1, 0.234) as colour-managed viewers compute it
        Image red = new Image(1, 1, new float[][] {{1}, {0}, {0}}, null, 8, Image.Encoding.SRGB, "png");
        Image adobeRed = WideGamutStudy.toAdobe(red);
        assertEquals(0.8590, adobeRed.plane(0)[0], 0.002);
        assertEquals(0.0, adobeRed.plane(1)[0], 0.002);
        assertEquals(0.0, adobeRed.plane(2)[0], 0.002);
        Image green = WideGamutStudy.toAdobe(new Image(1, 1, new float[][] {{0}, {1}, {0}}, null, 8, Image.Encoding.SRGB, "png"));
        assertEquals(0.5647, green.plane(0)[0], 0.002);
        assertEquals(1.0, green.plane(1)[0], 0.002);
        assertEquals(0.2345, green.plane(2)[0], 0.002);
        Image scene = TestImages.scene(40, 30), back = WideGamutStudy.toSrgb(WideGamutStudy.toAdobe(scene));
        for (int c = 0; c < 3; c++) for (int i = 0; i < scene.pixels(); i++) assertEquals(scene.plane(c)[i], back.plane(c)[i], 1e-5);
    }
}
