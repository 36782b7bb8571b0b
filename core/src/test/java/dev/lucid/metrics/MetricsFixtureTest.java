package dev.lucid.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lucid.SharedData;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** PSNR and SSIM against scikit-image 0.19.3 reference values (shared/fixtures/metrics). */
class MetricsFixtureTest {

    @Test
    void matchesScikitImage() throws IOException {
        Path dir = SharedData.path("fixtures/metrics");
        JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
        int checked = 0;
        for (JsonNode c : ref.get("cases")) {
            Image clean = ImageFiles.read(dir.resolve(c.get("clean").asText()));
            Image test = ImageFiles.read(dir.resolve(c.get("test").asText()));
            String label = c.get("test").asText();
            float[][] a = clean.planes(), b = test.planes();
            assertEquals(c.get("psnr").asDouble(), Psnr.of(a, b, 1.0), 1e-4, label + " psnr");
            assertEquals(c.get("ssim_uniform7").asDouble(), Ssim.of(a, b, clean.width(), clean.height(), 1.0, Ssim.Window.UNIFORM7), 1e-4, label + " ssim");
            assertEquals(c.get("ssim_gaussian").asDouble(), Ssim.of(a, b, clean.width(), clean.height(), 1.0, Ssim.Window.GAUSSIAN), 1e-4, label + " ssim gaussian");
            checked++;
        }
        assertEquals(6, checked);
    }

    @Test
    void identicalImagesScoreOne() {
        float[][] a = {{0.1f, 0.5f, 0.9f, 0.3f, 0.2f, 0.7f, 0.4f, 0.6f, 0.8f, 0.1f, 0.5f, 0.2f, 0.3f, 0.9f, 0.6f, 0.4f}};
        float[][] tiled = new float[1][12 * 12];
        for (int i = 0; i < tiled[0].length; i++) tiled[0][i] = a[0][i % 16];
        assertEquals(1.0, Ssim.of(tiled, tiled, 12, 12, 1.0, Ssim.Window.GAUSSIAN), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.of(tiled, tiled, 1.0));
    }
}
