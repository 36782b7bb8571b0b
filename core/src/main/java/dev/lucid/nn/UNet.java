package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The UNet of Lucid's single-pass denoisers: 3×3 intro, encoder levels of blocks with 2×2 stride-2
 * downsampling, middle blocks, decoder levels with 1×1 + pixel-shuffle upsampling (a 2×2 stride-2 transposed
 * convolution) and additive skips, 3×3 ending, and a global residual: the network predicts the correction to
 * its input. With {@code halfResolution} the network works on the 2×2 pixel phases of its input folded into channels
 * (pixel-unshuffle, FFDNet's layout) and unfolds its correction at the end: a quarter of the pixels at 4× the channels,
 * which a CPU's dense convolutions run at more multiply-accumulates per second than 16 channels at full resolution.
 * What differs between architectures is the block and whether convolutions carry biases:
 * <ul>
 * <li>"nafunet": {@link NafBlock}s, widths doubling per level, biases (NAFNet, Chen et al. 2022);</li>
 * <li>"resunet": conv–ReLU–conv {@link ResBlock}s, no biases, no normalisation (DRUNet's layout, Zhang et al.
 * 2021, without its noise-level input), and an ending that starts at zero so a new network is the identity.
 * Only dense 3×3 convolutions do real work, and on a CPU those run 10–25× more multiply-accumulates per
 * second than NAFNet's depthwise and 1×1 convolutions (see models/lucid-real-v1/README.md).</li>
 * </ul>
 */
public final class UNet implements ImageNetwork {

    /** A block that keeps its channel count. */
    public interface Block {
        NDArray forward(NDArray x);

        /** Multiply-accumulates per pixel at the block's resolution. */
        long macsPerPixel();
    }

    public interface BlockFactory {
        Block create(Parameters p, String name, int channels);
    }

    /**
     * Architecture hyper-parameters; {@code widths} has one entry per level (encoder levels + the middle).
     * {@code inputChannels} ≥ {@code channels}: extra input planes (a condition, a time map) ride along after
     * the image, and the output is the first {@code channels} input planes plus the correction.
     */
    public record Config(int channels, int inputChannels, int[] widths, int[] encoderBlocks, int middleBlocks, int[] decoderBlocks,
                         boolean halfResolution) {
        public Config(int channels, int inputChannels, int[] widths, int[] encoderBlocks, int middleBlocks, int[] decoderBlocks) {
            this(channels, inputChannels, widths, encoderBlocks, middleBlocks, decoderBlocks, false);
        }

        public Config {
            if (inputChannels < channels) throw new IllegalArgumentException("input_channels must be at least channels");
            if (encoderBlocks.length != decoderBlocks.length) throw new IllegalArgumentException("encoder and decoder need the same number of levels");
            if (widths.length != encoderBlocks.length + 1) throw new IllegalArgumentException("widths needs one entry per level: " + (encoderBlocks.length + 1));
            if (channels < 1 || Arrays.stream(widths).anyMatch(w -> w < 1)) throw new IllegalArgumentException("channels and widths must be positive");
        }

        /** Widths w, 2w, 4w, ... for {@code levels} encoder levels and the middle. */
        public static int[] doubling(int width, int levels) {
            int[] w = new int[levels + 1];
            for (int i = 0; i <= levels; i++) w[i] = width << i;
            return w;
        }
    }

    private final Config config;
    private final Conv2d intro, ending;
    private final List<List<Block>> encoders = new ArrayList<>();
    private final List<Conv2d> downs = new ArrayList<>();
    private final List<Block> middle = new ArrayList<>();
    private final List<Conv2d> ups = new ArrayList<>();
    private final List<List<Block>> decoders = new ArrayList<>();
    private final long macsPerPixel;

    /**
     * @param bias           whether the intro, down, up and ending convolutions have biases
     * @param identityAtStart whether the ending starts at zero, so that a new network returns its input
     */
    public UNet(Parameters p, Config config, BlockFactory blockType, boolean bias, boolean identityAtStart) {
        this.config = config;
        int[] w = config.widths();
        int levels = config.encoderBlocks().length;
        double macs = 0;
        int fold = config.halfResolution() ? 4 : 1;         // input pixels folded into one pixel of the first level
        double scale = 1.0 / fold;                          // pixels at this level per input pixel
        intro = new Conv2d(p, "intro", fold * config.inputChannels(), w[0], 3, 1, 1, 1, bias);
        macs += intro.macsPerOutputPixel * scale;
        for (int level = 0; level < levels; level++) {
            List<Block> blocks = blocks(p, "encoders." + level, config.encoderBlocks()[level], w[level], blockType);
            macs += macs(blocks) * scale;
            encoders.add(blocks);
            Conv2d down = new Conv2d(p, "downs." + level, w[level], w[level + 1], 2, 2, 0, 1, bias);
            scale /= 4;
            macs += down.macsPerOutputPixel * scale;
            downs.add(down);
        }
        middle.addAll(blocks(p, "middle", config.middleBlocks(), w[levels], blockType));
        macs += macs(middle) * scale;
        for (int level = levels - 1; level >= 0; level--) {
            Conv2d up = new Conv2d(p, "ups." + level, w[level + 1], 4 * w[level], 1, 1, 0, 1, bias);
            macs += up.macsPerOutputPixel * scale;
            ups.add(up);
            scale *= 4;
            List<Block> blocks = blocks(p, "decoders." + level, config.decoderBlocks()[level], w[level], blockType);
            macs += macs(blocks) * scale;
            decoders.add(blocks);
        }
        ending = new Conv2d(p, "ending", w[0], fold * config.channels(), 3, 1, 1, 1, bias);
        if (identityAtStart) {
            p.asMap().get("ending.weight").muli(0);
            if (bias) p.asMap().get("ending.bias").muli(0);
        }
        macs += ending.macsPerOutputPixel * scale;
        this.macsPerPixel = Math.round(macs);
    }

    private static List<Block> blocks(Parameters p, String prefix, int count, int channels, BlockFactory type) {
        List<Block> blocks = new ArrayList<>();
        for (int b = 0; b < count; b++) blocks.add(type.create(p, prefix + "." + b, channels));
        return blocks;
    }

    private static long macs(List<Block> blocks) {
        return blocks.stream().mapToLong(Block::macsPerPixel).sum();
    }

    public Config config() { return config; }

    @Override
    public int channels() { return config.channels(); }

    @Override
    public int sizeMultiple() { return 1 << (config.encoderBlocks().length + (config.halfResolution() ? 1 : 0)); }

    @Override
    public long macsPerPixel() { return macsPerPixel; }

    @Override
    public NDArray forward(NDArray input) {
        NDArray x = intro.forward(config.halfResolution() ? pixelUnshuffle(input) : input);
        List<NDArray> skips = new ArrayList<>();
        for (int level = 0; level < encoders.size(); level++) {
            for (Block block : encoders.get(level)) x = block.forward(x);
            skips.add(x);
            x = downs.get(level).forward(x);
        }
        for (Block block : middle) x = block.forward(x);
        for (int i = 0; i < decoders.size(); i++) {
            x = pixelShuffle(ups.get(i).forward(x)).add(skips.get(skips.size() - 1 - i));
            for (Block block : decoders.get(i)) x = block.forward(x);
        }
        NDArray image = config.inputChannels() == config.channels() ? input : input.get(":, 0:" + config.channels());
        NDArray correction = ending.forward(x);
        return image.add(config.halfResolution() ? pixelShuffle(correction) : correction);
    }

    /** [N, 4C, H, W] → [N, C, 2H, 2W], with PyTorch's channel order (c·4 + dy·2 + dx). */
    public static NDArray pixelShuffle(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1) / 4, h = s.get(2), w = s.get(3);
        return x.reshape(n, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, 2 * h, 2 * w);
    }

    /** [N, C, 2H, 2W] → [N, 4C, H, W], the inverse of {@link #pixelShuffle}. */
    public static NDArray pixelUnshuffle(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2) / 2, w = s.get(3) / 2;
        return x.reshape(n, c, h, 2, w, 2).transpose(0, 1, 3, 5, 2, 4).reshape(n, 4 * c, h, w);
    }
}
