package dev.lucid.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.Lucid;
import dev.lucid.ModelSpec;
import dev.lucid.bench.Peers;
import dev.lucid.eval.CaptionModes;
import dev.lucid.eval.Chart;
import dev.lucid.eval.CropStrip;
import dev.lucid.eval.EvalSet;
import dev.lucid.eval.Evaluation;
import dev.lucid.image.AtomicFiles;
import dev.lucid.method.Restorer;
import dev.lucid.metrics.FeatureExtractor;
import dev.lucid.metrics.Lpips;
import dev.lucid.model.ModelCard;
import dev.lucid.text.Captions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measure models and peers on noisy images with clean references.",
                "Models and peers (noisy, opencv-nlm, cdncnn-b, ffdnet) run on clean images with seeded synthetic noise",
                "(--data DIR --noise gaussian:25) or on real pairs (--pairs NOISY_DIR [CLEAN_DIR]).",
                "Outputs are rounded to the clean image's bit depth before PSNR/SSIM, as the papers' test code does."})
final class EvalCommand implements Callable<Integer> {

    @Mixin Main.Common common;

    @Option(names = "--model", split = ModelSpec.LIST_SEPARATOR, splitSynopsisLabel = ",", paramLabel = "M", description = "Models or peers, comma-separated or repeated, with optional settings (NAME:key=value,...); default: " + Lucid.DEFAULT_MODEL + ".")
    List<String> models = new ArrayList<>(List.of(Lucid.DEFAULT_MODEL));

    @Option(names = "--data", paramLabel = "DIR", description = "Folder of clean images.")
    Path data;

    @Option(names = "--noise", paramLabel = "RECIPE", description = "Degradation added to --data images, e.g. gaussian:25.")
    String noise;

    @Option(names = "--seed", description = "Degradation seed: the same for every image for noise, plus the image's index for rain and haze (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--pairs", arity = "1..2", paramLabel = "DIR", description = "NOISY_DIR CLEAN_DIR (same names), or one PolyU-style folder (*_real / *_mean).")
    List<Path> pairs;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N images in name order.")
    int limit;

    @Option(names = "--json", paramLabel = "FILE", description = "Write results as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write per-image results as CSV (with --captions, a row per image and caption mode).")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Write a PNG of PSNR per image for every model (and caption mode).")
    Path plot;

    @Option(names = "--crops", paramLabel = "FILE.png", description = "Write a strip of the centre crop of the first image: clean, noisy, each model (2x).")
    Path crops;

    @Option(names = "--crop-size", paramLabel = "PX", description = "Crop side for --crops (default: ${DEFAULT-VALUE}).")
    int cropSize = 128;

    @Option(names = "--captions", paramLabel = "FILE.tsv", description = "Scene captions of the clean images (header file<TAB>caption), for text-guided models.")
    Path captions;

    @Option(names = "--caption-mode", split = ",", paramLabel = "MODE", description = "With --captions: given, none and/or shuffled (another image's caption); "
            + "several modes are compared per image (default: given).")
    List<String> captionModes;

    @Mixin TilingOptions tiling;

    @Option(names = "--lpips-backbone", paramLabel = "FILE", description = "ImageNet AlexNet weights (torchvision state_dict: .pth archive or safetensors) to compute LPIPS.")
    Path lpipsBackbone;

