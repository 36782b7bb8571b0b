package dev.lucid;

import dev.lucid.image.Tiler;
import dev.lucid.method.Restorer;
import dev.lucid.model.AdapterFiles;
import dev.lucid.model.ModelFiles;
import dev.lucid.model.NetworkRestorer;
import java.io.IOException;
import java.util.List;

/**
 * The library entry point: {@code try (Restorer r = Lucid.load("lucid-real")) { r.restore(image); }}.
 * No global state: every call returns an independent restorer, which any number of threads may share.
 */
public final class Lucid {

    /** The model used when none is named. */
    public static final String DEFAULT_MODEL = "lucid-real";

    private Lucid() {}

    /** Loads a shipped model by name, or a model directory by path, with default tiling. */
    public static Restorer load(String spec) throws IOException {
        return load(spec, Tiler.Settings.defaults());
    }

    /**
     * Loads a {@link ModelSpec}, {@code NAME[:key=value,...]}: a shipped model or model directory, with the given
     * method settings overriding its card's (see {@link dev.lucid.model.ModelCard#withMethodSettings}); the setting
     * {@code adapter=NAME|DIR} folds in an adapter made by {@code lucid adapt}, {@code camera=NAME} one of the model's camera
     * adapters ({@code cameras/NAME/} beside its weights), and {@code pd_stride=S} runs the model on
     * pixel-shuffled sub-images; {@code ensemble=N} (1, 2, 4, 8) averages the restorations of N flipped and turned
     * copies of each image (N times the time; see {@link dev.lucid.image.Dihedral}); {@code experts=off} leaves a
     * model's task experts out.
     */
    public static Restorer load(String spec, Tiler.Settings tiling) throws IOException {
        ModelSpec parsed = ModelSpec.parse(spec);
        ModelFiles.Source source = ModelFiles.open(parsed.model());
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>(parsed.settings());
        String adapter = settings.remove(ADAPTER), stride = settings.remove(PD_STRIDE), camera = settings.remove(CAMERA);
        String ensemble = settings.remove(ENSEMBLE), experts = settings.remove(EXPERTS);
        if (experts != null && !experts.equals("on") && !experts.equals("off")) throw new IOException("experts must be on or off, got \"" + experts + "\"");
        if (adapter != null && camera != null) throw new IOException("give an adapter or a camera, not both (each is an adapter of the model)");
        if (!settings.isEmpty()) {
            try {
                source = new ModelFiles.Source(source.location(), source.card().withMethodSettings(settings), source.weights());
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        AdapterFiles.Source adapterSource = adapter != null ? AdapterFiles.open(adapter) : camera != null ? ModelFiles.camera(source, camera) : null;
        int pdStride = pdStride(stride, source.card(), adapterSource);
        int ensembleSize;
        try {
            ensembleSize = ensemble == null ? 1 : NetworkRestorer.parseEnsemble(ensemble);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        // task experts change the same weights as an adapter or camera: with one of those, the shared weights serve every task
        java.util.Map<String, AdapterFiles.Source> taskExperts = "off".equals(experts) || adapterSource != null ? java.util.Map.of() : ModelFiles.experts(source);
        return new NetworkRestorer(source, adapterSource, taskExperts, pdStride, ensembleSize, tiling);
    }

    /** pd_stride as given, else the adapter's, else the card's default, else 1 ({@link NetworkRestorer#parsePdStride}). */
    private static int pdStride(String given, dev.lucid.model.ModelCard card, AdapterFiles.Source adapter) throws IOException {
        if (given == null && adapter != null) return adapter.pdStride();
        try {
            return NetworkRestorer.parsePdStride(given != null ? given : card.tree().path(PD_STRIDE).asText("1"));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The model setting that runs it on pixel-shuffled sub-images ({@link dev.lucid.image.PixelShuffle}), for noise
     * correlated between neighbouring pixels: {@code lucid-real:pd_stride=2}, or {@code auto} to let each image's noise
     * decide; an adapter brings the stride it was made for, and a model card may set its default ("pd_stride": "auto").
     */
    public static final String PD_STRIDE = "pd_stride";

    /** The model setting that averages a model's restorations of flipped and turned copies: {@code lucid-real:ensemble=8}. */
    public static final String ENSEMBLE = "ensemble";

    /** The model setting that names an adapter of {@code lucid adapt}: {@code lucid-real:adapter=my-camera}. */
    public static final String ADAPTER = "adapter";

    /** The model setting that picks one of a model's own camera adapters (Tell-Me's per-camera LoRA): {@code tellme-raw:camera=phone}. */
    public static final String CAMERA = "camera";

    /**
     * The model setting that turns a model's task experts ({@link ModelFiles#experts}) off, so that its shared weights
     * restore every task: {@code etdiffir:experts=off} (default on).
     */
    public static final String EXPERTS = "experts";

    public static List<String> shippedModels() { return ModelFiles.shipped(); }

    public static String version() {
        String v = Lucid.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
