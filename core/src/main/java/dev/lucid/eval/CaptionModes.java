package dev.lucid.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.Progress;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.model.ModelCard;
import dev.lucid.text.Captions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Evaluates a model with each image's caption given, with none, and shuffled (every image gets another image's
 * caption: a seeded derangement, Sattolo's cyclic shuffle), and reports the paired per-image differences
 * given − none and shuffled − none with 95 % bootstrap intervals. A model without text conditioning runs once: its
 * modes are the same run, and the report says it ignores captions.
 */
public final class CaptionModes {

    public enum Mode {
        GIVEN, NONE, SHUFFLED;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Mode parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("caption mode must be given, none or shuffled, got \"" + s + "\"", e);
            }
        }
    }

    /** A mean paired difference of PSNR (dB) between two modes with its 95 % bootstrap interval. */
    public record Difference(Mode a, Mode b, double mean, double low, double high) {}

    /** The results per mode (in the order asked), their paired differences, and whether the model used captions. */
    public record Report(Map<Mode, Evaluation.Result> results, List<Difference> differences, boolean ignoresCaptions) {

        public ObjectNode toJson() {
            ObjectNode root = ModelCard.json().createObjectNode();
            Evaluation.Result first = results.values().iterator().next();
            root.put("model", first.model()).put("set", first.set());
            if (ignoresCaptions) root.put("captions_note", "the model has no text conditioning: it ignores captions, so every mode is the same run");
            ObjectNode modes = root.putObject("caption_modes");
            results.forEach((mode, r) -> modes.set(mode.label(), r.toJson()));
            ArrayNode paired = root.putArray("paired_psnr_differences");
            for (Difference d : differences) {
                paired.addObject().put("difference", d.a().label() + " - " + d.b().label()).put("mean_db", Evaluation.round(d.mean(), 4))
                        .put("ci95_low_db", Evaluation.round(d.low(), 4)).put("ci95_high_db", Evaluation.round(d.high(), 4));
            }
            return root;
        }
    }

    public static final int BOOTSTRAP_RESAMPLES = 10_000;

    private CaptionModes() {}

    /** Each case's caption from the table (the clean image's file), in case order; fails on the first missing one. */
    public static List<String> captionsOf(EvalSet set, Captions table) throws IOException {
        List<String> out = new ArrayList<>();
        for (EvalSet.Case c : set.cases()) out.add(table.of(c.cleanFile()));
        return out;
    }

    /** The captions under one mode; shuffled is a seeded derangement, so no image keeps its own caption. */
    public static List<String> forMode(List<String> given, Mode mode, long seed) {
        switch (mode) {
            case GIVEN: return given;
            case NONE: return new ArrayList<>(java.util.Collections.nCopies(given.size(), (String) null));
            default:
                if (given.size() < 2) throw new IllegalArgumentException("shuffled captions need at least two images");
                int[] order = derangement(given.size(), seed);
                List<String> out = new ArrayList<>();
                for (int i : order) out.add(given.get(i));
                return out;
        }
    }

    /** A uniformly random cyclic permutation (Sattolo's algorithm): element i never maps to i. */
    static int[] derangement(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public static Report run(String modelName, Restorer restorer, EvalSet set, List<String> captions, List<Mode> modes, long seed,
                             Evaluation.Perceptual perceptual, Progress progress) throws IOException {
        boolean usesText = restorer.accepts().contains(Guidance.Kind.TEXT);
        Map<Mode, Evaluation.Result> results = new EnumMap<>(Mode.class);
        Evaluation.Result once = usesText ? null : Evaluation.run(modelName, restorer, set, null, perceptual, null, progress);
        for (Mode mode : modes) {
            results.put(mode, usesText ? Evaluation.run(modelName, restorer, set, forMode(captions, mode, seed), perceptual, null, progress) : once);
        }
        List<Difference> differences = new ArrayList<>();
        if (results.containsKey(Mode.NONE)) {
            for (Mode m : List.of(Mode.GIVEN, Mode.SHUFFLED)) {
                if (results.containsKey(m)) differences.add(paired(m, Mode.NONE, results.get(m), results.get(Mode.NONE), seed));
            }
        }
        return new Report(results, differences, !usesText);
    }

    /** Mean of the per-image PSNR differences a − b and the 2.5/97.5 percentiles of its bootstrap distribution. */
    static Difference paired(Mode a, Mode b, Evaluation.Result ra, Evaluation.Result rb, long seed) {
        int n = ra.rows().size();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = ra.rows().get(i).psnr() - rb.rows().get(i).psnr();
        double mean = Arrays.stream(d).average().orElse(Double.NaN);
        double[] means = new double[BOOTSTRAP_RESAMPLES];
        SplittableRandom rng = new SplittableRandom(seed ^ 0xB0075L);
        for (int r = 0; r < means.length; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += d[rng.nextInt(n)];
            means[r] = sum / n;
        }
        Arrays.sort(means);
        return new Difference(a, b, mean, means[(int) Math.floor(0.025 * (means.length - 1))], means[(int) Math.ceil(0.975 * (means.length - 1))]);
    }
}
