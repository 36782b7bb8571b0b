package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The NAFNet block (Chen et al., "Simple Baselines for Image Restoration", 2022): LayerNorm → 1×1 expand →
 * depthwise 3×3 → SimpleGate → simplified channel attention → 1×1, residual scaled by β; then a gated
 * 1×1 feed-forward, residual scaled by γ. β and γ start at zero, so a new block is the identity.
 */
public final class NafBlock implements UNet.Block {

    private final LayerNorm2d norm1, norm2;
    private final Conv2d expand, depthwise, attention, project, ffnExpand, ffnProject;
    private final NDArray beta, gamma;

    public NafBlock(Parameters p, String name, int c) {
        norm1 = new LayerNorm2d(p, name + ".norm1", c);
        expand = new Conv2d(p, name + ".conv1", c, 2 * c, 1);
        depthwise = new Conv2d(p, name + ".conv2", 2 * c, 2 * c, 3, 1, 2 * c);
        attention = new Conv2d(p, name + ".sca", c, c, 1);
        project = new Conv2d(p, name + ".conv3", c, c, 1);
        norm2 = new LayerNorm2d(p, name + ".norm2", c);
        ffnExpand = new Conv2d(p, name + ".conv4", c, 2 * c, 1);
        ffnProject = new Conv2d(p, name + ".conv5", c, c, 1);
        beta = p.constant(name + ".beta", new Shape(1, c, 1, 1), 0f);
        gamma = p.constant(name + ".gamma", new Shape(1, c, 1, 1), 0f);
    }

    /** The block's intermediates are freed when it returns ({@link Tensors#freeingIntermediates}). */
    @Override
    public NDArray forward(NDArray x) {
        return Tensors.freeingIntermediates(() -> {
            NDArray y = simpleGate(depthwise.forward(expand.forward(norm1.forward(x))));
            y = y.mul(attention.forward(y.mean(new int[] {3}, true).mean(new int[] {2}, true)));
            NDArray x1 = x.add(project.forward(y).mul(beta));
            NDArray z = simpleGate(ffnExpand.forward(norm2.forward(x1)));
            return x1.add(ffnProject.forward(z).mul(gamma));
        });
    }

    /** Convolutions only. */
    @Override
    public long macsPerPixel() {
        return expand.macsPerOutputPixel + depthwise.macsPerOutputPixel + project.macsPerOutputPixel
                + ffnExpand.macsPerOutputPixel + ffnProject.macsPerOutputPixel;
    }

    private static NDArray simpleGate(NDArray x) {
        NDList halves = x.split(2, 1);
        return halves.get(0).mul(halves.get(1));
    }
}
