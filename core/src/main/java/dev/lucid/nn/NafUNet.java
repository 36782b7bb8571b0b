package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A NAFNet-style UNet: 3×3 intro, encoder levels of {@link NafBlock}s with 2×2 stride-2 downsampling,
 * middle blocks, decoder levels with 1×1 + pixel-shuffle upsampling and additive skips, 3×3 ending, and a
 * global residual (the network predicts the correction to its input). Few channels at full resolution
 * and doubling channels per level keep the cost per pixel low on a CPU.
 */
public final class NafUNet implements ImageNetwork {

    /** Architecture hyper-parameters, as stored in model.json ("architecture"). */
    public record Config(int channels, int width, int[] encoderBlocks, int middleBlocks, int[] decoderBlocks) {
        public Config {
            if (encoderBlocks.length != decoderBlocks.length) throw new IllegalArgumentException("encoder and decoder need the same number of levels");
            if (channels < 1 || width < 1) throw new IllegalArgumentException("channels and width must be positive");
        }
    }

    private final Config config;
    private final Conv2d intro, ending;
    private final List<List<NafBlock>> encoders = new ArrayList<>();
    private final List<Conv2d> downs = new ArrayList<>();
    private final List<NafBlock> middle = new ArrayList<>();
    private final List<Conv2d> ups = new ArrayList<>();
    private final List<List<NafBlock>> decoders = new ArrayList<>();
    private final long macsPerPixel;

    public NafUNet(Parameters p, Config config) {
        this.config = config;
        int c = config.width();
        double macs = 0;
        double scale = 1;                                   // pixels at this level per input pixel
        intro = new Conv2d(p, "intro", config.channels(), c, 3);
        macs += intro.macsPerOutputPixel;
        for (int level = 0; level < config.encoderBlocks().length; level++) {
            List<NafBlock> blocks = new ArrayList<>();
            for (int b = 0; b < config.encoderBlocks()[level]; b++) {
                NafBlock block = new NafBlock(p, "encoders." + level + "." + b, c);
                macs += block.macsPerPixel() * scale;
                blocks.add(block);
            }
            encoders.add(blocks);
            Conv2d down = new Conv2d(p, "downs." + level, c, 2 * c, 2, 2, 1);
            scale /= 4;
            macs += down.macsPerOutputPixel * scale;
            downs.add(down);
            c *= 2;
        }
        for (int b = 0; b < config.middleBlocks(); b++) {
            NafBlock block = new NafBlock(p, "middle." + b, c);
            macs += block.macsPerPixel() * scale;
            middle.add(block);
        }
        for (int level = config.decoderBlocks().length - 1; level >= 0; level--) {
            Conv2d up = new Conv2d(p, "ups." + level, c, 2 * c, 1);
            macs += up.macsPerOutputPixel * scale;
            ups.add(up);
            c /= 2;
            scale *= 4;
            List<NafBlock> blocks = new ArrayList<>();
            for (int b = 0; b < config.decoderBlocks()[level]; b++) {
                NafBlock block = new NafBlock(p, "decoders." + level + "." + b, c);
                macs += block.macsPerPixel() * scale;
                blocks.add(block);
            }
            decoders.add(blocks);
        }
        ending = new Conv2d(p, "ending", c, config.channels(), 3);
        macs += ending.macsPerOutputPixel;
        this.macsPerPixel = Math.round(macs);
    }

    public Config config() { return config; }

    @Override
    public int sizeMultiple() { return 1 << config.encoderBlocks().length; }

    @Override
    public long macsPerPixel() { return macsPerPixel; }

    @Override
    public NDArray forward(NDArray input) {
        NDArray x = intro.forward(input);
        List<NDArray> skips = new ArrayList<>();
        for (int level = 0; level < encoders.size(); level++) {
            for (NafBlock block : encoders.get(level)) x = block.forward(x);
            skips.add(x);
            x = downs.get(level).forward(x);
        }
        for (NafBlock block : middle) x = block.forward(x);
        for (int i = 0; i < decoders.size(); i++) {
            x = pixelShuffle(ups.get(i).forward(x)).add(skips.get(skips.size() - 1 - i));
            for (NafBlock block : decoders.get(i)) x = block.forward(x);
        }
        return input.add(ending.forward(x));
    }

    /** [N, 4C, H, W] → [N, C, 2H, 2W], with PyTorch's channel order (c·4 + dy·2 + dx). */
    static NDArray pixelShuffle(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1) / 4, h = s.get(2), w = s.get(3);
        return x.reshape(n, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, 2 * h, 2 * w);
    }
}
