package dev.lucid.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.Progress;
import dev.lucid.degrade.Degradation;
import dev.lucid.degrade.Degradations;
import dev.lucid.eval.Chart;
import dev.lucid.image.AtomicFiles;
import dev.lucid.image.Image;
import dev.lucid.image.TileModel;
import dev.lucid.image.Tiler;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.method.Methods;
import dev.lucid.method.SharedParts;
import dev.lucid.method.StepContext;
import dev.lucid.method.TrainingBatch;
import dev.lucid.metrics.Psnr;
import dev.lucid.model.ModelCard;
import dev.lucid.method.adapt.SelfSupervisedAdaptation;
import dev.lucid.method.adapt.SupervisedAdaptation;
import dev.lucid.model.AdapterFiles;
import dev.lucid.model.ModelFiles;
import dev.lucid.nn.Lora;
import dev.lucid.nn.Loss;
import dev.lucid.nn.Parameters;
import dev.lucid.nn.Tensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains a {@link Method} from a {@link TrainConfig}: the trainer owns the loop, the optimisers (one AdamW per
 * optimiser group the method declares), EMA, checkpoints, logging and validation; the method owns what one step
 * computes ({@link Method#trainStep}). State lives in a run directory:
 * {@code checkpoint.safetensors} (weights, every optimiser's moments, EMA weights, step and elapsed time, written
 * atomically every {@code checkpoint_every} steps and when stopped), {@code log.csv} (loss, learning rate,
 * gradient norm, validation PSNR) and {@code model/} (the EMA weights with their card, usable by
 * {@code lucid denoise --model}). Batches are a pure function of (seed, step), so resuming continues the
 * run bit for bit.
 */
public final class Trainer implements AutoCloseable {

    private static final String CHECKPOINT = "checkpoint.safetensors";
    private static final String LOG = "log.csv";
    private static final String LOG_HEADER = "step,loss,lr,grad_norm,val_psnr,seconds";

    private final TrainConfig config;
    private final Path runDir;
    private final NDManager manager;
    private final Parameters params;
    private final Parameters emaParams;
    private final Method method;
    private final Method emaMethod;
    private final SharedParts shared = new SharedParts();  // the text encoder of the trained and the averaged method
    private final ModelFiles.Source adaptedBase;       // the model whose adapters this run trains; null for a model of its own
    private final int adaptationStride;                // the pixel-shuffle stride a self-supervised adaptation reads the photos at (1 otherwise)
    private final Map<String, AdamW> optimizers = new LinkedHashMap<>();
    private final java.util.Set<String> claimed = new java.util.HashSet<>();   // the parameters some optimiser updates
    private final PatchDataset data;
    private final LearningRate schedule;
    private final Loss loss;
    private final Consumer<String> log;
    private volatile boolean stopRequested;
    private long deadline;                 // System.nanoTime() by which train() must have returned; 0: none
    private double stepNanos;              // a step's wall time, batch wait included (running mean)
    private long checkpointNanos;          // the last checkpoint's wall time
    private int step;
    private double seconds;
    private static final int MAX_SKIPPED_IN_A_ROW = 20;
    /**
     * A finite gradient norm this large, unclipped, fills Adam's second moment for thousands of steps (at β₂ = 0.99 it
     * forgets 1 % a step), so that optimiser's updates shrink to nothing: NoiseTransfer's generator froze so for four
     * sessions unseen. The trainer says so, once per optimiser.
     */
    private static final double SPIKE = 1e6;
    private final java.util.Set<String> spikeReported = new java.util.HashSet<>();

    private double lastGradNorm;
    private double runningLoss = Double.NaN;   // shown beside the progress bar: a moving average over ~50 steps
    private int skippedInARow;   // consecutive steps whose non-finite loss or gradient was dropped
    private long droppedSteps;   // all such steps of the run (counted again from log.csv on resume)
    private double lastValidation = Double.NaN;
    private int lastValidationStep;

    public Trainer(TrainConfig config, Path runDir, Consumer<String> log) throws IOException {
        this.config = config;
        this.runDir = runDir;
        this.log = log;
        this.data = new PatchDataset(config);
        this.schedule = new LearningRate(config.learningRate(), config.minLearningRate(), config.warmup(), config.iterations());
        this.loss = Loss.parse(config.loss());
        this.manager = NDManager.newBaseManager();
        try {
            JsonNode adapt = config.adapt();
            this.adaptedBase = adapt == null ? null : ModelFiles.open(adapt.get("base").asText());
            this.adaptationStride = adapt == null || !selfSupervised() ? 1 : adaptationStride(adapt);
            JsonNode network = adaptedBase == null ? config.raw() : adaptedBase.card().tree();
            this.params = new Parameters(manager, config.seed());
            this.emaParams = new Parameters(manager, config.seed());
            if (adaptedBase == null) {
                this.method = Methods.build(params, network, shared);
                this.emaMethod = Methods.build(emaParams, network, shared);
            } else {
                try (NDManager scratch = manager.newSubManager()) {
                    NDList baseWeights = adaptedBase.decodeWeights(scratch);     // once for the trained and the averaged copy
                    this.method = adaptation(params, network, adapt, baseWeights);
                    this.emaMethod = adaptation(emaParams, network, adapt, baseWeights);
                }
            }
            int networkPatch = data.rawCapture() ? config.patch() / 2 : config.patch();      // a raw patch packs to half its side
            if (networkPatch % method.shape().sizeMultiple() != 0) {
                throw new IllegalArgumentException("patch " + config.patch() + (data.rawCapture() ? " (packed raw: " + networkPatch + ")" : "")
                        + " must be a multiple of " + method.shape().sizeMultiple());
            }
            if (config.raw().hasNonNull("init")) warmStart(Path.of(config.raw().get("init").asText()));
            if (config.raw().has("init_step")) step = initStep(config);
            // parameters of no group (e.g. a pretrained encoder) are frozen: no gradient, no optimiser state
            List<String> only = config.trainable();
            for (Method.OptimiserGroup group : method.optimisers()) {
                Map<String, NDArray> trainable = params.select(group.parameters().and(name -> only.isEmpty() || only.stream().anyMatch(name::startsWith)));
                if (trainable.isEmpty() && !only.isEmpty()) continue;          // a group left out by trainable: frozen, no optimiser
                for (String name : trainable.keySet()) {
                    if (!claimed.add(name)) throw new IllegalStateException("parameter " + name + " is in two optimiser groups");
                }
                for (NDArray a : trainable.values()) a.setRequiresGradient(true);
                optimizers.put(group.name(), new AdamW(manager, trainable, emaParams.asMap(), config, group.learningRateScale()));
            }
            if (!only.isEmpty() && optimizers.isEmpty()) throw new IllegalArgumentException("trainable " + only + " names no parameter this method trains");
        } catch (RuntimeException | IOException e) {
            optimizers.values().forEach(AdamW::close);
            manager.close(); // a bad architecture must not leak native memory in a long-lived process
            shared.close();
            throw e;
        }
    }

    /**
     * The base model's method on its decoded {@code baseWeights}, with fresh adapters (rank, α = rank unless given) that alone train:
     * on noisy photos alone (data.noisy) self-supervised, on clean images with synthetic noise (a camera's) supervised.
     */
    private Method adaptation(Parameters p, JsonNode network, JsonNode adapt, NDList baseWeights) throws IOException {
        Method base = Methods.build(p, network, shared);
        p.load(baseWeights);
        int rank = adapt.path("rank").asInt(4);
        Lora.attach(p, rank, adapt.path("alpha").asDouble(rank), base.adaptable());
        SupervisedAdaptation.Timesteps timesteps = SupervisedAdaptation.Timesteps.parse(adapt.path("timesteps").asText("all"));
        if (!selfSupervised()) return new SupervisedAdaptation(base, timesteps);
        // a self-supervised adaptation learns through the single-pass denoiser: it has no chain of timesteps
        if (adapt.has("timesteps")) throw new IllegalArgumentException("adapt.timesteps is for adaptations with data.clean (a diffusion model and its noise)");
        return SelfSupervisedAdaptation.of(base, p, adapt, adaptationStride);
    }

    /** An adaptation learning from noisy photos alone (data.noisy), rather than from clean images with a known noise. */
    private boolean selfSupervised() { return !config.noisyOnly().isEmpty(); }

    /** adapt.pd_stride, or with "auto" (the default) the stride the photos' noise calls for. */
    private int adaptationStride(JsonNode adapt) {
        int stride;
        try {
            stride = dev.lucid.model.NetworkRestorer.parsePdStride(adapt.path("pd_stride").asText("auto"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("adapt." + e.getMessage(), e);
        }
        return stride == dev.lucid.model.NetworkRestorer.AUTO_PD_STRIDE ? data.noiseCorrelation().shuffleStride() : stride;
    }

    /**
     * "init_step: N" with "init:": the weights are a run's EMA model exported at step N (a run continued in a new work tree,
     * its checkpoint with the optimiser's moments lost), so this run takes up the schedule at N: learning rate, batches,
     * log and the card's iteration count go on as the first run's would have, only the moments start afresh.
     */
    private static int initStep(TrainConfig config) {
        if (!config.raw().hasNonNull("init")) throw new IllegalArgumentException("init_step needs init: (the weights exported at that step)");
        JsonNode value = config.raw().get("init_step");
        if (!value.canConvertToInt() || value.asInt() < 0 || value.asInt() >= config.iterations()) {
            throw new IllegalArgumentException("init_step must be a step from 0 to schedule.iterations - 1 (" + (config.iterations() - 1) + "), not " + value.asText());
        }
        return value.asInt();
    }

    /**
     * "init: WEIGHTS" (a weights file or model directory): starts from another model wherever shapes allow. In an
     * adaptation the base is the base model's, frozen, so init: is an adapter of the same rank to train further (a
     * shipped expert continued with a fresh schedule), and every adapter tensor must be in it.
     */
    private void warmStart(Path weights) throws IOException {
        try (NDManager scratch = manager.newSubManager()) {
            NDList source = dev.lucid.nn.torch.StateDicts.read(weights, scratch);
            if (adaptedBase != null) {
                Map<String, NDArray> adapters = params.select(Lora::isAdapterTensor);
                long matching = source.stream().filter(a -> adapters.containsKey(a.getName()) && adapters.get(a.getName()).getShape().equals(a.getShape())).count();
                if (matching != adapters.size()) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "init: %s holds %d of the %d adapter tensors of rank %d for %s: not an adapter of this run",
                            weights, matching, adapters.size(), config.adapt().path("rank").asInt(4), config.adapt().get("base").asText()));
                }
                params.loadPart(source, "", Lora::isAdapterTensor);
                log.accept(String.format(Locale.ROOT, "adapters start from %s: %d tensors", weights, adapters.size()));
                return;
            }
            int[] counts = params.warmStart(source);
            log.accept(String.format(Locale.ROOT, "warm start from %s: %d tensors copied, %d widened, %d fresh", weights, counts[0], counts[1], counts[2]));
        }
    }

    public int step() { return step; }

    /** The arrays the run's own manager holds (parameters, EMA, moments): constant from step to step, or memory leaks. */
    int arraysHeld() { return manager.getManagedArrays().size(); }

    public long parameterCount() { return params.count(); }

    public long macsPerPixel() { return method.shape().macsPerPixel(); }

    public int trainingImages() { return data.trainingImages(); }

    /** Makes {@link #train} checkpoint and return after the current step (e.g. on SIGTERM). */
    public void requestStop() { stopRequested = true; }

    /**
     * Makes {@link #train} return by {@code nanoTime} (a {@link System#nanoTime()} value): it takes no step that would
     * end, with the checkpoint after it, later than that, judging by the steps and the checkpoint it has timed so far.
     */
    public void stopBy(long nanoTime) { deadline = nanoTime; }

    private boolean nextStepEndsInTime() {
        return deadline == 0 || System.nanoTime() + (long) stepNanos + checkpointNanos < deadline;
    }

    public boolean hasCheckpoint() { return Files.isRegularFile(runDir.resolve(CHECKPOINT)); }

    /** Loads the checkpoint of the run directory; the next step is the one after it. */
    public void resume() throws IOException {
        Path file = runDir.resolve(CHECKPOINT);
        AtomicFiles.removeLeftovers(file);                     // a checkpoint write cut short by kill -9
        try (NDManager scope = manager.newSubManager()) {
            NDList list = dev.lucid.nn.torch.StateDicts.decodeSafetensors(scope, Files.readAllBytes(file), file.toString());
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray a : list) byName.put(a.getName(), a);
            if (adaptedBase == null) {
                params.load(select(list, "param."));
                emaParams.load(select(list, "ema."));
            } else {                                        // the base weights came from the base model
                params.loadPart(select(list, "param."), "", Lora::isAdapterTensor);
                emaParams.loadPart(select(list, "ema."), "", Lora::isAdapterTensor);
            }
            for (AdamW optimizer : optimizers.values()) optimizer.restore(byName);
            step = (int) byName.get("state.step").getLong();
            seconds = byName.get("state.seconds").getDouble();
        }
        truncateLog();
        log.accept(String.format(Locale.ROOT, "resumed %s at step %d (%.2f h trained)", runDir, step, seconds / 3600));
    }

    private static NDList select(NDList list, String prefix) {
        NDList out = new NDList();
        for (NDArray a : list) {
            if (a.getName().startsWith(prefix)) {
                a.setName(a.getName().substring(prefix.length()));
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Trains until the configured number of iterations, {@code maxSteps} more steps, or a stop request,
     * whichever comes first; checkpoints and exports the model before returning.
     */
    public void train(int maxSteps, Progress progress) throws IOException {
        Files.createDirectories(runDir);
        int end = Math.min(config.iterations(), maxSteps == Integer.MAX_VALUE ? Integer.MAX_VALUE : step + maxSteps);
        progress.begin("training " + config.name(), end - step);
        ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lucid-batch-loader");
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<Future<PatchDataset.Batch>> prefetch = new ArrayBlockingQueue<>(3);
        int queued = step;
        try {
            while (step < end && !stopRequested && nextStepEndsInTime()) {
                long wallStart = System.nanoTime();
                while (queued < end && prefetch.remainingCapacity() > 0) {
                    final long s = queued++;
                    prefetch.add(loader.submit(() -> data.batch(s)));
                }
                PatchDataset.Batch batch = prefetch.take().get();
                long start = System.nanoTime();
                double lr = schedule.at(step);
                double lossValue;
                try (NDManager scope = manager.newSubManager()) {
                    Shape shape = new Shape(batch.n(), batch.channels(), batch.size(), batch.size());
                    TrainingBatch tensors = new TrainingBatch(scope.create(batch.noisy(), shape), batch.clean() == null ? null : scope.create(batch.clean(), shape),
                            batch.captions(), batch.captionDropped(), batch.tasks(), batch.raw(),
                            batch.reference() == null ? null : scope.create(batch.reference(), shape));
                    // a separate stream from the batch's, so methods that sample (e.g. a diffusion step) stay reproducible
                    lossValue = method.trainStep(tensors, new Step(scope, lr, new SplittableRandom(config.seed() * 0x2545F4914F6CDD1DL + step)));
                }
                // a non-finite loss or gradient updates nothing (AdamW drops it); many in a row mean the run diverged
                skippedInARow = Double.isFinite(lossValue) && Double.isFinite(lastGradNorm) ? 0 : skippedInARow + 1;
                if (skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "training diverged: %d steps in a row up to step %d had a non-finite "
                            + "loss or gradient; the checkpoint on disk is intact. With a sane learning rate, oneDNN's kernels for this CPU may be "
                            + "at fault: --resume with DNNL_MAX_CPU_ISA=SSE41 in the environment", skippedInARow, step + 1));
                }
                step++;
                seconds += (System.nanoTime() - start) / 1e9;
                boolean validate = step % config.validateEvery() == 0 || step == config.iterations();
                if (validate) {
                    lastValidation = validate();
                    lastValidationStep = step;
                }
                appendLog(step, lossValue, lr, lastGradNorm, validate ? lastValidation : Double.NaN);
                if (Double.isFinite(lossValue)) runningLoss = Double.isNaN(runningLoss) ? lossValue : 0.98 * runningLoss + 0.02 * lossValue;
                progress.status(String.format(Locale.ROOT, "loss %.4g", runningLoss));
                if (step % config.checkpointEvery() == 0) checkpoint();
                if (config.snapshotEvery() > 0 && step % config.snapshotEvery() == 0) snapshot();
                progress.advance(1);
                double wall = System.nanoTime() - wallStart;
                stepNanos = stepNanos == 0 ? wall : 0.9 * stepNanos + 0.1 * wall;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("batch loading failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            loader.shutdownNow();
        }
        checkpoint();
    }

    /** The trainer's side of one step: the scope, the loss, the step's generator, and the optimisers. */
    private final class Step implements StepContext {
        private final NDManager scope;
        private final double lr;
        private final SplittableRandom random;

        Step(NDManager scope, double lr, SplittableRandom random) {
            this.scope = scope;
            this.lr = lr;
            this.random = random;
        }

        @Override public NDManager manager() { return scope; }

        @Override public Loss loss() { return loss; }

        @Override public SplittableRandom random() { return random; }

        @Override public boolean trains(String group) { return optimizers.containsKey(group); }

        @Override
        public float optimise(String group, java.util.function.Supplier<NDArray> lossFunction) {
            AdamW optimizer = optimizers.get(group);
            if (optimizer == null) throw new IllegalArgumentException("method has no optimiser group \"" + group + "\" (" + optimizers.keySet() + ")");
            float value;
            try (GradientCollector gc = Tensors.gradientCollector()) {
                NDArray l = lossFunction.get();
                gc.backward(l);
                value = l.getFloat();
            }
            double norm = optimizer.step(step, lr * optimizer.learningRateScale());
            if (config.gradClip() == 0 && Double.isFinite(norm) && norm > SPIKE && spikeReported.add(group)) {
                log.accept(String.format(Locale.ROOT, "warning: step %d: gradient norm %.3g of optimiser group \"%s\" with no clipping: Adam's "
                        + "second moment now holds it for thousands of steps, and this group's updates nearly stop; set optimizer.grad_clip", step + 1, norm, group));
            }
            if (group.equals(optimizers.keySet().iterator().next())) lastGradNorm = norm;
            // gradients that flowed into another group's parameters (a generator's loss through a discriminator)
            // must not leak into that group's next update
            for (AdamW other : optimizers.values()) if (other != optimizer) other.clearGradients();
            return value;
        }
    }

    /** Mean PSNR (dB) of the EMA network on the held-out images with the validation noise (image i: seed i). */
    public double validate() {
        List<Image> images = data.holdout();
        if (images.isEmpty()) return Double.NaN;
        copyFollowersToEma();
        Degradation noise = Degradations.parse(config.validationNoise());
        double sum = 0;
        for (int i = 0; i < images.size(); i++) {
            Image clean = images.get(i), degraded;
            if (data.rawCapture()) {                   // packed raw: the clean and noisy captures of the held-out image
                if (!dev.lucid.degrade.RawLowLightNoise.isRaw(noise)) {
                    throw new IllegalArgumentException("raw training validates on raw captures: validation.noise must be raw-lowlight or raw-camera:FILE, got \""
                            + config.validationNoise() + "\"");
                }
                dev.lucid.degrade.RawLowLightNoise.Capture capture = dev.lucid.degrade.RawLowLightNoise.capture(noise, clean, i);
                clean = capture.clean();
                degraded = capture.noisy();
            } else {
                degraded = noise.applyTo(clean, i);
            }
            TileModel model = emaMethod.tileModel(manager, emaMethod.settle(manager, degraded, Guidance.none()));
            Image restored = Tiler.restore(degraded, model, new Tiler.Settings(256, 16, 1), Progress.NONE);
            sum += Psnr.of(clean.planes(), restored.planes(), 1.0);
        }
        return sum / images.size();
    }

    /**
     * Parameters no optimiser updates but the method changes itself (a momentum encoder, a queue of keys) have no average:
     * the EMA model takes their current values.
     */
    private void copyFollowersToEma() {
        for (Map.Entry<String, NDArray> e : params.select(name -> !claimed.contains(name)).entrySet()) {
            NDArray ema = emaParams.asMap().get(e.getKey());
            if (ema != null) Tensors.assign(ema, e.getValue());
        }
    }

    /** Writes the checkpoint (atomically) and exports the EMA model with its card. */
    public void checkpoint() throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(runDir);
        copyFollowersToEma();
        try (NDManager scope = manager.newSubManager()) {
            NDList all = new NDList();
            // an adaptation keeps its adapters only: the base weights are the base model's
            java.util.function.Predicate<String> kept = adaptedBase == null ? name -> true : Lora::isAdapterTensor;
            // named copies of the live tensors, which the scope frees (toNDList's copies would outlive it on the run's manager)
            params.asMap().forEach((name, a) -> { if (kept.test(name)) all.add(AdamW.named(a, "param." + name)); });
            emaParams.asMap().forEach((name, a) -> { if (kept.test(name)) all.add(AdamW.named(a, "ema." + name)); });
            for (AdamW optimizer : optimizers.values()) all.addAll(optimizer.state());
            NDArray stepArray = scope.create(new long[] {step});
            stepArray.setName("state.step");
            NDArray secondsArray = scope.create(new double[] {seconds});
            secondsArray.setName("state.seconds");
            all.add(stepArray);
            all.add(secondsArray);
            all.attach(scope);
            ModelFiles.writeSafetensors(runDir.resolve(CHECKPOINT), all);
        }
        exportEma(adaptedBase == null ? runDir.resolve("model") : runDir);
        plotCurves();
        checkpointNanos = System.nanoTime() - started;
    }

    /** Writes the EMA model with its card into {@code dir} (an adaptation: its adapters with their card); followers already copied. */
    private void exportEma(Path dir) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            NDList weights = adaptedBase == null ? emaParams.toNDList() : Lora.tensors(emaParams);
            weights.attach(scope);
            if (adaptedBase == null) ModelFiles.save(dir, card(), weights);
            else AdapterFiles.save(dir, adapterCard(), weights);
        }
    }

    /**
     * Keeps the EMA model of this step as {@code snapshots/step-N/} (snapshot_every): a GAN's generator does not improve
     * steadily, so its run is judged afterwards snapshot by snapshot (e.g. by {@code lucid noise-stats}) rather than by
     * its last weights alone.
     */
    private void snapshot() throws IOException {
        copyFollowersToEma();
        exportEma(runDir.resolve("snapshots").resolve("step-" + step));
    }

    /** curves-loss.png (loss averaged per 1% of the steps so far) and curves-validation.png, from log.csv. */
    private void plotCurves() throws IOException {
        Path file = runDir.resolve(LOG);
        if (!Files.exists(file)) return;
        List<String> lines = Files.readAllLines(file);
        int bucket = Math.max(1, (lines.size() - 1) / 100);
        List<double[]> loss = new ArrayList<>(), val = new ArrayList<>();
        double sum = 0;
        int count = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            sum += Double.parseDouble(f[1]);
            if (++count == bucket) {
                loss.add(new double[] {Double.parseDouble(f[0]), sum / count});
                sum = 0;
                count = 0;
            }
            if (!f[4].isEmpty()) val.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[4])});
        }
        writeChart("training loss (" + config.loss() + ")", "loss", loss, runDir.resolve("curves-loss.png"));
        writeChart("validation PSNR, " + config.validationNoise(), "PSNR (dB)", val, runDir.resolve("curves-validation.png"));
    }

    private static void writeChart(String title, String yLabel, List<double[]> points, Path file) throws IOException {
        if (points.isEmpty()) return;
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray(), y = points.stream().mapToDouble(p -> p[1]).toArray();
        new Chart(title, "step", yLabel).add(yLabel, x, y).write(file);
    }

    /** The card of an adaptation's adapter: its base model, rank, loss, the photos and camera, steps and CPU time. */
    public ObjectNode adapterCard() {
        JsonNode adapt = config.adapt();
        int rank = adapt.path("rank").asInt(4);
        ObjectNode card = ModelCard.json().createObjectNode();
        card.put("name", config.name());
        card.put("base", adaptedBase.card().name()).put("base_weights", adaptedBase.weightsDigest());
        card.put("rank", rank).put("alpha", adapt.path("alpha").asDouble(rank));
        if (selfSupervised()) {
            ((SelfSupervisedAdaptation) emaMethod).describe(card);
            dev.lucid.degrade.NoiseLevel.Correlation noise = data.noiseCorrelation();
            card.putObject("noise").put("sigma", round(noise.sigma())).put("lag1", round(noise.lag1())).put("lag2", round(noise.lag2()))
                    .put("lag3", round(noise.lag3())).put("chroma_lag1", Double.isNaN(noise.chromaLag1()) ? null : round(noise.chromaLag1()))
                    .put("note", "medians over the photos of NoiseLevel.correlation (flattest 16x16 blocks)");
            card.put("photos", data.trainingImages());
            if (!data.cameras().isEmpty()) card.put("camera", String.join(", ", data.cameras()));
        } else {
            card.put("pd_stride", 1).put("loss", "supervised: the base method's own (" + config.loss() + ")").put("timesteps", adapt.path("timesteps").asText("all"))
                    .put("images", data.trainingImages());
            if (!data.simulatedCameras().isEmpty()) card.put("camera", String.join(", ", data.simulatedCameras()));
            ArrayNode noises = card.putArray("noise");
            config.noise().forEach(n -> noises.add(n.recipe()));
        }
        card.put("steps", step).put("steps_planned", config.iterations());
        card.put("cpu_minutes", Math.round(seconds / 0.6) / 100.0);
        card.put("patch", config.patch()).put("batch", config.batch());
        card.put("adapter_parameters", params.select(Lora::isAdapterTensor).values().stream().mapToLong(NDArray::size).sum());
        ArrayNode photos = card.putArray("data");
        config.noisyOnly().forEach(p -> photos.add(p.toString()));
        config.clean().forEach(s -> photos.add(s.path().toString()));
        return card;
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }

    /** The card of the exported model: architecture, size, data, noise, progress and the validation result. */
    public ModelCard card() {
        ObjectNode root = ModelCard.json().createObjectNode();
        root.put("name", config.name());
        root.put("description", config.description());
        root.put("status", step >= config.iterations() ? "trained" : "in-training");
        // the exported weights already hold any pretrained part, so the card does not point at its source file
        // (which a user of the model does not have); it names it for provenance
        ObjectNode architecture = config.architecture().deepCopy();
        JsonNode initialisedFrom = architecture.remove("encoder_weights");
        if (initialisedFrom != null && !initialisedFrom.isNull()) architecture.put("encoder_initialised_from", initialisedFrom.asText());
        root.set("architecture", architecture);
        if (config.raw().has("method")) root.set("method", config.raw().get("method"));
        root.put("parameters", params.count());
        root.put("flops_per_pixel", 2 * method.shape().macsPerPixel());
        ObjectNode training = root.putObject("training");
        ArrayNode sources = training.putArray("data");
        for (TrainConfig.Source s : config.clean()) {
            sources.addObject().put("path", s.path().toString()).put("weight", s.weight()).put("holdout", s.holdout());
        }
        for (TrainConfig.PairSource p : config.pairs()) {
            ObjectNode pair = sources.addObject().put("noisy", p.noisy().toString()).put("weight", p.weight()).put("part", p.part());
            if (p.clean() != null) pair.put("clean", p.clean().toString());
            if (p.split() != null) pair.put("split", p.split().toString());
        }
        ArrayNode noise = training.putArray("noise");
        for (TrainConfig.NoiseOption n : config.noise()) {
            ObjectNode option = noise.addObject().put("recipe", n.recipe()).put("weight", n.weight());
            if (n.task() != null) option.put("task", n.task());
        }
        if (config.rawCapture()) training.put("raw_capture", true);
        training.put("iterations_done", step);
        training.put("iterations_planned", config.iterations());
        training.put("patch", config.patch());
        training.put("batch", config.batch());
        training.put("loss", config.loss());
        training.put("cpu_hours", Math.round(seconds / 36.0) / 100.0);
        if (droppedSteps > 0) training.put("dropped_steps", droppedSteps).put("dropped_steps_note", "steps whose loss or gradient was not finite updated nothing");
        training.set("config", config.raw());
        if (!Double.isNaN(lastValidation)) {
            training.put("validation", "held-out training images, " + config.validationNoise() + (data.rawCapture() ? " (raw PSNR)" : ""));
            training.put("validation_psnr", Math.round(lastValidation * 100) / 100.0);
            training.put("validation_step", lastValidationStep);
        }
        return new ModelCard(root);
    }

    private void appendLog(int s, double lossValue, double lr, double gradNorm, double valPsnr) throws IOException {
        Path file = runDir.resolve(LOG);
        String line = String.format(Locale.ROOT, "%d,%.6f,%.3e,%.4f,%s,%.1f%n", s, lossValue, lr, gradNorm,
                Double.isNaN(valPsnr) ? "" : String.format(Locale.ROOT, "%.3f", valPsnr), seconds);
        if (!Files.exists(file)) Files.writeString(file, LOG_HEADER + "\n");
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        if (!Double.isNaN(valPsnr)) log.accept(String.format(Locale.ROOT, "step %d: validation PSNR %.2f dB", s, valPsnr));
        if (!Double.isFinite(lossValue) || !Double.isFinite(gradNorm)) {
            droppedSteps++;
            log.accept(String.format(Locale.ROOT, "step %d: non-finite loss or gradient, update dropped", s));
        }
    }

    /** Drops log lines written after the checkpoint a resumed run starts from. */
    private void truncateLog() throws IOException {
        Path file = runDir.resolve(LOG);
        if (!Files.exists(file)) return;
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("step") || Integer.parseInt(line.substring(0, line.indexOf(','))) <= step) kept.add(line);
            String[] f = line.split(",", -1);
            if (!line.startsWith("step") && Integer.parseInt(f[0]) <= step && !(Double.isFinite(Double.parseDouble(f[1])) && Double.isFinite(Double.parseDouble(f[3])))) {
                droppedSteps++;
            }
            if (!line.startsWith("step") && f.length > 4 && !f[4].isEmpty() && Integer.parseInt(f[0]) <= step) {
                lastValidation = Double.parseDouble(f[4]);
                lastValidationStep = Integer.parseInt(f[0]);
            }
        }
        Files.write(file, kept);
    }

    /** The current weights (not the EMA), for tests that compare runs. */
    public float[] flatWeights() {
        float[] out;
        int total = 0;
        List<float[]> parts = new ArrayList<>();
        for (NDArray a : params.asMap().values()) {
            float[] v = a.toFloatArray();
            parts.add(v);
            total += v.length;
        }
        out = new float[total];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @Override
    public void close() {
        optimizers.values().forEach(AdamW::close);
        manager.close();
        shared.close();
    }
}
