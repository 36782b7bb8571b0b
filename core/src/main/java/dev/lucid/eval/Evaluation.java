package dev.lucid.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.Progress;
import dev.lucid.degrade.CameraPipeline;
import dev.lucid.degrade.NoiseLevel;
import dev.lucid.image.Image;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.metrics.FeatureExtractor;
import dev.lucid.metrics.FrechetDistance;
import dev.lucid.metrics.Lpips;
import dev.lucid.metrics.Psnr;
import dev.lucid.metrics.Ssim;
import dev.lucid.model.ModelCard;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one restorer over an {@link EvalSet}: per image PSNR and SSIM (scikit-image conventions, data range
 * of the clean image's bit depth) of the output rounded to that bit depth, as the released test code of the
 * seed papers does, plus the seconds the restorer took. On raw captures (packed raw clean and noisy images) PSNR
 * and SSIM are in raw (linear, [0, 1] between black and white level), and the sRGB PSNR of both images rendered by
 * the camera's ISP is added; an sRGB model's output (it restores the rendered noisy image) is taken back to raw by the
 * inverse ISP, so raw and sRGB routes compare on the same footing.
 */
public final class Evaluation {

    /**
     * One image's scores; lpips is NaN when not computed. sigma is the noise level (8-bit units) given to
     * non-blind methods: the known σ of synthetic noise, or the estimate they use on real noise.
     */
    public record Row(String name, double psnr, double ssim, double lpips, double sigma, boolean sigmaKnown, double seconds, double megapixels,
                      double srgbPsnr) {}

    /**
     * Optional perceptual metrics, each needing weights the user supplies (none are available offline):
     * LPIPS (AlexNet backbone) per image, FID (a TorchScript feature network) over the set.
     */
    public record Perceptual(Lpips lpips, FeatureExtractor fidFeatures) {
        public static Perceptual none() { return new Perceptual(null, null); }
    }

    /** All rows for one model on one set; fid is NaN when not computed. */
    public record Result(String model, String description, String set, List<Row> rows, double fid) {
        public double meanLpips() { return rows.stream().mapToDouble(Row::lpips).average().orElse(Double.NaN); }
        public double meanPsnr() { return rows.stream().mapToDouble(Row::psnr).average().orElse(Double.NaN); }
        public double meanSsim() { return rows.stream().mapToDouble(Row::ssim).average().orElse(Double.NaN); }
        /** The mean sRGB PSNR of rendered raw outputs; NaN for sRGB sets. */
        public double meanSrgbPsnr() { return rows.stream().mapToDouble(Row::srgbPsnr).average().orElse(Double.NaN); }
        public double seconds() { return rows.stream().mapToDouble(Row::seconds).sum(); }
        public double megapixelsPerSecond() {
            return rows.stream().mapToDouble(Row::megapixels).sum() / Math.max(1e-9, seconds());
        }

        public ObjectNode toJson() {
            ObjectNode root = ModelCard.json().createObjectNode();
            root.put("model", model).put("description", description).put("set", set);
            putNumber(root, "mean_psnr", meanPsnr(), 4);
            root.put("mean_ssim", round(meanSsim(), 5))
                    .put("seconds", round(seconds(), 3)).put("megapixels_per_second", round(megapixelsPerSecond(), 4));
            putNumber(root, "mean_lpips", meanLpips(), 5);
            if (!Double.isNaN(meanSrgbPsnr())) putNumber(root.put("psnr_domain", "raw"), "mean_psnr_srgb", meanSrgbPsnr(), 4);
            putNumber(root, "fid", fid, 4);
            if (Double.isNaN(meanLpips())) root.put("lpips_note", LPIPS_NOTE);
            if (Double.isNaN(fid)) root.put("fid_note", FID_NOTE);
            ArrayNode images = root.putArray("images");
            for (Row r : rows) {
                ObjectNode image = images.addObject().put("name", r.name());
                putNumber(image, "psnr", r.psnr(), 4);
                image.put("ssim", round(r.ssim(), 5));
                putNumber(image, "lpips", r.lpips(), 5);
                if (!Double.isNaN(r.srgbPsnr())) putNumber(image, "psnr_srgb", r.srgbPsnr(), 4);
                image.put("sigma", round(r.sigma(), 3)).put("sigma_source", r.sigmaKnown() ? "given" : "estimated");
                image.put("seconds", round(r.seconds(), 3));
            }
            return root;
        }

        /**
         * One CSV line per image (no header: {@link #CSV_HEADER}); {@code captions} names the caption mode, or is empty.
         * Commas in the model (its settings: NAME:a=1,b=2) and the set's description become semicolons.
         */
        public String csvRows(String captions) {
            StringBuilder sb = new StringBuilder();
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%.4f,%.5f,%s,%.3f%n", model.replace(',', ';'), captions, set.replace(',', ';'), r.name(), r.psnr(),
                        r.ssim(), Double.isNaN(r.lpips()) ? "" : String.format(Locale.ROOT, "%.5f", r.lpips()), r.seconds()));
            }
            return sb.toString();
        }
    }

    public static final String CSV_HEADER = "model,captions,set,name,psnr,ssim,lpips,seconds\n";

    public static final String LPIPS_NOTE = "LPIPS not computed: it needs ImageNet AlexNet weights, which are not available offline (give --lpips-backbone FILE)";
    public static final String FID_NOTE = "FID not computed: it needs an Inception feature network, not available offline (give --fid-model FILE.torchscript)";

    private Evaluation() {}

    public static Result run(String modelName, Restorer restorer, EvalSet set, Progress progress) throws IOException {
        return run(modelName, restorer, set, Perceptual.none(), progress);
    }

    public static Result run(String modelName, Restorer restorer, EvalSet set, Perceptual perceptual, Progress progress) throws IOException {
        return run(modelName, restorer, set, perceptual, null, progress);
    }

    /** As above; when {@code crops} is given, the first image's output is added to it. */
    public static Result run(String modelName, Restorer restorer, EvalSet set, Perceptual perceptual, CropStrip crops, Progress progress)
            throws IOException {
        return run(modelName, restorer, set, null, perceptual, crops, progress);
    }

    /**
     * As above, each image restored with the caption {@code captions} holds at its index (null: none), for models
     * that take text; see {@link CaptionModes}.
     */
    public static Result run(String modelName, Restorer restorer, EvalSet set, List<String> captions, Perceptual perceptual, CropStrip crops,
                             Progress progress) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<double[]> realFeatures = new ArrayList<>(), outputFeatures = new ArrayList<>();
        progress.begin(modelName + " on " + set.description(), set.cases().size());
        for (int index = 0; index < set.cases().size(); index++) {
            EvalSet.Case c = set.cases().get(index);
            EvalSet.Loaded images = c.load();
            Image clean = images.clean(), noisy = images.noisy();
            if (clean.width() != noisy.width() || clean.height() != noisy.height()) {
                throw new IOException(c.name() + ": noisy " + noisy.width() + "x" + noisy.height() + " and clean " + clean.width() + "x" + clean.height() + " differ in size");
            }
            boolean known = c.sigma() != null;
            double sigma = known ? c.sigma() : NoiseLevel.estimate(noisy);   // what σ-taking peers will use
            // peers are measured as published: non-blind ones (FFDNet, NLM) get the known σ; Lucid's models run as a
            // user runs them, and a non-blind run is a model setting (e.g. noise_level=25)
            Guidance guidance = restorer.card().isPeer() ? Guidance.none().withSigma(c.sigma()).keepOnly(restorer.accepts()) : Guidance.none();
            if (captions != null) guidance = guidance.withText(captions.get(index));
            long start = System.nanoTime();
            Image out = restorer.restore(noisy, guidance, Progress.NONE);
            double seconds = (System.nanoTime() - start) / 1e9;
            double srgbPsnr = Double.NaN;
            Image reference = clean;
            if (clean.raw() != null) {                  // a raw capture: scores in raw, plus the rendered images' PSNR
                boolean rawOut = out.raw() != null && out.channels() == 4;
                Image srgb = rawOut ? CameraPipeline.render(out) : out;
                srgbPsnr = Psnr.of(quantise(CameraPipeline.render(clean), 16), quantise(srgb, 16), 1.0);
                if (!rawOut) out = CameraPipeline.unrender(srgb, clean.raw());
                reference = clean.withPlanes(quantise(clean, 16));
            }
            float[][] a = reference.planes(), b = quantise(out, clean.bitDepth());
            double psnr = Psnr.of(a, b, 1.0);
            double ssim = Ssim.of(a, b, clean.width(), clean.height(), 1.0, Ssim.Window.UNIFORM7);
            Image rounded = clean.withPlanes(b);
            if (crops != null && rows.isEmpty()) crops.add(modelName, rounded);
            double lpips = perceptual.lpips() != null ? perceptual.lpips().distance(clean, rounded) : Double.NaN;
            if (perceptual.fidFeatures() != null) {
                realFeatures.add(perceptual.fidFeatures().features(clean));
                outputFeatures.add(perceptual.fidFeatures().features(rounded));
            }
            rows.add(new Row(c.name(), psnr, ssim, lpips, sigma, known, seconds, clean.pixels() / 1e6, srgbPsnr));
            progress.advance(1);
        }
        double fid = realFeatures.size() > 1
                ? FrechetDistance.of(realFeatures.toArray(new double[0][]), outputFeatures.toArray(new double[0][])) : Double.NaN;
        return new Result(modelName, restorer.card().description(), set.description(), rows, fid);
    }

    /** Rounds and clips to the bit depth, as writing the output to a file would. */
    static float[][] quantise(Image img, int depth) {
        float max = depth == 16 ? 65535f : 255f;
        float[][] p = new float[img.channels()][];
        for (int c = 0; c < p.length; c++) {
            float[] src = img.plane(c), dst = new float[src.length];
            for (int i = 0; i < src.length; i++) dst[i] = Math.round(Math.min(1f, Math.max(0f, src[i])) * max) / max;
            p[c] = dst;
        }
        return p;
    }

    /** JSON has no infinity: identical images (PSNR = ∞) are written as null. */
    static void putNumber(ObjectNode node, String field, double v, int digits) {
        if (Double.isFinite(v)) node.put(field, round(v, digits));
        else node.putNull(field);
    }

    static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }
}
