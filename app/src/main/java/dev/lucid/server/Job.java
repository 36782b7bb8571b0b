package dev.lucid.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.image.ImageFiles;
import dev.lucid.model.ModelCard;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Future;

/** One restoration: its request, its spooled upload, and where it is (state, progress, timings, error, result). */
final class Job {

    enum State {
        QUEUED, RUNNING, DONE, FAILED, CANCELLED, EXPIRED;

        boolean finished() { return this != QUEUED && this != RUNNING; }

        String label() { return name().toLowerCase(Locale.ROOT); }
    }

    final String id;
    final RestoreRequest request;
    final Path upload;
    final String uploadName;
    final Instant created = Instant.now();
    volatile State state = State.QUEUED;
    volatile double progress;
    volatile String error;
    volatile int errorStatus;
    volatile Instant started, finished;
    volatile Path result;
    volatile ImageFiles.Format resultFormat;
    volatile boolean cancelRequested;
    volatile Future<?> future;

    Job(String id, RestoreRequest request, Path upload, String uploadName) {
        this.id = id;
        this.request = request;
        this.upload = upload;
        this.uploadName = uploadName;
    }

    /** Seconds so far of the running job, or of the whole run once finished. */
    double seconds() {
        Instant from = started, to = finished != null ? finished : Instant.now();
        return from == null ? 0 : Duration.between(from, to).toMillis() / 1000.0;
    }

    /** Estimated seconds left from the progress so far (NaN until a tile is done). */
    double secondsLeft() {
        double p = progress;
        return state != State.RUNNING || p <= 0 ? Double.NaN : seconds() * (1 - p) / p;
    }

    ObjectNode toJson() {
        ObjectNode node = ModelCard.json().createObjectNode();
        node.put("id", id).put("state", state.label()).put("model", request.model()).put("progress", Math.round(progress * 1000) / 1000.0);
        node.put("created", created.toString());
        if (started != null) node.put("started", started.toString()).put("seconds", Math.round(seconds() * 100) / 100.0);
        if (finished != null) node.put("finished", finished.toString());
        double left = secondsLeft();
        if (Double.isFinite(left)) node.put("eta_seconds", Math.round(left * 10) / 10.0);
        if (error != null) node.put("error", error);
        if (state == State.DONE) node.put("result", "/v1/jobs/" + id + "/result");
        return node;
    }
}
