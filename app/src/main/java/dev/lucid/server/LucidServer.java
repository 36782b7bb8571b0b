package dev.lucid.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.Lucid;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.ImageFormatException;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.model.ModelCard;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code lucid serve}: a versioned JSON API over the same models and {@link Restorer}s as the CLI, and a web page.
 * Routes are declared once in {@link #ROUTES}; the OpenAPI document is built from the same table. Errors are
 * {@code {"error": "one line"}} with 400 (bad option), 401 (token), 404 (unknown job), 409 (result not ready),
 * 410 (result expired), 413 (upload too large, refused from its Content-Length), 415 (not an image), 422 (pixel
 * limit, undecodable), 429 + Retry-After (queue full).
 */
public final class LucidServer implements AutoCloseable {

    /** A route: method, path, and what it does (for the OpenAPI document). */
    record Route(HandlerType method, String path, String summary) {}

    static final List<Route> ROUTES = List.of(
            new Route(HandlerType.GET, "/healthz", "Liveness: ok when the server answers"),
            new Route(HandlerType.GET, "/openapi.json", "This API as an OpenAPI 3 document"),
            new Route(HandlerType.GET, "/v1/models", "The models: names, tasks, guidance they accept, cards"),
            new Route(HandlerType.POST, "/v1/restore", "Restore a small image and answer with it (multipart: image + options)"),
            new Route(HandlerType.POST, "/v1/jobs", "Queue a restoration (multipart: image + options); 202 with the job"),
            new Route(HandlerType.GET, "/v1/jobs/{id}", "A job's state, progress, timings and error"),
            new Route(HandlerType.GET, "/v1/jobs/{id}/events", "Server-sent progress events until the job ends"),
            new Route(HandlerType.GET, "/v1/jobs/{id}/result", "The restored image, in the input's format and bit depth unless asked otherwise"),
            new Route(HandlerType.DELETE, "/v1/jobs/{id}", "Cancel a job; a running one stops at its next tile"));

    /** An HTTP error with a one-line message. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final ServerSettings settings;
    private final ModelPool models;
    private final JobQueue jobs;
    private final Javalin app;

    public LucidServer(ServerSettings settings, List<String> extraModels) throws IOException {
        this.settings = settings;
        Files.createDirectories(settings.spool());
        this.models = new ModelPool(extraModels);
        this.jobs = new JobQueue(settings, models);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = settings.maxUploadBytes();
            cfg.jetty.multipartConfig.cacheDirectory(settings.spool().toString());
            cfg.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(settings.maxUploadBytes() + 65536, SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
        });
        app.before("/v1/*", this::guard);
        for (Route r : ROUTES) app.addHttpHandler(r.method(), r.path(), ctx -> handle(r, ctx));
        app.get("/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
        app.exception(HttpError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
        app.exception(ImageFormatException.NotAnImage.class, (e, ctx) -> error(ctx, 415, e.getMessage()));
        app.exception(ImageFormatException.class, (e, ctx) -> error(ctx, 422, e.getMessage()));
        app.exception(Guidance.UnsupportedGuidanceException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(RejectedExecutionException.class, (e, ctx) -> {
            ctx.header("Retry-After", "5");
            error(ctx, 429, "the server is busy: " + settings.workers() + " workers and " + settings.queue() + " queued jobs; try again shortly");
        });
        app.exception(Exception.class, (e, ctx) -> {
            if (isUploadLimit(e)) error(ctx, 413, "the upload is larger than " + settings.maxUploadBytes() / (1 << 20) + " MB");
            else error(ctx, 500, "internal error: " + e);
        });
    }

    /** Starts listening; returns the port (useful with port 0). */
    public int start() {
        app.start(settings.host(), settings.port());
        return app.port();
    }

    public int port() { return app.port(); }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(java.util.Map.of("error", message == null ? "error" : message.lines().findFirst().orElse(message)));
    }

    private static boolean isUploadLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("exceeds max") || m.contains("max filesize") || m.contains("too large") || m.contains("request size")) return true;
        }
        return false;
    }

    /** The token (constant-time comparison) and, for uploads, the size announced before any byte is read. */
    private void guard(Context ctx) {
        if (settings.token() != null) {
            String given = ctx.header("Authorization");
            byte[] expected = ("Bearer " + settings.token()).getBytes(StandardCharsets.UTF_8);
            if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                throw new HttpError(401, "a valid token is required (Authorization: Bearer TOKEN)");
            }
        }
        if (ctx.method() == HandlerType.POST && ctx.req().getContentLengthLong() > settings.maxUploadBytes() + 65536) {
            ctx.header("Connection", "close");
            throw new HttpError(413, "the upload is larger than " + settings.maxUploadBytes() / (1 << 20) + " MB");
        }
    }

    private void handle(Route route, Context ctx) throws Exception {
        switch (route.method().name() + " " + route.path()) {
            case "GET /healthz": ctx.json(java.util.Map.of("status", "ok", "version", Lucid.version(), "jobs", jobs.size())); break;
            case "GET /openapi.json": ctx.json(OpenApi.document(ROUTES)); break;
            case "GET /v1/models": ctx.json(modelsJson()); break;
            case "POST /v1/restore": restoreNow(ctx); break;
            case "POST /v1/jobs": ctx.status(202).json(submit(ctx).toJson()); break;
            case "GET /v1/jobs/{id}": ctx.json(job(ctx).toJson()); break;
            case "GET /v1/jobs/{id}/result": result(ctx, job(ctx)); break;
            case "GET /v1/jobs/{id}/events": events(ctx, job(ctx)); break;
            case "DELETE /v1/jobs/{id}": {
                Job job = job(ctx);
                jobs.cancel(job);
                ctx.json(job.toJson());
                break;
            }
            default: throw new IllegalStateException("no handler for " + route);
        }
    }

    private ObjectNode modelsJson() throws IOException {
        ObjectNode root = ModelCard.json().createObjectNode();
        root.put("default", Lucid.DEFAULT_MODEL);
        ArrayNode list = root.putArray("models");
        for (String name : models.names()) {
            Restorer r = models.get(name);
            ObjectNode m = list.addObject().put("name", name).put("description", r.card().description()).put("status", r.card().status().name().toLowerCase(Locale.ROOT));
            ArrayNode accepts = m.putArray("accepts");
            r.accepts().forEach(k -> accepts.add(k.name().toLowerCase(Locale.ROOT)));
            m.put("text", r.accepts().contains(Guidance.Kind.TEXT)).put("steps", r.accepts().contains(Guidance.Kind.STEPS));
            ArrayNode tasks = m.putArray("tasks");
            tasks.add(Guidance.DENOISE);
            m.set("card", r.card().tree());
        }
        return root;
    }

    /** Spools the upload to disk, checks its header and the options, and queues it. */
    private Job submit(Context ctx) throws IOException {
        UploadedFile file = ctx.uploadedFile("image");
        if (file == null) throw new HttpError(400, "no image: send the file in the multipart field \"image\"");
        RestoreRequest request = RestoreRequest.parse(ctx::formParam);
        Restorer restorer = models.get(request.model());
        request.guidance().requireAccepted(restorer.accepts(), request.model());
        String id = jobs.newId();
        Path upload = jobs.spool().resolve(id + ".upload");
        try (InputStream in = file.content()) {
            Files.copy(in, upload);
        }
        try {
            ImageFiles.probe(upload, uploadName(file), settings.maxPixels());
        } catch (ImageFormatException e) {
            JobQueue.deleteQuietly(upload);
            throw e;
        }
        Job job = new Job(id, request, upload, uploadName(file));
        jobs.submit(job);
        return job;
    }

    /** Messages name the uploaded file, never the spool file (whose name means nothing to the client). */
    private static String uploadName(UploadedFile file) {
        return file.filename() == null || file.filename().isBlank() ? "upload" : file.filename();
    }

    private void restoreNow(Context ctx) throws Exception {
        Job job = submit(ctx);
        try {
            job.future.get();
        } catch (ExecutionException e) {
            throw new HttpError(500, "internal error: " + e.getCause());
        }
        try {
            if (job.state != Job.State.DONE) throw new HttpError(job.errorStatus == 0 ? 500 : job.errorStatus, job.error);
            sendResult(ctx, job);
        } finally {
            jobs.forget(job);
        }
    }

    private Job job(Context ctx) {
        Job job = jobs.get(ctx.pathParam("id"));
        if (job == null) throw new HttpError(404, "no job " + ctx.pathParam("id"));
        return job;
    }

    private void result(Context ctx, Job job) throws IOException {
        switch (job.state) {
            case DONE: sendResult(ctx, job); break;
            case EXPIRED: throw new HttpError(410, "the result of job " + job.id + " has expired (kept " + settings.keepResults().toMinutes() + " minutes)");
            case FAILED: throw new HttpError(409, "job " + job.id + " failed: " + job.error);
            case CANCELLED: throw new HttpError(409, "job " + job.id + " was cancelled");
            default: throw new HttpError(409, "job " + job.id + " is " + job.state.label() + "; its result is not ready");
        }
    }

    private static void sendResult(Context ctx, Job job) throws IOException {
        String stem = job.uploadName.replaceAll("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        ctx.contentType(job.resultFormat.mediaType());
        ctx.header("Content-Disposition", "attachment; filename=\"" + stem + "_restored." + job.resultFormat.extension() + "\"");
        ctx.result(Files.readAllBytes(job.result));
    }

    /**
     * Server-sent events (text/event-stream): a "progress" event with the job's JSON every quarter second while it is
     * queued or running, then one "end" event with its final state.
     */
    private static void events(Context ctx, Job job) throws IOException {
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        java.io.OutputStream out = ctx.res().getOutputStream();
        while (true) {
            boolean over = job.state.finished();
            out.write(("event: " + (over ? "end" : "progress") + "\ndata: " + job.toJson().toString() + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (over) return;
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void page(Context ctx, String name, String type) throws IOException {
        try (InputStream in = LucidServer.class.getResourceAsStream(name)) {
            if (in == null) throw new HttpError(404, "no page " + name);
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    @Override
    public void close() {
        app.stop();
        jobs.close();
        models.close();
        try (var files = Files.list(settings.spool())) {
            files.forEach(JobQueue::deleteQuietly);
        } catch (IOException ignored) {
            // the spool folder is the operator's to clean
        }
    }
}
