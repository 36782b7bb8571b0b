package dev.lucid.method;

import dev.lucid.Progress;
import dev.lucid.image.Image;
import dev.lucid.model.ModelCard;

/**
 * The one interface the CLI, the server, the library and the Spark job call: an image (and optional
 * guidance) in, a restored image of the same size, depth and alpha out. A restorer holds native memory;
 * close it when done. One restorer may be used by one thread at a time.
 */
public interface Restorer extends AutoCloseable {

    Image restore(Image input, Guidance guidance, Progress progress);

    default Image restore(Image input) { return restore(input, Guidance.none(), Progress.NONE); }

    ModelCard card();

    @Override
    void close();
}
