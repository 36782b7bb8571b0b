package dev.lucid.server;

import dev.lucid.JavaHeap;
import dev.lucid.Progress;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.ImageFormatException;
import dev.lucid.method.Restorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs jobs on a fixed number of workers with a bounded wait queue (a full queue refuses the job: HTTP 429), so
 * memory is bounded by workers × tile, and uploads wait on disk, not in the heap. Cancellation and the time limit
 * are checked between tiles: a cancelled or timed-out job frees its worker at the next tile. Finished results are
 * kept for a while, then deleted (their jobs answer 410).
 */
final class JobQueue implements AutoCloseable {

    private final ServerSettings settings;
    private final ModelPool models;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService cleaner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lucid-result-cleaner"));
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    JobQueue(ServerSettings settings, ModelPool models) {
        this.settings = settings;
        this.models = models;
        BlockingQueue<Runnable> waiting = settings.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.queue());
        AtomicLong threads = new AtomicLong();
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS, waiting,
                r -> daemon(r, "lucid-worker-" + threads.incrementAndGet()));
        cleaner.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A fresh job id: unguessable enough for a job, never a path. */
    String newId() {
        return Long.toString(counter.incrementAndGet(), 36) + "-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    }

    Path spool() { return settings.spool(); }

    Job get(String id) { return jobs.get(id); }

    int size() { return jobs.size(); }

    /** @throws RejectedExecutionException when every worker is busy and the queue is full */
    void submit(Job job) {
        jobs.put(job.id, job);
        try {
            job.future = workers.submit(() -> run(job));
        } catch (RejectedExecutionException e) {
            jobs.remove(job.id);
            deleteQuietly(job.upload);
            throw e;
        }
    }

    /** Drops a finished job and its result (a synchronous restoration, answered already). */
    void forget(Job job) {
        jobs.remove(job.id);
        if (job.result != null) deleteQuietly(job.result);
    }

    /** Cancels a job: a queued one never starts, a running one stops at its next tile. */
    void cancel(Job job) {
        job.cancelRequested = true;
        if (job.state == Job.State.QUEUED && job.future != null && job.future.cancel(false)) finish(job, Job.State.CANCELLED, "cancelled", 0);
    }

    private void run(Job job) {
        if (job.cancelRequested) {
            finish(job, Job.State.CANCELLED, "cancelled", 0);
            return;
        }
        job.started = Instant.now();
        job.state = Job.State.RUNNING;
        long deadline = System.nanoTime() + settings.jobTimeout().toNanos();
        try {
            Restorer restorer = models.get(job.request.model());
            Image input = ImageFiles.read(job.upload, job.uploadName, settings.maxPixels());
            Image output = restorer.restore(input, job.request.guidance(), new JobProgress(job, deadline, settings.jobTimeout(), 0, 1));
            ImageFiles.Format format = job.request.format() != null ? job.request.format() : ImageFiles.Format.forSource(input.sourceFormat());
            Path result = settings.spool().resolve(job.id + ".result." + format.extension());
            ImageFiles.write(output, result);
            job.result = result;
            job.resultFormat = format;
            job.progress = 1;
            finish(job, Job.State.DONE, null, 0);
        } catch (CancellationException e) {
            finish(job, Job.State.CANCELLED, e.getMessage(), 0);
        } catch (ImageFormatException.NotAnImage e) {
            finish(job, Job.State.FAILED, e.getMessage(), 415);
        } catch (ImageFormatException e) {
            finish(job, Job.State.FAILED, e.getMessage(), 422);
        } catch (IOException | IllegalArgumentException e) {
            finish(job, Job.State.FAILED, e.getMessage(), 400);
        } catch (OutOfMemoryError e) {      // this job's buffers are free again once the error has unwound; the server goes on
            finish(job, Job.State.FAILED, job.uploadName + ": " + JavaHeap.outOfMemory(e)
                    + ": the image is too large for this server's heap; start it with a larger one (LUCID_JAVA_OPTS=-Xmx8g) or a lower --max-pixels", 500);
        } catch (RuntimeException e) {
            finish(job, Job.State.FAILED, "internal error: " + e, 500);
        } finally {
            deleteQuietly(job.upload);
        }
    }

    private static void finish(Job job, Job.State state, String error, int status) {
        job.error = error == null ? null : error.lines().findFirst().orElse(error);
        job.errorStatus = status;
        job.finished = Instant.now();
        job.state = state;
    }

    /** Deletes results kept longer than the retention time; their jobs stay known as expired. */
    private void expire() {
        Instant limit = Instant.now().minus(settings.keepResults());
        for (Job job : jobs.values()) {
            if (job.state.finished() && job.state != Job.State.EXPIRED && job.finished.isBefore(limit)) {
                if (job.result != null) deleteQuietly(job.result);
                job.state = Job.State.EXPIRED;
            }
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover spool file is removed with the spool folder at shutdown
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        cleaner.shutdownNow();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The job's one fraction done, across every stage of its restoration: a part of the work (a turned copy of a
     * self-ensemble, a pixel-shuffled sub-image) moves it through its share only, so the page's bar never runs back.
     * Cancellation and the time limit (a {@link System#nanoTime} deadline) are checked at each tile.
     */
    static final class JobProgress implements Progress {
        private final Job job;
        private final long deadline;
        private final java.time.Duration timeout;
        private final double from, share;
        private long total = 1, done;

        JobProgress(Job job, long deadline, java.time.Duration timeout, double from, double share) {
            this.job = job;
            this.deadline = deadline;
            this.timeout = timeout;
            this.from = from;
            this.share = share;
        }

        @Override
        public void begin(String stage, long units) {
            total = Math.max(1, units);
            done = 0;
        }

        @Override
        public void advance(long units) {
            done += units;
            job.progress = Math.min(0.999, from + share * Math.min(1, (double) done / total));
            if (job.cancelRequested) throw new CancellationException("cancelled");
            if (System.nanoTime() > deadline) throw new CancellationException("timed out after " + timeout.toMillis() / 1000.0 + " s");
        }

        @Override
        public Progress part(String name, int index, int count) {
            return new JobProgress(job, deadline, timeout, from + share * index / count, share / count);
        }
    }
}
