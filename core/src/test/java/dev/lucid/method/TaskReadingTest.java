package dev.lucid.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskReadingTest {

    private static Map<String, Double> probabilities(double denoise, double dehaze, double none) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("denoise", denoise);
        p.put("dehaze", dehaze);
        p.put("none", none);
        return p;
    }

    @Test
    void theMostProbableTaskIsAppliedOnlyIfTheModelAppliesItOnItsOwn() {
        Set<String> automatic = Set.of("denoise");
        TaskReading noisy = new TaskReading(probabilities(0.7, 0.2, 0.1), automatic);
        assertEquals("denoise", noisy.task());
        assertEquals(0.7, noisy.probability());
        assertEquals("denoise", noisy.applied());

        TaskReading hazy = new TaskReading(probabilities(0.2, 0.7, 0.1), automatic);
        assertEquals("dehaze", hazy.task(), "read and reported");
        assertEquals("none", hazy.applied(), "but not applied: the image is left unchanged");

        assertEquals("none", new TaskReading(probabilities(0.1, 0.2, 0.7), automatic).applied(), "nothing found, nothing done");
        assertEquals("dehaze", new TaskReading(probabilities(0.2, 0.7, 0.1)).applied(), "by default every task is applied");
        assertThrows(IllegalArgumentException.class, () -> new TaskReading(Map.of(), Set.of()));
    }
}
