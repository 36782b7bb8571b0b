package dev.lucid.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.Lucid;
import dev.lucid.image.Tiler;
import dev.lucid.method.Restorer;
import dev.lucid.model.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark peers, usable by the evaluation and benchmark commands wherever a model name is: {@code noisy},
 * {@code opencv-nlm[:H_PER_SIGMA]}, {@code cdncnn-b}, {@code ffdnet} and the dehazing peer {@code dark-channel}. They live outside the library (no
 * OpenCV or research weights in {@code lucid-core}); {@link #load} resolves a peer or a Lucid model. The DnCNN/FFDNet weights are research files from shared/weights
 * (never shipped); their folder comes from {@code -Dlucid.peerWeights}, the LUCID_PEER_WEIGHTS
 * environment variable, or ../shared/weights.
 */
public final class Peers {

    public static final List<String> NAMES = List.of("noisy", "opencv-nlm", "cdncnn-b", "ffdnet", DarkChannelPeer.NAME);

    private Peers() {}

    public static boolean isPeer(String name) {
        return NAMES.contains(name) || name.startsWith("opencv-nlm:");
    }

    /** A peer by name, or else a Lucid model ({@link Lucid#load}). */
    public static Restorer load(String spec, Tiler.Settings tiling) throws IOException {
        return isPeer(spec) ? open(spec, tiling) : Lucid.load(spec, tiling);
    }

    public static Restorer open(String name, Tiler.Settings tiling) throws IOException {
        if (name.equals("noisy")) return new NoisyPeer();
        if (name.equals(DarkChannelPeer.NAME)) return new DarkChannelPeer();
        if (name.equals("opencv-nlm")) return new OpenCvNlmPeer(OpenCvNlmPeer.DEFAULT_H_PER_SIGMA);
        if (name.startsWith("opencv-nlm:")) {
            try {
                return new OpenCvNlmPeer(Double.parseDouble(name.substring("opencv-nlm:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("opencv-nlm:H takes h per unit sigma, e.g. opencv-nlm:0.6", e);
            }
        }
        if (name.equals("cdncnn-b")) {
            return new TorchScriptPeer(name, "CDnCNN-B blind colour DnCNN (Zhang et al. 2017), research weights",
                    weights("dncnn/cdncnn_b_color_blind.torchscript.pt"), false, 1, tiling);
        }
        if (name.equals("ffdnet")) {
            return new TorchScriptPeer(name, "FFDNet colour (Zhang et al. 2018), σ given or estimated, research weights",
                    weights("ffdnet/ffdnet_color.torchscript.pt"), true, 2, tiling);
        }
        throw new IllegalArgumentException("unknown peer " + name + " (peers: " + String.join(", ", NAMES) + ")");
    }

    static Path weights(String relative) throws IOException {
        String configured = System.getProperty("lucid.peerWeights", System.getenv("LUCID_PEER_WEIGHTS"));
        Path root = Path.of(configured != null ? configured : "../shared/weights");
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IOException("peer weights not found: " + file.toAbsolutePath().normalize()
                    + " (set LUCID_PEER_WEIGHTS to the folder holding dncnn/ and ffdnet/)");
        }
        return file;
    }

    static ModelCard card(String name, String description) {
        ObjectNode root = ModelCard.json().createObjectNode();
        root.put("name", name).put("status", "trained").put("description", description).put("peer", true);
        root.putObject("architecture").put("type", "peer:" + name.toLowerCase(Locale.ROOT));
        return new ModelCard(root);
    }
}
