package dev.lucid.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lucid.Lucid;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.image.Tiler;
import dev.lucid.method.Restorer;
import dev.lucid.model.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST contract: every route and every error code, on loopback, with a tiny untrained model. */
class LucidServerTest {

    @TempDir Path dir;
    Path model;
    LucidServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() throws IOException {
        model = TestModels.tinyModel(dir.resolve("tiny"));
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
    }

    private String start(int workers, int queue, Duration keep, String token) throws IOException {
        return start(workers, queue, keep, token, Duration.ofSeconds(60));
    }

    private String start(int workers, int queue, Duration keep, String token, Duration timeout) throws IOException {
        server = new LucidServer(new ServerSettings("127.0.0.1", 0, workers, queue, 1 << 20, 4_000_000, timeout, keep, token,
                dir.resolve("spool")), List.of(model.toString()));
        return "http://127.0.0.1:" + server.start();
    }

    /** A multipart/form-data body: the image part first, then the text fields. */
    static HttpRequest.BodyPublisher multipart(String boundary, byte[] image, String filename, Map<String, String> fields) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        fields.forEach((k, v) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.ofByteArray(body.toByteArray());
    }

    HttpResponse<byte[]> post(String url, byte[] image, String filename, Map<String, String> fields, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "multipart/form-data; boundary=XyZ")
                .POST(multipart("XyZ", image, filename, fields));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> send(String method, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode body(HttpResponse<byte[]> r) throws IOException { return json.readTree(r.body()); }

    byte[] png(int w, int h, long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageFiles.write(TestImages.random(w, h, 3, false, 8, seed), out, ImageFiles.Format.PNG, 95);
        return out.toByteArray();
    }

    /** A large image that compresses well, so it stays under the 1 MB upload limit and takes a while to restore. */
    byte[] slowPng(int side) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageFiles.write(TestImages.scene(side, side), out, ImageFiles.Format.PNG, 95);
        return out.toByteArray();
    }

    /** What the CLI and the library write for the same input and model. */
    byte[] expected(byte[] input) throws IOException {
        Path in = dir.resolve("in.png"), out = dir.resolve("expected.png");
        Files.write(in, input);
        try (Restorer r = Lucid.load(model.toString(), Tiler.Settings.defaults())) {
            ImageFiles.write(r.restore(ImageFiles.read(in)), out);
        }
        return Files.readAllBytes(out);
    }

