package dev.lucid.method.noisetransfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.diffusion.GaussianNoiseSource;
import dev.lucid.image.SeparableFilter;
import dev.lucid.image.TileModel;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.method.MethodProvider;
import dev.lucid.method.SharedParts;
import dev.lucid.method.StepContext;
import dev.lucid.method.TrainingBatch;
import dev.lucid.nn.NetworkShape;
import dev.lucid.nn.NoiseEncoder;
import dev.lucid.nn.NoiseGenerator;
import dev.lucid.nn.Parameters;
import dev.lucid.nn.Tensors;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * NoiseTransfer (Lee and Kim, ACCV 2022; method "noise-transfer"): noise generation from one reference photo. A
 * {@link NoiseEncoder} learns a 128-d embedding of an image's noise by MoCo-style contrastive learning (a momentum
 * copy, the key encoder, embeds the references; a queue of past keys holds the negatives; τ = 0.1): a training sample
 * is a clean/noisy patch pair and, as its positive, another patch of the same noisy image. The {@link NoiseGenerator}
 * takes a clean image and the reference's key embedding to noise; the same encoder, on its discriminator path, judges
 * generated noise against real noise under that embedding. Losses as the released code: generator —
 * GAN (binary cross-entropy on every level's patch logits) + 100 × discriminator feature matching + 100 × consistency
 * (L1 between 21×21 Gaussian blurs of the real and the generated noisy image) + contrastive (the generated image must
 * embed next to the reference's key) + 100 × encoder feature matching; encoder — contrastive + GAN; then the key
 * encoder moves towards the encoder (momentum 0.999) and the keys enter the queue.
 * <pre>
 * method:       {type: noise-transfer, queue: 4096, temperature: 0.1, momentum: 0.999}
 * architecture: {type: noise_transfer, width: 32, spectral_norm: true}
 * data:   {reference: true, ...}      # each sample brings another patch of its noisy image
 * </pre>
 * The exported model synthesises noise ({@link #synthesise}); it restores nothing.
 */
public final class NoiseTransferMethod implements Method {

    public static final class Provider implements MethodProvider {
        @Override public String type() { return "noise-transfer"; }

        @Override
        public Method build(Parameters p, JsonNode root, SharedParts shared) {
            JsonNode method = root.path("method"), architecture = architecture(root, "noise_transfer");
            int width = architecture.path("width").asInt(32), queue = method.path("queue").asInt(4096);
            boolean spectralNorm = architecture.path("spectral_norm").asBoolean(true);
            double temperature = method.path("temperature").asDouble(0.1), momentum = method.path("momentum").asDouble(0.999);
            if (width < 4 || queue < 1 || !(temperature > 0) || !(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("noise-transfer needs width >= 4, queue >= 1, temperature > 0 and momentum in [0, 1)");
            }
            return new NoiseTransferMethod(p, width, spectralNorm, queue, temperature, momentum);
        }
    }

    static final String GENERATOR = "generator", ENCODER = "encoder", KEY_ENCODER = "key_encoder", QUEUE = "queue", QUEUE_POINTER = "queue_pointer";
    /** Loss weights of the released code. */
    static final float FEATURE_MATCHING = 100f, CONSISTENCY = 100f;
    /** The consistency loss's blur: torchvision's gaussian_blur(21), σ = 0.3·((21 − 1)/2 − 1) + 0.8. */
    static final int BLUR = 21;
    static final double BLUR_SIGMA = 3.5;

    private final Parameters parameters;
    private final NoiseGenerator generator;
    private final NoiseEncoder encoder, keyEncoder;
    private final NDArray queue, queuePointer;
    private final float temperature, momentum;

    private NoiseTransferMethod(Parameters p, int width, boolean spectralNorm, int queueSize, double temperature, double momentum) {
        this.parameters = p;
        this.generator = new NoiseGenerator(p, GENERATOR, width);
        this.encoder = new NoiseEncoder(p, ENCODER, width);
        this.keyEncoder = new NoiseEncoder(p, KEY_ENCODER, width);
        // as the released code, every convolution and linear layer of all three networks: without it the encoder's
        // features, which the generator's feature-matching losses (× 100) compare, grow without bound, and a 712-step
        // run (session 10) learnt to add no noise at all (AKLD 0.70 on the SIDD sample at step 600, Gaussian 0.18)
        if (spectralNorm) p.normaliseSpectrally(name -> name.startsWith(GENERATOR + ".") || name.startsWith(ENCODER + ".") || name.startsWith(KEY_ENCODER + "."));
        // MoCo starts the key encoder as a copy of the encoder, and the queue as random unit vectors
        for (Map.Entry<String, NDArray> e : p.select(name -> name.startsWith(KEY_ENCODER + ".")).entrySet()) {
            Tensors.assign(e.getValue(), p.asMap().get(ENCODER + e.getKey().substring(KEY_ENCODER.length())));
        }
        this.queue = p.uniform(QUEUE, new Shape(NoiseEncoder.EMBEDDING, queueSize), 1.0);
        Tensors.assign(queue, queue.div(queue.square().sum(new int[] {0}, true).sqrt()));
        this.queuePointer = p.constant(QUEUE_POINTER, new Shape(1), 0f);
        this.temperature = (float) temperature;
        this.momentum = (float) momentum;
    }

    /** The generator and the encoder (also the discriminator) train, each with its own optimiser; the key encoder and the queue follow. */
    @Override
    public List<OptimiserGroup> optimisers() {
        return List.of(new OptimiserGroup(OptimiserGroup.MAIN, name -> name.startsWith(GENERATOR + "."), 1.0),
                new OptimiserGroup(ENCODER, name -> name.startsWith(ENCODER + "."), 1.0));
    }

    @Override
    public double trainStep(TrainingBatch batch, StepContext context) {
        if (batch.reference() == null) throw new IllegalArgumentException("noise-transfer trains on references: set data.reference: true");
        NDArray clean = batch.clean(), noisy = batch.noisy();
        NDArray key = keyEncoder.embed(batch.reference()).embedding().stopGradient();
        GaussianNoiseSource z = new GaussianNoiseSource(context.random().nextLong());
        NDArray[] generated = new NDArray[1];
        float generatorLoss = context.optimise(OptimiserGroup.MAIN, () -> {
            NDArray fake = synthesise(clean, key, z);
            generated[0] = fake.stopGradient();
            NoiseEncoder.Output real = encoder.embed(noisy), made = encoder.embed(fake);
            NoiseEncoder.Output judgedReal = encoder.discriminate(clean, key, noisy), judgedFake = encoder.discriminate(clean, key, fake);
            NDArray gan = mean(judgedFake.logits(), l -> bceWithLogits(l, true));
            NDArray matchGan = meanL1(judgedReal.features(), judgedFake.features());
            NDArray consistency = blur(noisy).sub(blur(fake)).abs().mean();
            NDArray contrast = contrastive(made.embedding(), key);
            NDArray matchNoise = meanL1(real.features(), made.features());
            return gan.add(matchGan.mul(FEATURE_MATCHING)).add(consistency.mul(CONSISTENCY)).add(contrast).add(matchNoise.mul(FEATURE_MATCHING));
        });
        context.optimise(ENCODER, () -> {
            NDArray contrast = contrastive(encoder.embed(noisy).embedding(), key);
            List<NDArray> real = encoder.discriminate(clean, key, noisy).logits(), fake = encoder.discriminate(clean, key, generated[0]).logits();
            NDArray gan = null;
            for (int i = 0; i < real.size(); i++) {
                NDArray level = bceWithLogits(real.get(i), true).add(bceWithLogits(fake.get(i), false)).div(2f);
                gan = gan == null ? level : gan.add(level);
            }
            return contrast.add(gan.div((float) real.size()));
        });
        followEncoder(context.manager());
        enqueue(key);
        return generatorLoss;
    }

    /**
     * Contrastive loss of queries [N, D] against keys [N, D] (query i's positive is key i; the other keys and the queue are
     * its negatives), at temperature τ: −mean log softmax of the positives.
     */
    NDArray contrastive(NDArray queries, NDArray keys) {
        NDArray logits = NDArrays.concat(new NDList(queries.matMul(keys.transpose()), queries.matMul(queue)), 1).div(temperature);
        long n = queries.getShape().get(0);
        NDArray positives = queries.getManager().eye((int) n).concat(queries.getManager().zeros(new Shape(n, queue.getShape().get(1))), 1);
        return logits.logSoftmax(1).mul(positives).sum(new int[] {1}).mean().neg();
    }

    /** Binary cross-entropy of logits against all-ones (real) or all-zeros, averaged: softplus(∓l), computed stably. */
    static NDArray bceWithLogits(NDArray logits, boolean real) {
        NDArray x = real ? logits.neg() : logits;                        // softplus(x) = max(x, 0) + log(1 + e^−|x|)
        return x.maximum(0f).add(x.abs().neg().exp().add(1f).log()).mean();
    }

    private static NDArray meanL1(List<NDArray> targets, List<NDArray> outputs) {
        NDArray sum = null;
        for (int i = 0; i < targets.size(); i++) {
            NDArray l = targets.get(i).stopGradient().sub(outputs.get(i)).abs().mean();
            sum = sum == null ? l : sum.add(l);
        }
        return sum.div((float) targets.size());
    }

    private static NDArray mean(List<NDArray> values, Function<NDArray, NDArray> f) {
        NDArray sum = null;
        for (NDArray v : values) sum = sum == null ? f.apply(v) : sum.add(f.apply(v));
        return sum.div((float) values.size());
    }

    /** The 21×21 Gaussian blur of the consistency loss, separable, with reflected borders (as torchvision's). */
    static NDArray blur(NDArray x) {
        double[] gaussian = SeparableFilter.gaussian(BLUR_SIGMA, BLUR / 2);
        float[] taps = new float[BLUR];
        for (int i = 0; i < BLUR; i++) taps[i] = (float) gaussian[i];
        return blurAxis(blurAxis(x, 3, taps), 2, taps);
    }

    private static NDArray blurAxis(NDArray x, int axis, float[] taps) {
        int r = taps.length / 2;
        long size = x.getShape().get(axis);
        if (size <= r) throw new IllegalArgumentException("patches must be larger than " + r + " pixels for the consistency blur");
        String lead = axis == 2 ? ":, :, " : ":, :, :, ";
        NDArray before = x.get(new NDIndex(lead + "1:" + (r + 1))).flip(axis), after = x.get(new NDIndex(lead + (size - r - 1) + ":" + (size - 1))).flip(axis);
        NDArray padded = NDArrays.concat(new NDList(before, x, after), axis);
        NDArray sum = null;
        for (int i = 0; i < taps.length; i++) {
            NDArray tap = padded.get(new NDIndex(lead + i + ":" + (i + size))).mul(taps[i]);
            sum = sum == null ? tap : sum.add(tap);
        }
        return sum;
    }

    /**
     * key ← m·key + (1 − m)·encoder, for every parameter of the encoder. The scaled copy belongs to the step's scope: made
     * by the parameter's own manager, it lived as long as the model, 6 MB a step, and a 3 400-step run was killed for
     * want of memory at 18.5 GB.
     */
    private void followEncoder(NDManager scope) {
        for (Map.Entry<String, NDArray> e : parameters.select(name -> name.startsWith(KEY_ENCODER + ".")).entrySet()) {
            NDArray scaled = parameters.asMap().get(ENCODER + e.getKey().substring(KEY_ENCODER.length())).mul(1 - momentum);
            scaled.attach(scope);
            e.getValue().muli(momentum).addi(scaled);
        }
    }

    /** The batch's keys replace the oldest entries of the queue. */
    private void enqueue(NDArray keys) {
        int size = (int) queue.getShape().get(1), pointer = (int) queuePointer.getFloat(), n = (int) Math.min(size - pointer, keys.getShape().get(0));
        queue.set(new NDIndex(":, " + pointer + ":" + (pointer + n)), keys.get("0:" + n).transpose());
        Tensors.assign(queuePointer, (pointer + n) % size);
    }

    /** The noise embedding of reference patches [N, 3, H, W] (the key encoder's, as the released code transfers with). */
    public NDArray embed(NDArray references) { return keyEncoder.embed(references).embedding(); }

    /** Clean images [N, 3, H, W] with generated noise of the given embeddings [N, 128], the randomness from {@code noise}. */
    public NDArray synthesise(NDArray clean, NDArray embeddings, GaussianNoiseSource noise) {
        // one random plane per sample at each scale the generator injects noise
        return clean.add(generator.forward(clean, embeddings,
                x -> noise.next(x.getManager(), new Shape(x.getShape().get(0), 1, x.getShape().get(2), x.getShape().get(3)))));
    }

    @Override
    public TileModel tileModel(NDManager manager, Guidance guidance) {
        throw new Guidance.UnsupportedGuidanceException("a NoiseTransfer model synthesises noise and restores nothing: use it as lucid synth --noise transfer:REF");
    }

    /** The generator's shape: 3 planes, sides a multiple of 4. */
    @Override
    public NetworkShape shape() { return generator; }
}
