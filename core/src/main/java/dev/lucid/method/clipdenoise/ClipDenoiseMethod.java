package dev.lucid.method.clipdenoise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.method.Method;
import dev.lucid.method.MethodProvider;
import dev.lucid.method.SharedParts;
import dev.lucid.method.direct.DirectMethod;
import dev.lucid.nn.Parameters;

/**
 * CLIPDenoising (seed 001), method "clip-denoise": a {@link ClipDenoiseNet} trained and run as a single pass; its
 * frozen encoder gets no optimiser and progressive feature augmentation runs in its training forward.
 */
public final class ClipDenoiseMethod implements MethodProvider {

    @Override public String type() { return "clip-denoise"; }

    @Override
    public Method build(Parameters parameters, JsonNode root, SharedParts shared) {
        JsonNode architecture = architecture(root, "clip_denoise");
        return new DirectMethod(new ClipDenoiseNet(parameters, architecture));
    }
}