    @Test
    void restoresSynchronouslyAndAsJobsWithTheCliBytes() throws Exception {
        String base = start(1, 4, Duration.ofMinutes(5), null);
        byte[] image = png(70, 50, 1), expected = expected(image);
        assertEquals("ok", body(send("GET", base + "/healthz")).get("status").asText());
        JsonNode models = body(send("GET", base + "/v1/models"));
        assertTrue(models.get("models").toString().contains(model.toString()), models.toString());

        HttpResponse<byte[]> now = post(base + "/v1/restore", image, "photo.png", Map.of("model", model.toString()), null);
        assertEquals(200, now.statusCode(), new String(now.body()));
        assertEquals("image/png", now.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(expected, now.body(), "the same bytes as lucid denoise");

        HttpResponse<byte[]> queued = post(base + "/v1/jobs", image, "photo.png", Map.of("model", model.toString()), null);
        assertEquals(202, queued.statusCode(), new String(queued.body()));
        String id = body(queued).get("id").asText();
        JsonNode state = waitFor(base, id, "done");
        assertEquals(1.0, state.get("progress").asDouble());
        HttpResponse<byte[]> result = send("GET", base + "/v1/jobs/" + id + "/result");
        assertEquals(200, result.statusCode());
        assertArrayEquals(expected, result.body());
        assertTrue(result.headers().firstValue("Content-Disposition").orElse("").contains("photo_restored.png"));
        assertEquals("done", body(send("DELETE", base + "/v1/jobs/" + id)).get("state").asText(), "a finished job stays finished");
        HttpResponse<byte[]> events = send("GET", base + "/v1/jobs/" + id + "/events");
        assertTrue(new String(events.body()).contains("event: end") && new String(events.body()).contains("\"state\":\"done\""), new String(events.body()));
        assertEquals(404, send("GET", base + "/v1/jobs/nope").statusCode());
        try (var files = Files.list(dir.resolve("spool"))) {
            assertEquals(List.of(id + ".result.png"), files.map(f -> f.getFileName().toString()).toList(), "no upload left behind");
        }
    }

    JsonNode waitFor(String base, String id, String wanted) throws Exception {
        for (int i = 0; i < 600; i++) {
            JsonNode state = body(send("GET", base + "/v1/jobs/" + id));
            if (state.get("state").asText().equals(wanted)) return state;
            assertTrue(!state.has("error"), state.toString());
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " never became " + wanted);
    }

    @Test
    void everyErrorIsOneLineWithItsStatus() throws Exception {
        String base = start(1, 0, Duration.ZERO, null);
        byte[] image = png(40, 30, 2);
        Map<String, String> tiny = Map.of("model", model.toString());
        assertError(post(base + "/v1/jobs", new byte[2 << 20], "big.png", tiny, null), 413, "larger than 1 MB");
        assertError(post(base + "/v1/jobs", "hello".getBytes(), "notes.txt", tiny, null), 415, "notes.txt is not an image");
        assertError(post(base + "/v1/jobs", hugePngHeader(), "huge.png", tiny, null), 422, "huge.png: 100000x100000");
        assertError(post(base + "/v1/jobs", image, "a.png", Map.of("model", "../../etc"), null), 400, "unknown model");
        assertError(post(base + "/v1/jobs", image, "a.png", withModel("steps", "0"), null), 400, "steps must be");
        assertError(post(base + "/v1/jobs", image, "a.png", withModel("prompt", "a cat"), null), 400, "cannot use a text prompt");
        assertError(post(base + "/v1/jobs", image, "a.png", withModel("format", "gif"), null), 400, "format must be");
        // one worker, no queue: a second job while the first runs is refused with Retry-After
        HttpResponse<byte[]> slow = post(base + "/v1/jobs", slowPng(1500), "slow.png", tiny, null);
        assertEquals(202, slow.statusCode(), new String(slow.body()));
        HttpResponse<byte[]> busy = post(base + "/v1/jobs", image, "a.png", tiny, null);
        assertError(busy, 429, "busy");
        assertEquals("5", busy.headers().firstValue("Retry-After").orElse(""));
        String id = body(slow).get("id").asText();
        waitFor(base, id, "expired");   // kept 0 minutes
        assertError(send("GET", base + "/v1/jobs/" + id + "/result"), 410, "expired");
    }

    @Test
    void cancellingAJobFreesItsWorkerAndATokenGuardsTheApi() throws Exception {
        String base = start(1, 2, Duration.ofMinutes(5), "s3cret");
        Map<String, String> tiny = Map.of("model", model.toString());
        assertError(post(base + "/v1/jobs", png(40, 30, 4), "a.png", tiny, null), 401, "token");
        assertError(post(base + "/v1/jobs", png(40, 30, 4), "a.png", tiny, "wrong"), 401, "token");
        HttpResponse<byte[]> slow = post(base + "/v1/jobs", slowPng(2000), "slow.png", tiny, "s3cret");
        String id = body(slow).get("id").asText();
        HttpRequest cancel = HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + id)).DELETE().header("Authorization", "Bearer s3cret").build();
        assertEquals(200, http.send(cancel, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        HttpResponse<byte[]> next = post(base + "/v1/restore", png(40, 30, 6), "b.png", tiny, "s3cret");
        assertEquals(200, next.statusCode(), "the worker is free again: " + new String(next.body()));
        HttpRequest state = HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + id)).header("Authorization", "Bearer s3cret").build();
        assertEquals("cancelled", json.readTree(http.send(state, HttpResponse.BodyHandlers.ofByteArray()).body()).get("state").asText());
        HttpRequest result = HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + id + "/result")).header("Authorization", "Bearer s3cret").build();
        assertError(http.send(result, HttpResponse.BodyHandlers.ofByteArray()), 409, "was cancelled");
        assertEquals(200, send("GET", base + "/healthz").statusCode(), "health needs no token");
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> new ServerSettings("0.0.0.0", 0, 1, 1, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), null, dir));
        assertTrue(open.getMessage().contains("needs a token"), open.getMessage());
    }

    @Test
    void aJobOverTheTimeLimitStopsAndFreesItsWorker() throws Exception {
        String base = start(1, 1, Duration.ofMinutes(5), null, Duration.ofMillis(300));
        Map<String, String> tiny = Map.of("model", model.toString());
        String id = body(post(base + "/v1/jobs", slowPng(2000), "slow.png", tiny, null)).get("id").asText();
        JsonNode state = null;
        for (int i = 0; i < 400 && (state == null || !state.get("state").asText().equals("cancelled")); i++) {
            Thread.sleep(50);
            state = body(send("GET", base + "/v1/jobs/" + id));
        }
        assertEquals("cancelled", state.get("state").asText(), state.toString());
        assertTrue(state.get("error").asText().startsWith("timed out after"), state.toString());
        assertEquals(200, post(base + "/v1/restore", png(40, 30, 7), "small.png", tiny, null).statusCode(), "the worker is free");
    }

    @Test
    void theOpenApiDocumentListsEveryRouteAndEachAnswers() throws Exception {
        String base = start(1, 1, Duration.ofMinutes(5), null);
        JsonNode paths = body(send("GET", base + "/openapi.json")).get("paths");
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> m = path.getValue().fieldNames(); m.hasNext(); ) {
                String method = m.next().toUpperCase(java.util.Locale.ROOT);
                HttpResponse<byte[]> r = send(method, base + path.getKey().replace("{id}", "unknown-job"));
                assertNotEquals(405, r.statusCode(), method + " " + path.getKey());
                assertTrue(r.statusCode() != 404 || path.getKey().contains("{id}"), method + " " + path.getKey() + " is routed");
                operations++;
            }
        }
        assertEquals(LucidServer.ROUTES.size(), operations);
        HttpResponse<byte[]> page = send("GET", base + "/");
        assertTrue(new String(page.body()).contains("<title>Lucid</title>"));
    }

    @Test
    void theHostileCorpusGivesAnImageOrOneErrorLineNeverAServerError() throws Exception {
        // every uploadable case of the corpus (the file-system cases are not uploads) to /v1/restore
        server = new LucidServer(new ServerSettings("127.0.0.1", 0, 1, 4, 8 << 20, dev.lucid.image.HostileCorpus.PIXEL_LIMIT, Duration.ofSeconds(60),
                Duration.ofMinutes(1), null, dir.resolve("spool")), List.of(model.toString()));
        String base = "http://127.0.0.1:" + server.start();
        List<String> wrong = new java.util.ArrayList<>();
        int images = 0, errors = 0;
        for (dev.lucid.image.HostileCorpus.Case c : dev.lucid.image.HostileCorpus.generate(dir.resolve("corpus"))) {
            if (!Files.isRegularFile(c.file(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            HttpResponse<byte[]> r = post(base + "/v1/restore", Files.readAllBytes(c.file()), c.file().getFileName().toString(), Map.of("model", model.toString()), null);
            if (c.isImage()) {
                dev.lucid.image.Image out = r.statusCode() == 200 ? dev.lucid.image.ImageFiles.read(new java.io.ByteArrayInputStream(r.body()), "result", Long.MAX_VALUE) : null;
                if (out == null || out.width() != c.width() || out.height() != c.height()) wrong.add(c + ": " + r.statusCode() + " " + (out == null ? new String(r.body()) : out));
                images++;
            } else {
                String error = r.statusCode() >= 400 && r.statusCode() < 500 ? body(r).path("error").asText("") : "";
                if (error.isEmpty() || error.contains("\n")) wrong.add(c + ": " + r.statusCode() + " " + new String(r.body()));
                errors++;
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(images > 40 && errors > 30, images + " images, " + errors + " errors");
        try (var spool = Files.list(dir.resolve("spool"))) {
            assertEquals(0, spool.count(), "the spool is empty afterwards");
        }
    }

    private Map<String, String> withModel(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model.toString());
        m.put(key, value);
        return m;
    }

    private void assertError(HttpResponse<byte[]> r, int status, String part) throws IOException {
        assertEquals(status, r.statusCode(), new String(r.body()));
        String error = body(r).get("error").asText();
        assertTrue(error.contains(part) && !error.contains("\n"), error);
    }

    static byte[] hugePngHeader() {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(100_000).putInt(100_000).put((byte) 8).put((byte) 2).put(new byte[3]);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        return java.nio.ByteBuffer.allocate(33).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }
}
