package dev.lucid.cli;

import dev.lucid.server.LucidServer;
import dev.lucid.server.ServerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve every model over a REST API and a web page.",
                "Listens on loopback unless --host says otherwise, which then needs a token (--token or LUCID_TOKEN).",
                "The API is described at /openapi.json; the page is at /."})
final class ServeCommand implements Callable<Integer> {

    @Mixin Main.Common common;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = 8080;

    @Option(names = "--workers", paramLabel = "N", description = "Restorations running at once (default: ${DEFAULT-VALUE}).")
    int workers = 1;

    @Option(names = "--queue", paramLabel = "N", description = "Jobs waiting for a worker before new ones get 429 (default: ${DEFAULT-VALUE}).")
    int queue = 8;

    @Option(names = "--max-upload-mb", paramLabel = "MB", description = "Largest upload (default: ${DEFAULT-VALUE}).")
    long maxUploadMb = 200;

    @Option(names = "--max-pixels", paramLabel = "N", description = "Largest image, read from its header (default: ${DEFAULT-VALUE}).")
    long maxPixels = 100_000_000L;

    @Option(names = "--job-timeout", paramLabel = "S", description = "Seconds a job may run before it is stopped (default: ${DEFAULT-VALUE}).")
    long jobTimeout = 900;

    @Option(names = "--keep-results", paramLabel = "M", description = "Minutes a finished job's result is kept (default: ${DEFAULT-VALUE}).")
    long keepResults = 30;

    @Option(names = "--token", paramLabel = "T", description = "Require Authorization: Bearer T on /v1 (default: the LUCID_TOKEN environment variable).")
    String token = System.getenv("LUCID_TOKEN");

    @Option(names = "--spool", paramLabel = "DIR", description = "Folder for uploads and results (default: a new temporary folder).")
    Path spool;

    @Option(names = "--model", paramLabel = "DIR", description = "A model directory to serve besides the shipped models (repeatable).")
    List<String> extraModels = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        common.apply();
        ServerSettings settings = new ServerSettings(host, port, workers, queue, maxUploadMb << 20, maxPixels,
                Duration.ofSeconds(jobTimeout), Duration.ofMinutes(keepResults), token,
                spool != null ? spool : Files.createTempDirectory("lucid-spool"));
        CountDownLatch stopped = new CountDownLatch(1);
        LucidServer server = new LucidServer(settings, extraModels);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "lucid-serve-shutdown"));
        int bound = server.start();
        System.err.println("lucid: serving on http://" + host + ":" + bound + "/ (" + workers + " worker" + (workers > 1 ? "s" : "")
                + ", queue " + queue + (settings.token() != null ? ", token required" : "") + "); Ctrl-C stops");
        stopped.await();
        return 0;
    }
}
