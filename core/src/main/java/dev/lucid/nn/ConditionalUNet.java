package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The UNet of Lucid's diffusion models, f(x_t, t, cond): sinusoidal time embedding → MLP; an optional global
 * conditioning vector (text or degradation embedding) through a 2-layer MLP added to the time embedding, as
 * Tell-Me adds its caption embedding; optional
 * image conditioning concatenated to x_t at the input; residual blocks (LayerNorm, SiLU, 3×3 conv, time
 * embedding added per channel); 2×2 stride-2 downsampling and pixel-shuffle upsampling with concatenated
 * skips; optional cross-attention from the bottom features to a context sequence. Sizes come from config.
 */
public final class ConditionalUNet implements NetworkShape {

    /** Hyper-parameters, from the "architecture" object of a model card or training config. */
    public record Config(int channels, int conditionChannels, int width, int[] multipliers, int blocksPerLevel,
                         int globalDim, int contextDim, int heads) {

        public static Config from(JsonNode a) {
            JsonNode m = a.path("multipliers");
            int[] mult = new int[m.size()];
            for (int i = 0; i < mult.length; i++) mult[i] = m.get(i).asInt();
            if (mult.length == 0) throw new IllegalArgumentException("architecture lacks \"multipliers\"");
            return new Config(a.path("channels").asInt(3), a.path("condition_channels").asInt(0), a.path("width").asInt(32), mult,
                    a.path("blocks_per_level").asInt(1), a.path("global_dim").asInt(0), a.path("context_dim").asInt(0), a.path("heads").asInt(1));
        }
    }

    private final Config config;
    private final int timeDim;
    private final Linear time1, time2, global1, global2;
    private final NDArray globalNull, contextNull;         // learned "no caption" inputs
    private final Conv2d intro, ending;
    private final List<List<ResBlock>> down = new ArrayList<>(), up = new ArrayList<>();
    private final List<Conv2d> downsample = new ArrayList<>(), upsample = new ArrayList<>();
    private final ResBlock mid1, mid2;
    private final CrossAttention cross;
    private final LayerNorm2d outNorm;
    private final long macsPerPixel;

    public ConditionalUNet(Parameters p, Config c) {
        this.config = c;
        int w = c.width();
        double macs = 0, scale = 1;                       // convolution MACs per input pixel; scale = pixels at this level
        timeDim = 4 * w;
        time1 = new Linear(p, "time.0", w, timeDim, true);
        time2 = new Linear(p, "time.2", timeDim, timeDim, true);
        global1 = c.globalDim() > 0 ? new Linear(p, "global.0", c.globalDim(), timeDim, true) : null;
        global2 = c.globalDim() > 0 ? new Linear(p, "global.2", timeDim, timeDim, true) : null;
        // small random starts, so an untrained null differs from a zero vector; training (with captions
        // dropped at random) makes it the network's own "unconditioned" input
        globalNull = c.globalDim() > 0 ? p.uniform("global_null", new Shape(1, c.globalDim()), 0.02) : null;
        contextNull = c.contextDim() > 0 ? p.uniform("context_null", new Shape(1, 1, c.contextDim()), 0.02) : null;
        intro = new Conv2d(p, "intro", c.channels() + c.conditionChannels(), w, 3);
        macs += intro.macsPerOutputPixel;
        List<Integer> skipChannels = new ArrayList<>();
        int ch = w;
        for (int level = 0; level < c.multipliers().length; level++) {
            int out = w * c.multipliers()[level];
            List<ResBlock> blocks = new ArrayList<>();
            for (int b = 0; b < c.blocksPerLevel(); b++) {
                ResBlock block = new ResBlock(p, "down." + level + "." + b, ch, out, timeDim);
                macs += block.macs() * scale;
                blocks.add(block);
                ch = out;
            }
            down.add(blocks);
            skipChannels.add(ch);
            if (level + 1 < c.multipliers().length) {
                Conv2d d = new Conv2d(p, "downsample." + level, ch, ch, 2, 2, 1);
                scale /= 4;
                macs += d.macsPerOutputPixel * scale;
                downsample.add(d);
            }
        }
        mid1 = new ResBlock(p, "mid.0", ch, ch, timeDim);
        cross = c.contextDim() > 0 ? new CrossAttention(p, "mid.cross", ch, c.contextDim(), c.heads()) : null;
        mid2 = new ResBlock(p, "mid.1", ch, ch, timeDim);
        macs += (mid1.macs() + mid2.macs()) * scale;
        for (int level = c.multipliers().length - 1; level >= 0; level--) {
            int out = w * c.multipliers()[level];
            List<ResBlock> blocks = new ArrayList<>();
            for (int b = 0; b < c.blocksPerLevel(); b++) {
                int in = b == 0 ? ch + skipChannels.get(level) : ch;
                ResBlock block = new ResBlock(p, "up." + level + "." + b, in, out, timeDim);
                macs += block.macs() * scale;
                blocks.add(block);
                ch = out;
            }
            up.add(blocks);
            if (level > 0) {
                Conv2d u = new Conv2d(p, "upsample." + level, ch, 4 * ch, 1);
                macs += u.macsPerOutputPixel * scale;
                upsample.add(u);
                scale *= 4;
            }
        }
        outNorm = new LayerNorm2d(p, "out_norm", ch);
        ending = new Conv2d(p, "ending", ch, c.channels(), 3);
        macsPerPixel = Math.round(macs + ending.macsPerOutputPixel);
    }

