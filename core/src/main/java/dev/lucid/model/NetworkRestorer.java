package dev.lucid.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.lucid.Progress;
import dev.lucid.image.Dihedral;
import dev.lucid.image.Image;
import dev.lucid.image.PixelShuffle;
import dev.lucid.image.Tiler;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.method.Methods;
import dev.lucid.method.Restorer;
import dev.lucid.method.SharedParts;
import dev.lucid.nn.Parameters;
import java.io.IOException;
import java.util.Set;

/**
 * Restores with a trained {@link Method} (a single-pass network, or a sampler around one) run over overlapping
 * tiles of the image; see {@link Tiler#restore} for gray images and alpha. The weights are read-only after
 * loading and every restore works in its own sub-managers, so one restorer serves any number of threads at once.
 */
public final class NetworkRestorer implements Restorer {

    private final ModelCard card;
    private final NDManager manager;
    private final SharedParts shared;                       // the text encoder of the model and its experts
    private final Method method;
    private final java.util.Map<String, Method> experts;    // task experts' methods by task: the base weights with the expert folded in
    private final Tiler.Settings tiling;
    private final int pdStride;
    private final int ensemble;
    /** Beyond 4 the sub-images lose too much of the scene to be denoised well. */
    public static final int MAX_PD_STRIDE = 4;
    /** pd_stride=auto: each image's own noise decides ({@link dev.lucid.degrade.NoiseLevel.Correlation#shuffleStride}). */
    public static final int AUTO_PD_STRIDE = 0;

