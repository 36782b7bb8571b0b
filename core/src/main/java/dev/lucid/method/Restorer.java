package dev.lucid.method;

import dev.lucid.Progress;
import dev.lucid.image.Image;
import dev.lucid.model.ModelCard;
import java.util.Set;

/**
 * The one interface the CLI, the server, the library and the Spark job call: an image and its guidance in, a
 * restored image of the same size, depth and alpha out. A restorer holds native memory; close it when done.
 * Lucid's model restorers may be called from several threads at once (one copy of the weights serves them
 * all); peers document their own rule.
 */
public interface Restorer extends AutoCloseable {

    /** @throws Guidance.UnsupportedGuidanceException when the guidance holds a kind {@link #accepts()} lacks */
    Image restore(Image input, Guidance guidance, Progress progress);

    default Image restore(Image input, Guidance guidance) { return restore(input, guidance, Progress.NONE); }

    default Image restore(Image input) { return restore(input, Guidance.none(), Progress.NONE); }

    /**
     * The noise level the model estimates for each pixel and channel (σ on the [0, 1] intensity scale, as an image
     * of the input's size), for models with a noise estimator; empty for the others.
     */
    default java.util.Optional<Image> noiseMap(Image input, Progress progress) { return java.util.Optional.empty(); }

    /** The pixel-shuffle stride this image is restored at (see {@link dev.lucid.image.PixelShuffle}); 1 for whole images. */
    default int pdStride(Image input) { return 1; }

    /** Why a prompt does not fit the model's text encoder whole (it is cut to fit); empty when it fits or the model takes no text. */
    default java.util.Optional<String> promptWarning(String prompt) { return java.util.Optional.empty(); }

    /** The task a multi-task model reads from the image (what {@code --task auto} restores); empty for the others. */
    default java.util.Optional<TaskReading> readTask(Image input) { return java.util.Optional.empty(); }

    /** The kinds of guidance this restorer uses. */
    Set<Guidance.Kind> accepts();

    ModelCard card();

    @Override
    void close();
}