    /** Convolution multiply-accumulates per pixel of one evaluation (attention not counted). */
    @Override
    public long macsPerPixel() { return macsPerPixel; }

    @Override
    public int channels() { return config.channels(); }

    public Config config() { return config; }

    @Override
    public int sizeMultiple() { return 1 << (config.multipliers().length - 1); }

    /**
     * 256² tiles: on a CPU, 512² tiles run 4 times slower and take 3 times the memory (tellme-raw on a 3 MP DNG, one
     * thread: 512² 154 s and 4.29 GB peak RSS, 256² 39 s and 1.51 GB, 128² 42 s and 0.79 GB), the full-resolution
     * activations of a 512² tile no longer fitting in cache.
     */
    @Override
    public int maxTile() { return 256; }

    /**
     * @param x       [N, channels, H, W] state
     * @param t       diffusion steps, one per sample (any real scale, e.g. 0..T)
     * @param image   [N, condition_channels, H, W] or null
     * @param vector  [N, global_dim], or null for "no caption": the learned null vector is used
     * @param context [N, L, context_dim], or null for "no caption": a learned one-token null context is used
     */
    public NDArray forward(NDArray x, float[] t, NDArray image, NDArray vector, NDArray context) {
        return Tensors.freeingIntermediates(() -> {
            NDManager m = x.getManager();
            NDArray emb = time2.forward(silu(time1.forward(sinusoidal(m, t, config.width()))));
            if (global1 != null) emb = emb.add(global2.forward(silu(global1.forward(vector != null ? vector : globalNull))));
            NDArray embAct = silu(emb);
            NDArray h = intro.forward(image != null ? NDArrays.concat(new NDList(x, image), 1) : x);
            List<NDArray> skips = new ArrayList<>();
            for (int level = 0; level < down.size(); level++) {
                for (ResBlock b : down.get(level)) h = b.forward(h, embAct);
                skips.add(h);
                if (level < downsample.size()) h = downsample.get(level).forward(h);
            }
            h = mid1.forward(h, embAct);
            if (cross != null) h = cross.forward(h, context != null ? context : contextNull.repeat(0, h.getShape().get(0)));
            h = mid2.forward(h, embAct);
            for (int i = 0; i < up.size(); i++) {
                h = NDArrays.concat(new NDList(h, skips.get(skips.size() - 1 - i)), 1);
                for (ResBlock b : up.get(i)) h = b.forward(h, embAct);
                if (i < upsample.size()) h = UNet.pixelShuffle(upsample.get(i).forward(h));
            }
            return ending.forward(silu(outNorm.forward(h)));
        });
    }

    /** The global vectors of a batch, with the learned null vector in the rows of samples without a caption. */
    public NDArray globalVectors(dev.lucid.text.CaptionBatch captions) { return captions.withNull(globalNull); }

    /** Transformer-style sinusoidal embedding of t: [N, dim] = [sin(t·f_k), cos(t·f_k)], f_k = 10000^(−k/(dim/2)). */
    static NDArray sinusoidal(NDManager m, float[] t, int dim) {
        int half = dim / 2;
        float[] v = new float[t.length * dim];
        for (int n = 0; n < t.length; n++) {
            for (int k = 0; k < half; k++) {
                double f = Math.exp(-Math.log(10000) * k / half);
                v[n * dim + k] = (float) Math.sin(t[n] * f);
                v[n * dim + half + k] = (float) Math.cos(t[n] * f);
            }
        }
        return m.create(v, new Shape(t.length, dim));
    }

    static NDArray silu(NDArray x) { return x.mul(Activation.sigmoid(x)); }

    /** LN → SiLU → conv → + time → LN → SiLU → conv, plus a 1×1 shortcut when channels change. */
    private static final class ResBlock {
        private final LayerNorm2d norm1, norm2;
        private final Conv2d conv1, conv2, shortcut;
        private final Linear time;

        ResBlock(Parameters p, String name, int in, int out, int timeDim) {
            norm1 = new LayerNorm2d(p, name + ".norm1", in);
            conv1 = new Conv2d(p, name + ".conv1", in, out, 3);
            time = new Linear(p, name + ".time", timeDim, out, true);
            norm2 = new LayerNorm2d(p, name + ".norm2", out);
            conv2 = new Conv2d(p, name + ".conv2", out, out, 3);
            shortcut = in != out ? new Conv2d(p, name + ".shortcut", in, out, 1) : null;
        }

        long macs() {
            return conv1.macsPerOutputPixel + conv2.macsPerOutputPixel + (shortcut != null ? shortcut.macsPerOutputPixel : 0);
        }

        NDArray forward(NDArray x, NDArray emb) {
            NDArray h = conv1.forward(silu(norm1.forward(x)));
            NDArray t = time.forward(emb);
            h = h.add(t.reshape(t.getShape().get(0), t.getShape().get(1), 1, 1));
            h = conv2.forward(silu(norm2.forward(h)));
            return (shortcut != null ? shortcut.forward(x) : x).add(h);
        }
    }

    /** Steps as floats for {@link #forward}. */
    public static float[] steps(int n, int t) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, t);
        return v;
    }

}
