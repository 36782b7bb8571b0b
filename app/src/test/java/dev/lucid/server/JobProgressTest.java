package dev.lucid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lucid.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class JobProgressTest {

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private static Job job() { return new Job("1-test", null, Path.of("upload"), "upload.png"); }

    @Test
    void aPartOfTheWorkMovesTheJobThroughItsShareOnly() {
        Job job = job();
        Progress whole = new JobQueue.JobProgress(job, NO_DEADLINE, Duration.ofMinutes(1), 0, 1);
        Progress subImage = whole.part("copy", 1, 2).part("sub-image", 3, 4);
        subImage.begin("tiles", 10);
        subImage.advance(5);
        // copy 2 of 2 starts at 0.5 and has 0.5; its sub-image 4 of 4 starts at 0.875 of that and has 0.125, half done
        assertEquals(0.5 + 0.5 * (0.75 + 0.25 * 0.5), job.progress, 1e-12);
        Progress first = whole.part("copy", 0, 2).part("sub-image", 0, 4);
        first.begin("tiles", 4);
        first.advance(4);
        assertEquals(0.125, job.progress, 1e-12);
        whole.begin("tiles", 3);
        whole.advance(3);
        assertEquals(0.999, job.progress, 1e-12, "done only when the result is written");
    }

    @Test
    void cancellationAndTheTimeLimitStopAtTheNextTile() {
        Job job = job();
        Progress part = new JobQueue.JobProgress(job, NO_DEADLINE, Duration.ofMinutes(1), 0, 1).part("copy", 0, 8);
        part.begin("tiles", 2);
        part.advance(1);
        job.cancelRequested = true;
        assertEquals("cancelled", assertThrows(CancellationException.class, () -> part.advance(1)).getMessage());
        Progress late = new JobQueue.JobProgress(job(), System.nanoTime() - 1, Duration.ofSeconds(30), 0, 1).part("sub-image", 2, 4);
        late.begin("tiles", 2);
        assertEquals("timed out after 30.0 s", assertThrows(CancellationException.class, () -> late.advance(1)).getMessage());
    }
}
