package dev.lucid.method.etdiffir;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.degrade.Degradation;
import dev.lucid.diffusion.GaussianNoiseSource;
import dev.lucid.diffusion.IrSde;
import dev.lucid.image.Image;
import dev.lucid.image.TileModel;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.method.MethodProvider;
import dev.lucid.method.SharedParts;
import dev.lucid.method.StepContext;
import dev.lucid.method.TaskReading;
import dev.lucid.method.TrainingBatch;
import dev.lucid.nn.ConditionalUNet;
import dev.lucid.nn.ErUNet;
import dev.lucid.nn.clip.DaClipEmbedding;
import dev.lucid.nn.NetworkShape;
import dev.lucid.nn.Parameters;
import dev.lucid.text.CaptionBatch;
import dev.lucid.text.TextEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ETDiffIR (Yu et al., "Universal Image Restoration with Text Prompt Diffusion", Sensors 2024): method "etdiffir".
 * IR-SDE's mean-reverting diffusion from the clean image to the degraded one μ; {@link ErUNet} predicts the noise of
 * x_t from [x_t, μ], the step, and the text–image fusion block's prompt (caption embedding + the degradation
 * reading of our {@link DegradationEncoder}). Training: IR-SDE's maximum-likelihood objective (the predicted
 * reverse mean against the optimal reverse state x*_{t−1}) for the restorer, cross-entropy on the task for the
 * degradation encoder, each with its own optimiser; with teacher forcing the restorer is given the true task.
 * {@code prediction: clean} makes the network predict x₀ instead of the noise, as μ + skip_t·(x_t − μ) + scale_t·its
 * output ({@link IrSde#cleanSkip}, {@link IrSde#cleanScale}: the best linear guess and the size of its error, so the
 * network learns only a correction, and one that matters only where x_t says little): the reverse mean is
 * then the posterior mean given x̂₀, whose distance to x*_{t−1} is B_t |x̂₀ − x₀|; divided by B_t so that every step
 * counts alike, the objective is L1 on x̂₀. It is for small budgets: after 2 800 iterations the noise-predicting
 * network had learned no denoising of x_t at all (its x̂₀ at t = 20 no better than x_t itself), because the noise is
 * a high-gain target at small t and the maximum-likelihood weight favours large t, where it is trivial; and a network
 * predicting x₀ − μ alone still ignored x_t after 1 600 iterations (x̂₀ as good at t = 1, where x_t is within 49 dB
 * of x₀, as at T), having first to learn from t when x_t is worth reading; with the skip alone it spoilt x_t at
 * t = 1 (25.7 dB) with the correction it had learnt for large t.
 * Restoring: a few posterior jumps (default {@code sample_steps}), or the seed's T-step Euler–Maruyama sampler when
 * T steps are asked for. The task is given (one-hot) or, with {@code auto}, read from the image by the encoder;
 * a model trained with the task {@code none} (recipe {@code none}: clean images) recognises an image with nothing
 * to restore, and returns it unchanged. {@code auto_tasks} (default: every task) are the tasks {@code auto} applies on
 * its own reading, joined by {@code +}; another task read is reported and the image returned unchanged: the shipped
 * model leaves haze to {@code --task dehaze}, since it reads some clear, pale scenes as hazy and dehazing darkens them.
 * <p>Training draws t uniformly over 1..T, as the seed does for its T-step sampler; a restore of {@code sample_steps}
 * posterior jumps evaluates the network at those jumps' starts only (one step: t = T alone, 1 % of uniform draws).
 * {@code sampling_share} (default 0, the seed's training) draws that share of each batch at those starts instead, so
 * the few evaluations a restore makes are the ones trained most; the rest keeps the whole chain trained.
 * {@code caption_noise} (default 0) adds Gaussian noise of that standard deviation to each training caption's embedding
 * (StackGAN's conditioning augmentation, Zhang et al. 2017, in its fixed-variance form): with a few hundred captions
 * the text pathway otherwise learns each one as the name of its photo, and a caption it has not seen moves the
 * restoration; nearby captions made indistinguishable, only what they share can be learnt. Training only.
 * <pre>
 * method: {type: etdiffir, lambda: 50, steps: 100, eps: 0.01, sample_steps: 10, tasks: [denoise, derain, dehaze],
 *          task: auto, auto_tasks: denoise+derain+dehaze, text_encoder: sentence, prediction: noise, sampling_share: 0,
 *          caption_noise: 0, degradation_embedding: own}     # or prediction: clean
 *                                  # or text_encoder: "clip:PATH/weights.safetensors", degradation_embedding: "daclip:PATH"
 * </pre>
 * {@code degradation_embedding: daclip:PATH} puts DA-CLIP's degradation embedding of each crop ({@link DaClipEmbedding},
 * the user's DA-CLIP weights, as the paper's TIFB reads it) in the prompt in place of our encoder's features; our encoder
 * still reads the task. A model trained so needs those weights at the same path to restore.
 */
public final class EtDiffIrMethod implements Method {

    public static final class Provider implements MethodProvider {
        @Override public String type() { return "etdiffir"; }

        @Override
        public Method build(Parameters p, JsonNode root, SharedParts shared) {
            JsonNode method = root.path("method"), architecture = architecture(root, "erunet");
            List<String> tasks = new ArrayList<>();
            for (JsonNode t : method.path("tasks")) tasks.add(t.asText().toLowerCase(Locale.ROOT));
            if (tasks.isEmpty()) tasks = List.of("denoise", "derain", "dehaze");
            if (tasks.contains(Guidance.AUTO)) throw new IllegalArgumentException("\"auto\" cannot be a task name in method.tasks");
            int steps = method.path("steps").asInt(100), sampleSteps = method.path("sample_steps").asInt(10);
            if (sampleSteps < 1 || sampleSteps > steps) throw new IllegalArgumentException("sample_steps must be in [1, " + steps + "], got " + sampleSteps);
            IrSde sde = new IrSde(method.path("lambda").asDouble(50) / 255.0, steps, method.path("eps").asDouble(0.01));
            String task = method.path("task").asText(Guidance.AUTO).toLowerCase(Locale.ROOT);
            if (!task.equals(Guidance.AUTO) && !tasks.contains(task)) {
                throw new IllegalArgumentException("task must be auto or one of " + tasks + ", got \"" + task + "\"");
            }
            String prediction = method.path("prediction").asText("noise");
            if (!prediction.equals("noise") && !prediction.equals("clean")) {
                throw new IllegalArgumentException("prediction must be noise or clean, got \"" + prediction + "\"");
            }
            Set<String> automatic = new LinkedHashSet<>(tasks);
            if (method.has("auto_tasks")) {
                automatic.clear();
                for (String t : method.path("auto_tasks").asText().toLowerCase(Locale.ROOT).split("\\+")) {
                    if (!tasks.contains(t.strip())) throw new IllegalArgumentException("auto_tasks must be tasks of " + tasks + " joined by +, got \"" + method.path("auto_tasks").asText() + "\"");
                    automatic.add(t.strip());
                }
            }
            double samplingShare = method.path("sampling_share").asDouble(0);
            if (!(samplingShare >= 0 && samplingShare <= 1)) throw new IllegalArgumentException("sampling_share must be in [0, 1], got " + samplingShare);
            double captionNoise = method.path("caption_noise").asDouble(0);
            if (!(captionNoise >= 0)) throw new IllegalArgumentException("caption_noise must be at least 0, got " + captionNoise);
            String embedding = method.path("degradation_embedding").asText("own");
            String reader = method.path("task_reader").asText("shared");
            if (!reader.equals("shared") && !reader.equals("own")) throw new IllegalArgumentException("task_reader must be shared or own, got \"" + reader + "\"");
            return new EtDiffIrMethod(p, ErUNet.Config.from(architecture), sde, sampleSteps, samplingShare, captionNoise, tasks, automatic,
                    task.equals(Guidance.AUTO) ? null : task, shared.textEncoder(method.path("text_encoder").asText("sentence")), prediction.equals("clean"),
                    embedding.equals("own") ? null : shared.degradationEmbedding(embedding), reader.equals("own"));
        }
    }

    private static final String CONTROLLER = "degradation";

    private final ErUNet network;
    private final DegradationEncoder controller;
    private final TextImageFusion fusion;
    private final TextEncoder text;
    private final IrSde sde;
    private final int sampleSteps;
    private final double samplingShare;                     // of each batch, drawn at the restore's jump starts
    private final double captionNoise;                      // σ added to training captions' embeddings
    private final List<String> tasks;
    private final Set<String> automatic;                    // the tasks --task auto applies on its own reading
    private final String task;                              // the model's task when none is given; null: auto
    private final boolean predictsClean;                    // the network's output is x̂₀ − μ rather than the noise
    private final DaClipEmbedding daclip;                   // the prompt's degradation embedding; null: our encoder's features

    private EtDiffIrMethod(Parameters p, ErUNet.Config config, IrSde sde, int sampleSteps, double samplingShare, double captionNoise, List<String> tasks, Set<String> automatic, String task,
                           TextEncoder text, boolean predictsClean, DaClipEmbedding daclip, boolean ownReader) {
        this.task = task;
        this.daclip = daclip;
        this.predictsClean = predictsClean;
        this.text = text;
        this.sde = sde;
        this.sampleSteps = sampleSteps;
        this.samplingShare = samplingShare;
        this.captionNoise = captionNoise;
        this.tasks = List.copyOf(tasks);
        this.automatic = Set.copyOf(automatic);
        this.controller = new DegradationEncoder(p, CONTROLLER, config.channels(), tasks.size(), ownReader);
        this.fusion = new TextImageFusion(p, "tifb", text.dimension(), daclip == null ? DegradationEncoder.FEATURES : daclip.dimension(), tasks.size(), config.contextDim());
        this.network = new ErUNet(p, config.withPromptDim(fusion.promptDim()));
    }

    @Override
    public List<OptimiserGroup> optimisers() {
        return List.of(new OptimiserGroup(OptimiserGroup.MAIN, name -> !name.startsWith(CONTROLLER + "."), 1.0),
                new OptimiserGroup(CONTROLLER, name -> name.startsWith(CONTROLLER + "."), 1.0));
    }

    /** Adapters (a task's expert) leave the degradation encoder as it is: it reads every task, and one task's data would unteach it. */
    @Override
    public java.util.function.Predicate<String> adaptable() { return name -> !name.startsWith(CONTROLLER + "."); }

    @Override
    public double trainStep(TrainingBatch batch, StepContext context) {
        NDArray clean = batch.clean(), degraded = batch.noisy();
        NDManager m = context.manager();
        int n = batch.size();
        int[] labels = new int[n], t = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = tasks.indexOf(batch.tasks().get(i));
            if (labels[i] < 0) throw new IllegalArgumentException("training task \"" + batch.tasks().get(i) + "\" is not one of method.tasks " + tasks);
            t[i] = samplingShare > 0 && context.random().nextDouble() < samplingShare
                    ? sde.jumpStart(1 + context.random().nextInt(sampleSteps), sampleSteps) : 1 + context.random().nextInt(sde.steps());
        }
        NDArray truth = oneHot(m, labels);
        double readerLoss = context.trains(CONTROLLER)
                ? context.optimise(CONTROLLER, () -> DegradationEncoder.crossEntropy(controller.taskLogits(degraded), truth)) : Double.NaN;
        if (!context.trains(OptimiserGroup.MAIN)) return readerLoss;       // the reader alone trains (config trainable)
        CaptionBatch embedded = CaptionBatch.embed(text, m, batch.captions());
        CaptionBatch captions = captionNoise > 0
                ? embedded.shifted(new GaussianNoiseSource(context.random().nextLong()).next(m, embedded.vectors().getShape()).mul((float) captionNoise))
                : embedded;
        NDArray noise = new GaussianNoiseSource(context.random().nextLong()).next(m, clean.getShape());
        NDArray xt = sde.diffuse(clean, degraded, t, noise);
        NDArray optimum = predictsClean ? null : sde.optimumReverseStep(xt, clean, degraded, t);
        float[] steps = new float[n];
        for (int i = 0; i < n; i++) steps[i] = t[i];
        return context.optimise(OptimiserGroup.MAIN, () -> {
            TextImageFusion.Prompt prompt = fusion.fuse(captions, degradationEmbedding(degraded).stopGradient(), truth);
            NDArray predicted = network.forward(xt, steps, degraded, prompt.vector(), prompt.context());
            if (predictsClean) return context.loss().compute(predictedClean(xt, degraded, predicted, t), clean);
            return context.loss().compute(sde.reverseMean(xt, degraded, sde.scoreFromNoise(predicted, t), t), optimum);
        });
    }

    @Override
    public Set<Guidance.Kind> accepts() {
        return Set.of(Guidance.Kind.TEXT, Guidance.Kind.TASK, Guidance.Kind.STEPS, Guidance.Kind.SEED);
    }

    @Override
    public TileModel tileModel(NDManager manager, Guidance guidance) {
        int steps = guidance.steps() != null ? guidance.steps() : sampleSteps;
        if (steps < 1 || steps > sde.steps()) {
            throw new Guidance.UnsupportedGuidanceException("steps must be in [1, " + sde.steps() + "] for this model, got " + steps);
        }
        if (Degradation.NO_TASK.equalsIgnoreCase(guidance.task())) {
            return Method.tiles(manager, network, degraded -> degraded.duplicate());      // nothing to restore: unchanged
        }
        int task = taskIndex(guidance.task());
        float[] caption = guidance.hasText() ? text.embed(guidance.text()) : null;          // once per image
        GaussianNoiseSource noise = new GaussianNoiseSource(guidance.seed() != null ? guidance.seed() : 0L);
        return Method.tiles(manager, network, degraded -> {
            NDManager m = degraded.getManager();
            int n = (int) degraded.getShape().get(0);
            NDArray probability = task >= 0 ? oneHot(m, fill(n, task)) : controller.taskLogits(degraded).softmax(1);
            TextImageFusion.Prompt prompt = fusion.fuse(CaptionBatch.repeat(m, caption, text.dimension(), n), degradationEmbedding(degraded), probability);
            IrSde.NoisePredictor predictor = (x, t) -> {
                NDArray out = network.forward(x, ConditionalUNet.steps(n, t), degraded, prompt.vector(), prompt.context());
                return predictsClean ? sde.noiseFromClean(x, degraded, predictedClean(x, degraded, out, new int[] {t}), t) : out;
            };
            synchronized (noise) {                      // one generator per image: tiles draw in the tiler's order
                NDArray xT = degraded.add(noise.next(m, degraded.getShape()).mul((float) sde.sigmaBar(sde.steps())));
                return steps == sde.steps() ? sde.sample(predictor, xT, degraded, noise) : sde.samplePosterior(predictor, xT, degraded, steps, noise);
            }
        });
    }

    /** The prompt's degradation embedding of {@code degraded}: DA-CLIP's when the model names one, else our encoder's features. */
    private NDArray degradationEmbedding(NDArray degraded) {
        return daclip == null ? controller.features(degraded) : daclip.embed(degraded);
    }

    /** x̂₀ from the network's output when it predicts the clean image: μ + skip_t·(x_t − μ) + scale_t·output. */
    private NDArray predictedClean(NDArray xt, NDArray mu, NDArray output, int[] t) {
        return mu.add(xt.sub(mu).mul(sde.cleanSkip(xt, t))).add(output.mul(sde.cleanScale(xt, t)));
    }

    /** No task given: the model's own (the setting task, e.g. {@code etdiffir:task=derain}), else the one read. */
    @Override
    public Guidance settle(NDManager manager, Image image, Guidance guidance) {
        return guidance.taskIsAutomatic() && task != null ? guidance.withTask(task) : Method.super.settle(manager, image, guidance);
    }

    /** The side of the crops the degradation encoder reads (its training patches' scale), at most 4 × 4 of them. */
    private static final int READING_CROP = 128, READING_GRID = 4;

    /**
     * The degradation encoder's task probabilities averaged over a grid of up to 4 × 4 crops of 128² pixels (the
     * scale it was trained at: rain streaks and noise grains are not to be seen shrunk).
     */
    @Override
    public Optional<TaskReading> readTask(NDManager manager, Image image) {
        int size = Math.min(READING_CROP, Math.min(image.width(), image.height()));
        int nx = Math.min(READING_GRID, image.width() / size), ny = Math.min(READING_GRID, image.height() / size), n = nx * ny, c = network.channels();
        float[] crops = new float[n * c * size * size];
        int k = 0;
        for (int gy = 0; gy < ny; gy++) {
            for (int gx = 0; gx < nx; gx++) {
                int x0 = gridOffset(gx, nx, image.width(), size), y0 = gridOffset(gy, ny, image.height(), size);
                for (int ch = 0; ch < c; ch++) {
                    float[] plane = image.plane(Math.min(ch, image.channels() - 1));    // gray: the one plane thrice
                    for (int y = 0; y < size; y++) System.arraycopy(plane, (y0 + y) * image.width() + x0, crops, k++ * size, size);
                }
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            float[] p = controller.taskLogits(scope.create(crops, new Shape(n, c, size, size))).softmax(1).mean(new int[] {0}).toFloatArray();
            Map<String, Double> byTask = new LinkedHashMap<>();
            for (int i = 0; i < tasks.size(); i++) byTask.put(tasks.get(i), (double) p[i]);
            return Optional.of(new TaskReading(byTask, automatic));
        }
    }

    @Override
    public Optional<String> promptWarning(String prompt) { return Optional.ofNullable(text.overLimit(prompt)); }

    @Override
    public NetworkShape shape() { return network; }

    /** Where crop g of {@code count} evenly spread crops of {@code size} starts along {@code extent} (one: centred). */
    private static int gridOffset(int g, int count, int extent, int size) {
        return count == 1 ? (extent - size) / 2 : (int) ((long) g * (extent - size) / (count - 1));
    }

    /** The index of a given task, or −1 for auto (no task given counts as auto): each tile then reads its own. */
    private int taskIndex(String task) {
        if (task == null || task.equalsIgnoreCase(Guidance.AUTO)) return -1;
        int i = tasks.indexOf(task.toLowerCase(Locale.ROOT));
        if (i < 0) throw new Guidance.UnsupportedGuidanceException("unknown task \"" + task + "\": this model restores " + String.join(", ", tasks) + " (or auto)");
        return i;
    }

    private NDArray oneHot(NDManager m, int[] labels) {
        float[] v = new float[labels.length * tasks.size()];
        for (int i = 0; i < labels.length; i++) v[i * tasks.size() + labels[i]] = 1f;
        return m.create(v, new Shape(labels.length, tasks.size()));
    }

    private static int[] fill(int n, int value) {
        int[] v = new int[n];
        java.util.Arrays.fill(v, value);
        return v;
    }
}
