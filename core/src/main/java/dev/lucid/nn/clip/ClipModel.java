package dev.lucid.nn.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lucid.nn.LayerNorm;
import dev.lucid.nn.Parameters;
import dev.lucid.nn.Tensors;
import dev.lucid.nn.clip.ModifiedResNet.Features;
import dev.lucid.nn.torch.StateDicts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI CLIP on the JVM: the text transformer (causal mask, final LayerNorm, projection at the end token)
 * and the ResNet or ViT image tower, with parameter names equal to the official state_dict keys so weights
 * load by name. Inference only. Inputs to {@link #encodeImage} are normalised with {@link #MEAN}/{@link #STD}.
 */
public final class ClipModel implements AutoCloseable {

    public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final ClipConfig config;
    private final NDManager manager;
    private final Parameters params;
    private final NDArray tokenEmbedding, positionalEmbedding, textProjection, logitScale, causalMask;
    private final Transformer transformer;
    private final LayerNorm lnFinal;
    private final ModifiedResNet resnet;
    private final VisionTransformer vit;

    private ClipModel(ClipConfig config, NDManager manager) {
        this.config = config;
        this.manager = manager;
        this.params = new Parameters(manager, 0);
        int w = config.transformerWidth();
        transformer = new Transformer(params, "transformer", w, config.transformerLayers(), config.transformerHeads());
        tokenEmbedding = params.uniform("token_embedding.weight", new Shape(config.vocabSize(), w), 0.02);
        positionalEmbedding = params.uniform("positional_embedding", new Shape(config.contextLength(), w), 0.01);
        lnFinal = new LayerNorm(params, "ln_final", w);
        textProjection = params.uniform("text_projection", new Shape(w, config.embedDim()), Math.pow(w, -0.5));
        logitScale = params.constant("logit_scale", new Shape(), (float) Math.log(1 / 0.07));
        resnet = config.isVit() ? null : new ModifiedResNet(params, config);
        vit = config.isVit() ? new VisionTransformer(params, config) : null;
        int ctx = config.contextLength();
        float[] mask = new float[ctx * ctx];
        for (int i = 0; i < ctx; i++) for (int j = i + 1; j < ctx; j++) mask[i * ctx + j] = Float.NEGATIVE_INFINITY;
        causalMask = manager.create(mask, new Shape(ctx, ctx));
    }

    /**
     * Loads CLIP weights (a file, or a directory holding one: {@link StateDicts#weightsFile}), chosen by file
     * content: a safetensors state_dict (open_clip / Lucid), or a PyTorch zip archive — OpenAI's TorchScript
     * {@code .pt} files included, read with {@link TorchArchive} so the ResNet BatchNorm buffers come along;
     * fp16 weights are converted to float32. The architecture comes from the tensor shapes, overridden by a
     * {@code config.json} beside the file when present. Fails naming missing/unexpected keys or wrong shapes.
     */
    public static ClipModel load(Path weightsOrDirectory) throws IOException {
        return load(weightsOrDirectory, list -> list);
    }

    /**
     * DA-CLIP's image controller (Luo et al., "Controlling Vision-Language Models for Multi-Task Image Restoration",
     * ICLR 2024) as a CLIP model whose {@link #encodeImage} is the controller's degradation embedding. A DA-CLIP
     * checkpoint holds the frozen CLIP under {@code clip.} and the controller, a copy of CLIP's image tower, under
     * {@code visual_control.}, its transformer wrapped ({@code visual_control.transformer.transformer.}) beside zero-initialised
     * linear layers ({@code zero_modules}) that only steer CLIP's own image features. The degradation embedding is the
     * controller's pooled, projected output, which those layers do not touch, so it is CLIP's image tower on the
     * controller's weights: the text tower comes from {@code clip.}, the image tower from {@code visual_control.}. A
     * training checkpoint's {@code state_dict} and DDP's {@code module.} prefix are looked through; the rest (the
     * optimiser's state, the aliases {@code visual.} and {@code logit_scale}) is left out.
     */
    public static ClipModel loadDaClipController(Path weightsOrDirectory) throws IOException {
        return load(weightsOrDirectory, ClipModel::daClipControllerAsClip);
    }

    private static NDList daClipControllerAsClip(NDList checkpoint) {
        NDList clip = new NDList();
        boolean controller = false;
        for (NDArray a : checkpoint) {
            String name = a.getName();
            for (String wrapper : new String[] {"state_dict.", "module."}) {      // open_clip's training checkpoint, DDP
                if (name.startsWith(wrapper)) name = name.substring(wrapper.length());
            }
            String renamed = null;
            if (name.startsWith("clip.") && !name.startsWith("clip.visual.")) {
                renamed = name.substring("clip.".length());
            } else if (name.startsWith("visual_control.") && !name.contains(".zero_modules.")) {
                renamed = "visual." + name.substring("visual_control.".length()).replace("transformer.transformer.", "transformer.");
                controller |= renamed.equals("visual.proj");
            }
            if (renamed != null) {
                a.setName(renamed);
                clip.add(a);
            }
        }
        if (!controller) throw new IllegalArgumentException("not a DA-CLIP checkpoint with a ViT image controller: no tensor \"visual_control.proj\"");
        return clip;
    }

    private static ClipModel load(Path weightsOrDirectory, java.util.function.UnaryOperator<NDList> asClip) throws IOException {
        Path weights = StateDicts.weightsFile(weightsOrDirectory);
        NDManager manager = NDManager.newBaseManager();
        try (NDManager scratch = manager.newSubManager()) {
            NDList list = asClip.apply(readStateDict(weights, scratch));
            Map<String, NDArray> sd = new HashMap<>();
            for (NDArray a : list) sd.put(a.getName(), a);
            Path configFile = weights.resolveSibling("config.json");
            JsonNode overrides = Files.isRegularFile(configFile) ? new ObjectMapper().readTree(configFile.toFile()) : null;
            ClipModel model = new ClipModel(ClipConfig.infer(sd, overrides), manager);
            model.params.load(list);
            return model;
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw new IOException("cannot load CLIP weights " + weights + ": " + e.getMessage(), e);
        }
    }

    private static NDList readStateDict(Path weights, NDManager scratch) throws IOException {
        NDList state = new NDList();
        for (NDArray a : StateDicts.read(weights, scratch)) {
            if (!a.getName().endsWith("attn_mask")) state.add(a); // TorchScript keeps the causal mask as an attribute; it is rebuilt
        }
        return state;
    }

    public ClipConfig config() { return config; }

    public NDManager manager() { return manager; }

    /** tokens [N, context] (int64, from ClipTokenizer) → [N, embed], not normalised. */
    public NDArray encodeText(NDArray tokens) {
        return Tensors.freeingIntermediates(() -> {
            long n = tokens.getShape().get(0);
            NDArray x = tokenEmbedding.get(tokens.toType(DataType.INT64, false)).add(positionalEmbedding);   // [N, L, W]
            x = transformer.forward(x.transpose(1, 0, 2), causalMask).transpose(1, 0, 2);
            x = lnFinal.forward(x);
            NDArray end = tokens.argMax(1);                                                                 // the end token has the highest id
            NDArray rows = x.getManager().arange(0L, n, 1L, DataType.INT64);
            NDArray picked = x.get(new ai.djl.ndarray.index.NDIndex("{}, {}", rows, end));                // [N, W]
            return picked.matMul(textProjection);
        });
    }

    /** image [N, 3, R, R] normalised → [N, embed], not normalised. */
    public NDArray encodeImage(NDArray image) {
        return Tensors.freeingIntermediates(() -> vit != null ? vit.forward(image) : resnet.forward(image));
    }

    /**
     * CLIP's image preprocessing: shorter side resized to the model's resolution (bicubic, Java2D's kernel
     * rather than PIL's), centre crop, per-channel normalisation → [1, 3, R, R] in this model's manager scope
     * {@code scope}. Gray images are replicated to RGB.
     */
    public NDArray preprocess(dev.lucid.image.Image image, NDManager scope) {
        int r = config.imageResolution();
        double scale = (double) r / Math.min(image.width(), image.height());
        int w = Math.max(r, (int) Math.round(image.width() * scale)), h = Math.max(r, (int) Math.round(image.height() * scale));
        java.awt.image.BufferedImage src = dev.lucid.image.ImageFiles.toBufferedImage(image, 8, false);
        java.awt.image.BufferedImage resized = new java.awt.image.BufferedImage(r, r, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = resized.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, -(w - r) / 2, -(h - r) / 2, w, h, null);
        g.dispose();
        float[] chw = new float[3 * r * r];
        int[] rgb = resized.getRGB(0, 0, r, r, null, 0, r);
        for (int i = 0; i < rgb.length; i++) {
            for (int c = 0; c < 3; c++) {
                float v = ((rgb[i] >> (16 - 8 * c)) & 0xff) / 255f;
                chw[c * r * r + i] = (v - MEAN[c]) / STD[c];
            }
        }
        return scope.create(chw, new Shape(1, 3, r, r));
    }

    /** The dense ResNet taps (stem, layer1..4), for encoders such as CLIPDenoising's; ResNet models only. */
    public Features resnetFeatures(NDArray image) {
        if (resnet == null) throw new IllegalStateException("dense features need a CLIP ResNet (RN50, RN101, ...), this is a ViT");
        return resnet.features(image);
    }

    /** logit_scale.exp() · cos(image, text): [N_images, N_texts]. */
    public NDArray logitsPerImage(NDArray imageEmbeds, NDArray textEmbeds) {
        NDArray a = imageEmbeds.div(imageEmbeds.norm(new int[] {1}, true));
        NDArray b = textEmbeds.div(textEmbeds.norm(new int[] {1}, true));
        return a.matMul(b.transpose()).mul(logitScale.exp());
    }

    @Override
    public void close() { manager.close(); }
}
