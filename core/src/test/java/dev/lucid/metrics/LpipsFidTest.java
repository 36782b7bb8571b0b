package dev.lucid.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lucid.image.Image;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against make_lpips_fid_fixtures.py (PyTorch 1.13 + numpy), which documents the formulas both sides use. */
public class LpipsFidTest {

    static JsonNode expected() throws Exception {
        return new ObjectMapper().readTree(Path.of(LpipsFidTest.class.getResource("expected_lpips_fid.json").toURI()).toFile());
    }

    /** The formula weights of the fixture script: w[i] = 0.05 sin(0.37 i + layer), b[j] = 0.01 cos(j + layer). */
    public static NDList formulaAlexNet(NDManager m) {
        int[][] convs = {{3, 64, 11}, {64, 192, 5}, {192, 384, 3}, {384, 256, 3}, {256, 256, 3}};
        String[] names = {"features.0", "features.3", "features.6", "features.8", "features.10"};
        NDList list = new NDList();
        for (int layer = 0; layer < 5; layer++) {
            int[] c = convs[layer];
            int n = c[1] * c[0] * c[2] * c[2];
            float[] w = new float[n], b = new float[c[1]];
            for (int i = 0; i < n; i++) w[i] = (float) (0.05 * Math.sin(0.37 * i + layer));
            for (int j = 0; j < b.length; j++) b[j] = (float) (0.01 * Math.cos(j + layer));
            NDArray wa = m.create(w, new Shape(c[1], c[0], c[2], c[2])), ba = m.create(b, new Shape(c[1]));
            wa.setName(names[layer] + ".weight");
            ba.setName(names[layer] + ".bias");
            list.add(wa);
            list.add(ba);
        }
        return list;
    }

    /** The fixture script's image(kind, h, w). */
    static Image image(int kind, int h, int w) {
        float[][] planes = new float[3][h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    planes[c][y * w + x] = (float) (0.5 + 0.4 * Math.sin(0.21 * x + 0.13 * y + c) * Math.cos(0.05 * x * (kind + 1) - 0.07 * y + 0.5 * c));
                }
            }
        }
        return new Image(w, h, planes, null, 8, Image.Encoding.SRGB, "formula");
    }

    @Test
    void lpipsMatchesTheReferenceComputation() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); Lpips lpips = new Lpips(formulaAlexNet(m))) {
            for (JsonNode c : expected().get("lpips")) {
                double d = lpips.distance(image(c.get("a").asInt(), 64, 80), image(c.get("b").asInt(), 64, 80));
                assertEquals(c.get("distance").asDouble(), d, 1e-5 + 1e-4 * c.get("distance").asDouble(), "pair " + c);
            }
        }
    }

    @Test
    void lpipsRefusesWeightsThatAreNotAlexNet(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.zeros(new Shape(2));
            a.setName("features.0.weight");
            IOException e = assertThrows(IOException.class, () -> new Lpips(new NDList(a)));
            assertTrue(e.getMessage().contains("not AlexNet features weights"), e.getMessage());
        }
        assertThrows(IOException.class, () -> Lpips.load(dir.resolve("missing.pth")));
    }

    @Test
    void frechetDistanceMatchesNumpyAndTheTorchScriptExtractorRuns() throws Exception {
        JsonNode fid = expected().get("fid");
        double[][] a = matrix(fid.get("features_a")), b = matrix(fid.get("features_b"));
        assertEquals(fid.get("distance").asDouble(), FrechetDistance.of(a, b), 1e-9);
        try (FeatureExtractor ex = new FeatureExtractor(Path.of(LpipsFidTest.class.getResource("fid_extractor.pt").toURI()))) {
            for (int k = 0; k < 6; k++) {
                Image img = image(k, 32, 40);
                float scale = (float) (0.8 + 0.05 * k);
                float[][] scaled = new float[3][];
                for (int c = 0; c < 3; c++) {
                    scaled[c] = img.plane(c).clone();
                    for (int i = 0; i < scaled[c].length; i++) scaled[c][i] *= scale;
                }
                double[] f = ex.features(img.withPlanes(scaled));
                for (int j = 0; j < f.length; j++) assertEquals(a[k][j], f[j], 1e-5, "feature " + j + " of image " + k);
            }
        }
    }

    @Test
    void frechetDistanceOfKnownGaussians() {
        // Independent coordinates with σ1 = 1, σ2 = 2 and means 0 vs 3: FD = 3² + Σ(σ1 − σ2)² = 9 + 2·1 = 11 per the closed form
        SplittableRandom rng = new SplittableRandom(1);
        int n = 200_000;
        double[][] a = new double[n][2], b = new double[n][2];
        for (int i = 0; i < n; i++) {
            a[i][0] = gaussian(rng); a[i][1] = gaussian(rng);
            b[i][0] = 3 + 2 * gaussian(rng); b[i][1] = 2 * gaussian(rng);
        }
        assertEquals(11.0, FrechetDistance.of(a, b), 0.1);
        // Tr (Σ₁ Σ₂)^½ of commuting diagonal matrices is Σ √(a_i b_i)
        assertEquals(Math.sqrt(4 * 9) + Math.sqrt(1 * 16) + Math.sqrt(2.25 * 1),
                FrechetDistance.traceSqrtProduct(new double[][] {{4, 0, 0}, {0, 1, 0}, {0, 0, 2.25}}, new double[][] {{9, 0, 0}, {0, 16, 0}, {0, 0, 1}}), 1e-12);
    }

    static double gaussian(SplittableRandom rng) { return dev.lucid.degrade.Degradation.gaussian(rng); }

    static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new double[rows.get(i).size()];
            for (int j = 0; j < m[i].length; j++) m[i][j] = rows.get(i).get(j).asDouble();
        }
        return m;
    }
}
