package dev.lucid.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code lucid serve} runs: where it listens, how many restorations run at once and wait, the limits on uploads,
 * and how long results are kept. A host other than loopback requires a token.
 */
public record ServerSettings(String host, int port, int workers, int queue, long maxUploadBytes, long maxPixels,
                             Duration jobTimeout, Duration keepResults, String token, Path spool) {

    public ServerSettings {
        if (workers < 1) throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        if (queue < 0) throw new IllegalArgumentException("--queue must be >= 0, got " + queue);
        if (maxUploadBytes < 1) throw new IllegalArgumentException("--max-upload-mb must be positive");
        if (maxPixels < 1) throw new IllegalArgumentException("--max-pixels must be positive");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        if (token != null && token.isBlank()) token = null;
        if (token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("binding " + host + " (not loopback) needs a token: give --token or set LUCID_TOKEN");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }
}
