package dev.lucid.eval;

import dev.lucid.Progress;
import dev.lucid.degrade.Degradation;
import dev.lucid.degrade.Degradations;
import dev.lucid.degrade.NoiseFit;
import dev.lucid.image.Image;
import dev.lucid.metrics.NoiseStatistics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How real synthetic noise looks (issue #17): each recipe puts noise on the clean image of every real pair, and the
 * result is compared with the pair's real noise by AKLD and KS ({@link NoiseStatistics}). A fitted recipe
 * ({@code gaussian:fit}, {@code poisson-gaussian:fit}, {@code camera:fit}) is fitted to a reference pair: the pair
 * itself ({@code self}) or another pair of the same camera ({@code other}: the next one in name order whose name
 * starts with the same camera prefix, the text before the first '_'; sets without prefixes form one group).
 */
public final class NoiseRealism {

    /** Where fitted recipes take their reference from. */
    public enum Reference {
        SELF, OTHER;

        public static Reference parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--reference must be self or other, got \"" + s + "\"", e);
            }
        }
    }

    /** Mean AKLD and KS of one recipe over the pairs it was measured on, and the seconds it took per megapixel. */
    public record Row(String recipe, double akld, double ks, int pairs, double secondsPerMegapixel) {}

    private NoiseRealism() {}

    public static List<Row> run(EvalSet set, List<String> recipes, Reference reference, long seed, Progress progress) throws IOException {
        return run(set, recipes, reference, seed, null, progress);
    }

    /**
     * As above; when {@code crops} is given, the first pair's crop is added to it: clean, real noisy, then each recipe's
     * noisy image, each noisy one followed by its noise amplified 4× around mid-gray.
     */
    public static List<Row> run(EvalSet set, List<String> recipes, Reference reference, long seed, CropStrip crops, Progress progress) throws IOException {
        for (String r : recipes) if (!NoiseFit.isFit(r)) Degradations.parse(r);        // a bad recipe fails before any work
        List<EvalSet.Case> cases = set.cases();
        List<EvalSet.Loaded> loaded = new ArrayList<>();
        for (EvalSet.Case c : cases) loaded.add(c.load());
        Map<String, double[]> sums = new LinkedHashMap<>();                             // recipe -> {akld, ks, n, seconds, megapixels}
        for (String r : recipes) sums.put(r, new double[5]);
        progress.begin("noise statistics", (long) cases.size() * recipes.size());
        for (int i = 0; i < cases.size(); i++) {
            int ref = reference == Reference.SELF ? i : otherOfSameCamera(cases, i);
            Image clean = loaded.get(i).clean(), real = loaded.get(i).noisy();
            float[][] realNoise = NoiseStatistics.noise(real.planes(), clean.planes());
            if (crops != null && i == 0) {
                crops.add("clean", clean);
                crops.add("real noisy", real);
                crops.add("real noise x4", amplified(real, clean));
            }
            for (String recipe : recipes) {
                progress.advance(1);
                if (ref < 0) continue;                                                   // no other image of this camera
                Degradation d = NoiseFit.isFit(recipe) ? NoiseFit.fit(recipe, loaded.get(ref).noisy(), loaded.get(ref).clean()) : Degradations.parse(recipe);
                long start = System.nanoTime();
                Image synthetic = d.applyTo(clean, seed + i);
                double[] s = sums.get(recipe);
                s[3] += (System.nanoTime() - start) / 1e9;
                s[4] += clean.pixels() / 1e6;
                if (crops != null && i == 0) {
                    crops.add(recipe, synthetic);
                    crops.add("x4", amplified(synthetic, clean));
                }
                s[0] += NoiseStatistics.akld(synthetic.planes(), real.planes(), clean.planes(), clean.width(), clean.height());
                s[1] += NoiseStatistics.ks(NoiseStatistics.noise(synthetic.planes(), clean.planes()), realNoise);
                s[2]++;
            }
        }
        List<Row> rows = new ArrayList<>();
        sums.forEach((recipe, s) -> rows.add(new Row(recipe, s[0] / s[2], s[1] / s[2], (int) s[2], s[3] / s[4])));
        return rows;
    }

    /** The noise of {@code noisy} amplified 4× around mid-gray, to be seen. */
    static Image amplified(Image noisy, Image clean) {
        float[][] planes = new float[clean.channels()][];
        for (int c = 0; c < planes.length; c++) {
            float[] a = noisy.plane(Math.min(c, noisy.channels() - 1)), b = clean.plane(c), v = new float[b.length];
            for (int k = 0; k < v.length; k++) v[k] = 0.5f + 4 * (a[k] - b[k]);
            planes[c] = v;
        }
        return clean.withPlanes(planes);
    }

    /** The next pair (cyclically) of the same camera, or −1 when the camera has only this one. */
    static int otherOfSameCamera(List<EvalSet.Case> cases, int i) {
        String camera = camera(cases.get(i).name());
        for (int k = 1; k < cases.size(); k++) {
            int j = (i + k) % cases.size();
            if (camera(cases.get(j).name()).equals(camera)) return j;
        }
        return -1;
    }

    private static String camera(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        int underscore = file.indexOf('_');
        return underscore > 0 ? file.substring(0, underscore) : "";
    }
}
