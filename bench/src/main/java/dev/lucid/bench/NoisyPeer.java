package dev.lucid.bench;

import dev.lucid.Progress;
import dev.lucid.image.Image;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.model.ModelCard;
import java.util.Set;

/** The "noisy" peer: returns its input, the baseline every denoiser must beat. */
final class NoisyPeer implements Restorer {

    @Override
    public Image restore(Image input, Guidance guidance, Progress progress) { return input; }

    @Override
    public Set<Guidance.Kind> accepts() { return Set.of(); }

    @Override
    public ModelCard card() { return Peers.card("noisy", "the noisy input itself (baseline)"); }

    @Override
    public void close() {}
}