    @Option(names = "--fid-model", paramLabel = "FILE", description = "TorchScript feature network (e.g. an Inception export) to compute FID over the set.")
    Path fidModel;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        common.apply();
        CommandLine cl = spec.commandLine();
        if ((data == null) == (pairs == null)) throw new CommandLine.ParameterException(cl, "give either --data DIR --noise RECIPE or --pairs");
        if (data != null && noise == null) throw new CommandLine.ParameterException(cl, "--data needs --noise (e.g. gaussian:25)");
        EvalSet set = (data != null ? EvalSet.synthetic(data, noise, seed)
                : EvalSet.pairs(pairs.get(0), pairs.size() > 1 ? pairs.get(1) : null)).limit(limit);
        if (captionModes != null && captions == null) throw new CommandLine.ParameterException(cl, "--caption-mode needs --captions FILE.tsv");
        if (captions != null && crops != null) {   // the caption comparison keeps no outputs for a strip
            throw new IllegalArgumentException("--crops cannot be written with --captions; run without --captions for it");
        }
        try (Lpips lpips = lpipsBackbone != null ? Lpips.load(lpipsBackbone) : null;
             FeatureExtractor fid = fidModel != null ? new FeatureExtractor(fidModel) : null) {
            Evaluation.Perceptual perceptual = new Evaluation.Perceptual(lpips, fid);
            return captions != null ? evaluateCaptionModes(set, perceptual, cl) : evaluate(set, perceptual, cl);
        }
    }

    /** Every model on the set, with the per-image files (--csv, --plot, --crops) when asked. */
    private int evaluate(EvalSet set, Evaluation.Perceptual perceptual, CommandLine cl) throws Exception {
        List<Evaluation.Result> results = new ArrayList<>();
        try (ProgressBars bars = ProgressBars.create()) {
            CropStrip strip = null;
            if (crops != null) {
                EvalSet.Loaded first = set.cases().get(0).load();
                strip = new CropStrip(first.clean(), cropSize);
                strip.add("clean", first.clean());
                strip.add("noisy", first.noisy());
            }
            for (String m : models) {
                try (Restorer r = Peers.load(m, tiling.settings(cl))) {
                    results.add(Evaluation.run(m, r, set, perceptual, strip, bars));
                }
            }
            if (strip != null) strip.write(crops);
        }
        printTable(set, results);
        if (json != null) writeJson(set, results);
        writePerImageFiles(set, results.stream().map(r -> new Labelled(r, "")).toList());
        return 0;
    }

    /** --captions: every model under each caption mode, with the paired differences to "none". */
    private int evaluateCaptionModes(EvalSet set, Evaluation.Perceptual perceptual, CommandLine cl) throws Exception {
        List<CaptionModes.Mode> modes = new ArrayList<>();
        for (String m : captionModes == null ? List.of("given") : captionModes) {
            CaptionModes.Mode mode = CaptionModes.Mode.parse(m);
            if (!modes.contains(mode)) modes.add(mode);
        }
        List<String> given = CaptionModes.captionsOf(set, Captions.read(captions));
        List<CaptionModes.Report> reports = new ArrayList<>();
        try (ProgressBars bars = ProgressBars.create()) {
            for (String m : models) {
                try (Restorer r = Peers.load(m, tiling.settings(cl))) {
                    reports.add(CaptionModes.run(m, r, set, given, modes, seed, perceptual, bars));
                }
            }
        }
        System.out.println(set.description() + ", " + set.cases().size() + " images, captions " + captions.getFileName());
        boolean raw = reports.stream().flatMap(r -> r.results().values().stream()).anyMatch(r -> !Double.isNaN(r.meanSrgbPsnr()));
        System.out.printf(Locale.ROOT, "%-20s %-14s %s%n", "model", "captions", metricsHeader(raw));
        for (CaptionModes.Report report : reports) {
            report.results().forEach((mode, r) -> System.out.printf(Locale.ROOT, "%-20s %-14s %s%n", r.model(), mode.label(), metrics(r, raw)));
            for (CaptionModes.Difference d : report.differences()) {
                System.out.printf(Locale.ROOT, "%-20s %-14s %+10.3f dB (95%% CI %+.3f .. %+.3f, paired per image)%n", "", d.a().label() + "-" + d.b().label(),
                        d.mean(), d.low(), d.high());
            }
            if (report.ignoresCaptions()) System.out.println("  (the model has no text conditioning: it ignores captions, every mode is the same run)");
        }
        printPerceptualNotes();
        List<Labelled> labelled = new ArrayList<>();
        for (CaptionModes.Report report : reports) {
            if (report.ignoresCaptions()) {       // every mode is the same run: written once
                labelled.add(new Labelled(report.results().values().iterator().next(), "ignored"));
            } else {
                report.results().forEach((mode, r) -> labelled.add(new Labelled(r, mode.label())));
            }
        }
        writePerImageFiles(set, labelled);
        if (json != null) {
            ObjectNode root = ModelCard.json().createObjectNode();
            root.put("set", set.description()).put("captions", captions.toString());
            ArrayNode all = root.putArray("results");
            reports.forEach(r -> all.add(r.toJson()));
            writeJson(root);
        }
        return 0;
    }

    /** A result and the caption mode it was run under ("" without --captions, "ignored" for a model without text). */
    private record Labelled(Evaluation.Result result, String captions) {
        String label() { return captions.isEmpty() ? result.model() : result.model() + " (" + captions + ")"; }
    }

    /** --csv (a row per image and result) and --plot (a line per result), when asked. */
    private void writePerImageFiles(EvalSet set, List<Labelled> results) throws IOException {
        if (csv != null) {
            StringBuilder sb = new StringBuilder(Evaluation.CSV_HEADER);
            for (Labelled l : results) sb.append(l.result().csvRows(l.captions()));
            AtomicFiles.write(csv, tmp -> Files.writeString(tmp, sb));
        }
        if (plot != null) {
            Chart chart = new Chart("PSNR per image: " + set.description(), "image index (name order)", "PSNR (dB)");
            for (Labelled l : results) {
                Evaluation.Result r = l.result();
                double[] x = new double[r.rows().size()], y = new double[x.length];
                for (int i = 0; i < x.length; i++) { x[i] = i; y[i] = r.rows().get(i).psnr(); }
                chart.add(String.format(Locale.ROOT, "%s %.2f", l.label(), r.meanPsnr()), x, y);
            }
            chart.write(plot);
        }
    }

    private void printTable(EvalSet set, List<Evaluation.Result> results) {
        System.out.println(set.description() + ", " + set.cases().size() + " images");
        boolean raw = results.stream().anyMatch(r -> !Double.isNaN(r.meanSrgbPsnr()));    // raw captures: PSNR in raw and rendered
        System.out.printf(Locale.ROOT, "%-20s %s %10s %8s%n", "model", metricsHeader(raw), "seconds", "MP/s");
        for (Evaluation.Result r : results) {
            System.out.printf(Locale.ROOT, "%-20s %s %10.1f %8.3f%n", r.model(), metrics(r, raw), r.seconds(), r.megapixelsPerSecond());
        }
        printPerceptualNotes();
    }

    /** The quality columns of both tables: PSNR, SSIM, LPIPS, FID and, for raw captures, the rendered image's PSNR. */
    private static String metricsHeader(boolean raw) {
        return String.format(Locale.ROOT, "%10s %8s %8s %8s%s", raw ? "raw PSNR" : "PSNR (dB)", "SSIM", "LPIPS", "FID", raw ? String.format("%10s", "sRGB PSNR") : "");
    }

    private static String metrics(Evaluation.Result r, boolean raw) {
        return String.format(Locale.ROOT, "%10.2f %8.4f %8s %8s%s", r.meanPsnr(), r.meanSsim(),
                Double.isNaN(r.meanLpips()) ? "-" : String.format(Locale.ROOT, "%.4f", r.meanLpips()),
                Double.isNaN(r.fid()) ? "-" : String.format(Locale.ROOT, "%.2f", r.fid()),
                raw ? String.format(Locale.ROOT, "%10.2f", r.meanSrgbPsnr()) : "");
    }

    private void printPerceptualNotes() {
        if (lpipsBackbone == null) System.out.println(Evaluation.LPIPS_NOTE);
        if (fidModel == null) System.out.println(Evaluation.FID_NOTE);
    }

    private void writeJson(EvalSet set, List<Evaluation.Result> results) throws java.io.IOException {
        ObjectNode root;
        if (results.size() == 1) {
            root = results.get(0).toJson();
        } else {
            root = ModelCard.json().createObjectNode();
            root.put("set", set.description());
            ArrayNode all = root.putArray("results");
            results.forEach(r -> all.add(r.toJson()));
        }
        writeJson(root);
    }

    /** --json: the report, written atomically. */
    private void writeJson(ObjectNode root) throws java.io.IOException {
        byte[] bytes = ModelCard.json().writeValueAsBytes(root);
        AtomicFiles.write(json, tmp -> Files.write(tmp, bytes));
    }
}
