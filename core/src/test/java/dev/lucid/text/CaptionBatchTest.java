package dev.lucid.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class CaptionBatchTest {

    @Test
    void aShiftMovesTheCaptionsAndLeavesMissingOnesToTheNullEmbedding() {
        try (NDManager m = NDManager.newBaseManager()) {
            CaptionBatch batch = CaptionBatch.repeat(m, new float[] {1f, 0f, 0f}, 3, 2);
            CaptionBatch missing = CaptionBatch.repeat(m, null, 3, 2);
            NDArray offset = m.create(new float[] {0.5f, -0.5f, 0.25f, 0f, 0f, 1f}, new Shape(2, 3));
            NDArray nullVector = m.create(new float[] {7f, 8f, 9f}, new Shape(1, 3));
            assertArrayEquals(new float[] {1.5f, -0.5f, 0.25f, 1f, 0f, 1f}, batch.shifted(offset).withNull(nullVector).toFloatArray());
            assertArrayEquals(new float[] {7f, 8f, 9f, 7f, 8f, 9f}, missing.shifted(offset).withNull(nullVector).toFloatArray(),
                    "a sample without a caption gets the learned null embedding, not a shifted zero");
            assertEquals(2, batch.shifted(offset).missing().length);
        }
    }
}
