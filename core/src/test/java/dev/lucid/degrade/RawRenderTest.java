package dev.lucid.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.image.Image;
import dev.lucid.image.Matrix3;
import dev.lucid.image.RawInfo;
import dev.lucid.image.TestImages;
import dev.lucid.metrics.Psnr;
import org.junit.jupiter.api.Test;

class RawRenderTest {

    @Test
    void whiteBalancedGreyComesOutAsSrgbGrey() {
        // a camera that sees linear sRGB (colour matrix = sRGB → XYZ), gains (2, 1, 0.5): raw (0.1, 0.2, 0.4) is grey 0.2
        int w = 6, h = 5, n = w * h;
        float[][] planes = {new float[n], new float[n], new float[n], new float[n]};
        java.util.Arrays.fill(planes[0], 0.1f);
        java.util.Arrays.fill(planes[1], 0.2f);
        java.util.Arrays.fill(planes[2], 0.2f);
        java.util.Arrays.fill(planes[3], 0.4f);
        for (String pattern : new String[] {"RGGB", "GBRG"}) {
            RawInfo info = new RawInfo(pattern, 0, 1, new double[] {2, 1, 0.5}, Matrix3.SRGB_TO_XYZ);
            Image rendered = CameraPipeline.render(new Image(w, h, planes, null, 16, Image.Encoding.LINEAR, "test", info));
            assertEquals(12, rendered.width());
            assertEquals(10, rendered.height());
            double x = Math.pow(0.2, 1 / 2.2), expected = 3 * x * x - 2 * x * x * x;     // gamma and smoothstep at 0.2: 0.6097
            for (int c = 0; c < 3; c++) for (float v : rendered.plane(c)) assertEquals(expected, v, 1e-5, pattern);
        }
    }

    @Test
    void rendersWhatTheSimulatedCameraSaw() {
        // unprocessed by a camera of gamma 2.2 (the renderer's), then rendered: the scene again, up to the demosaicing
        // of its edges (the camera's own process() gives 30.5 dB for the first)
        Image scene = TestImages.scene(64, 48);
        for (int p = 0; p < 4; p++) {
            CameraPipeline camera = new CameraPipeline(2.2, new double[] {1, 0, 0, 0}, p, 0.8, 0.9);
            int n = 64 * 48;
            float[] rgb = new float[3 * n];
            for (int c = 0; c < 3; c++) System.arraycopy(scene.plane(c), 0, rgb, c * n, n);
            float[] packed = camera.pack(camera.unprocess(rgb, 48, 64), 48, 64);
            float[][] planes = new float[4][];
            for (int k = 0; k < 4; k++) planes[k] = java.util.Arrays.copyOfRange(packed, k * n / 4, (k + 1) * n / 4);
            Image rendered = CameraPipeline.render(new Image(32, 24, planes, null, 16, Image.Encoding.LINEAR, "raw", camera.rawInfo()));
            double psnr = Psnr.of(scene.planes(), rendered.planes(), 1.0);
            assertTrue(psnr > 29, CameraPipeline.PATTERN_NAMES[p] + ": " + psnr + " dB");
        }
    }
}
