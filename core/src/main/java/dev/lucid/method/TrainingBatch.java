package dev.lucid.method;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What one training step sees, on the step's NDManager: degraded input and clean target [N, C, H, W], and per
 * sample the caption (null when the sample has none or caption dropout removed it), whether dropout removed it,
 * the task label, the sensor metadata of packed raw samples (null for sRGB), and a reference image [N, C, H, W]
 * for methods that learn from one (null otherwise).
 */
public record TrainingBatch(NDArray noisy, NDArray clean, List<String> captions, List<Boolean> captionDropped, List<String> tasks,
                            List<dev.lucid.image.RawInfo> raw, NDArray reference) {

    public int size() { return (int) noisy.getShape().get(0); }
}