    /** A pd_stride setting: "auto" ({@link #AUTO_PD_STRIDE}) or a whole number from 1 to {@link #MAX_PD_STRIDE}. */
    public static int parsePdStride(String value) {
        if (value.equals("auto")) return AUTO_PD_STRIDE;
        try {
            int stride = Integer.parseInt(value);
            if (stride >= 1 && stride <= MAX_PD_STRIDE) return stride;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("pd_stride must be auto or between 1 and " + MAX_PD_STRIDE + ", got \"" + value + "\"");
    }

    /** The self-ensemble sizes a model may be run with ({@link Dihedral}: the first 1, 2, 4 or all 8 symmetries). */
    public static final java.util.List<Integer> ENSEMBLE_SIZES = java.util.List.of(1, 2, 4, 8);

    /** An ensemble setting: 1, 2, 4 or 8 ({@link #ENSEMBLE_SIZES}). */
    public static int parseEnsemble(String value) {
        try {
            int size = Integer.parseInt(value);
            if (ENSEMBLE_SIZES.contains(size)) return size;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("ensemble must be 1, 2, 4 or 8, got \"" + value + "\"");
    }

    public NetworkRestorer(ModelFiles.Source source, Tiler.Settings tiling) throws IOException {
        this(source, null, java.util.Map.of(), 1, 1, tiling);
    }

    /**
     * A model with a {@link dev.lucid.nn.Lora} adapter of {@code lucid adapt} (or null) folded into its weights, so it
     * restores as fast as the base model, run on the s² pixel-shuffled sub-images of each image when {@code pdStride}
     * s &gt; 1 ({@link PixelShuffle}: for noise correlated between neighbouring pixels), and averaged over
     * {@code ensemble} flipped and turned copies of each image ({@link Dihedral}; 1: none). {@code experts} are task
     * experts by task ({@link ModelFiles#experts}): each is folded into a copy of the weights of its own, which restores
     * the images whose task (given or read) is its task.
     */
    public NetworkRestorer(ModelFiles.Source source, AdapterFiles.Source adapter, java.util.Map<String, AdapterFiles.Source> experts,
                           int pdStride, int ensemble, Tiler.Settings tiling) throws IOException {
        if (pdStride != AUTO_PD_STRIDE && (pdStride < 1 || pdStride > MAX_PD_STRIDE)) {
            throw new IOException("pd_stride must be auto or between 1 and " + MAX_PD_STRIDE + ", got " + pdStride);
        }
        if (!ENSEMBLE_SIZES.contains(ensemble)) throw new IOException("ensemble must be 1, 2, 4 or 8, got " + ensemble);
        if (adapter != null && !experts.isEmpty()) throw new IOException("an adapter and task experts cannot be combined: each is a change of the same weights");
        this.pdStride = pdStride;
        this.ensemble = ensemble;
        this.card = source.card();
        this.tiling = tiling;
        this.manager = NDManager.newBaseManager();
        this.shared = new SharedParts();
        try (NDManager scratch = manager.newSubManager()) {
            NDList weights = source.decodeWeights(scratch);     // decoded once for the model and each of its experts
            this.method = build(source, weights, adapter);
            java.util.Map<String, Method> byTask = new java.util.LinkedHashMap<>();
            for (java.util.Map.Entry<String, AdapterFiles.Source> e : experts.entrySet()) byTask.put(e.getKey(), build(source, weights, e.getValue()));
            this.experts = java.util.Map.copyOf(byTask);
            if (ensemble > 1 && method.shape().channels() == 4) {
                // a packed raw pixel is a 2×2 colour-filter block: turning the packed image would reorder its colours
                throw new IOException("ensemble works on sRGB and gray models; " + card.name() + " restores packed raw, whose colour filter pattern a flip would change");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw new IOException("cannot load model " + source.location() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model's method on its decoded {@code weights}, with {@code adapter} (or null) folded in; its text encoder, if
     * any, is the one every method of this restorer shares. Failures name the file they are about.
     */
    private Method build(ModelFiles.Source source, NDList weights, AdapterFiles.Source adapter) throws IOException {
        String part = ModelFiles.CARD;
        try {
            Parameters parameters = new Parameters(manager, 0);
            Method built = Methods.build(parameters, card.tree(), shared);
            part = ModelFiles.WEIGHTS;
            parameters.load(weights);
            if (adapter == null) return built;
            part = adapter.location().resolve(AdapterFiles.WEIGHTS).toString();
            if (!adapter.base().equals(card.name())) {
                throw new IOException("the adapter " + adapter.location() + " was made for the model " + adapter.base() + ", not " + card.name());
            }
            String made = adapter.card().path("base_weights").asText(null);
            if (made != null && !made.equals(source.weightsDigest())) {
                throw new IOException("the adapter " + adapter.location() + " was made for another version of " + card.name() + " (its weights differ): adapt again");
            }
            dev.lucid.nn.Lora.attach(parameters, adapter.rank(), adapter.alpha(), built.adaptable());
            try (NDManager scratch = manager.newSubManager()) {
                dev.lucid.nn.Lora.load(parameters, adapter.decodeWeights(scratch));
            }
            dev.lucid.nn.Lora.merge(parameters);
            return built;
        } catch (RuntimeException e) {
            throw new IOException(part + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelCard card() { return card; }

    @Override
    public Set<Guidance.Kind> accepts() { return method.accepts(); }

    @Override
    public Image restore(Image given, Guidance guidance, Progress progress) {
        guidance.requireAccepted(accepts(), card.name());
        Image input = forThisModel(given);
        // the stride is the image's, read once: every turned copy is restored at the stride --verbose reports
        int stride = pdStride(input);
        if (ensemble == 1) return restoreOnce(input, stride, guidance, progress);
        float[][] sum = null;
        Image restored = null;
        for (int k = 0; k < ensemble; k++) {
            Image turned = Dihedral.apply(input, k);
            restored = Dihedral.invert(restoreOnce(turned, stride, guidance, progress.part("copy", k, ensemble)), k);
            if (sum == null) sum = new float[restored.channels()][(int) restored.pixels()];
            for (int c = 0; c < sum.length; c++) {
                float[] plane = restored.plane(c);
                for (int i = 0; i < plane.length; i++) sum[c][i] += plane[i];
            }
        }
        for (float[] plane : sum) for (int i = 0; i < plane.length; i++) plane[i] /= ensemble;
        return restored.withPlanes(sum);
    }

    /** One restoration of the image as it stands: the method over tiles, on its pixel-shuffled sub-images when the stride is above 1. */
    private Image restoreOnce(Image input, int stride, Guidance guidance, Progress progress) {
        Guidance settled = method.settle(manager, input, guidance);
        Method restorer = settled.task() == null ? method : experts.getOrDefault(settled.task().toLowerCase(java.util.Locale.ROOT), method);
        dev.lucid.image.TileModel model = restorer.tileModel(manager, settled);
        if (stride == 1 || input.width() < stride || input.height() < stride) return Tiler.restore(input, model, tiling, progress);
        java.util.List<Image> subImages = PixelShuffle.split(input, stride), parts = new java.util.ArrayList<>();
        for (int i = 0; i < subImages.size(); i++) {
            parts.add(Tiler.restore(subImages.get(i), model, tiling, progress.part("sub-image", i, subImages.size())));
        }
        return PixelShuffle.mergeRestored(parts, stride, input);
    }

    /**
     * A raw image (packed, from a DNG) for an sRGB model is first rendered by its camera's ISP, the route of every sRGB
     * denoiser; a raw model refuses anything but raw.
     */
    private Image forThisModel(Image input) {
        boolean raw = input.raw() != null && input.channels() == 4;
        if (method.shape().channels() == 4 && !raw) {
            throw new IllegalArgumentException("model " + card.name() + " denoises raw camera data: give a DNG (or a CFA TIFF), not a "
                    + input.channels() + "-channel " + input.encoding().name().toLowerCase(java.util.Locale.ROOT) + " image");
        }
        return raw && method.shape().channels() != 4 ? dev.lucid.degrade.CameraPipeline.render(input) : input;
    }

    @Override
    public int pdStride(Image input) {
        return pdStride == AUTO_PD_STRIDE ? dev.lucid.degrade.NoiseLevel.correlation(input).shuffleStride() : pdStride;
    }

    @Override
    public java.util.Optional<String> promptWarning(String prompt) { return method.promptWarning(prompt); }

    @Override
    public java.util.Optional<dev.lucid.method.TaskReading> readTask(Image input) { return method.readTask(manager, input); }

    @Override
    public java.util.Optional<Image> noiseMap(Image input, Progress progress) {
        dev.lucid.image.TileModel model = method.noiseMapModel(manager);
        return model == null ? java.util.Optional.empty() : java.util.Optional.of(Tiler.restore(input, model, tiling, progress));
    }

    @Override
    public void close() {
        manager.close();
        shared.close();
    }
}
