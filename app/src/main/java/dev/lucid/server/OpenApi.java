package dev.lucid.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.Lucid;
import dev.lucid.model.ModelCard;
import java.util.List;
import java.util.Locale;

/** The OpenAPI 3 document of the server, built from its route table so that the two cannot disagree. */
final class OpenApi {

    private static final String[] OPTIONS = {"model", "task", "prompt", "strength", "noise_level", "steps", "seed", "format"};

    private OpenApi() {}

    static ObjectNode document(List<LucidServer.Route> routes) {
        ObjectNode root = ModelCard.json().createObjectNode();
        root.put("openapi", "3.0.3");
        root.putObject("info").put("title", "Lucid").put("version", Lucid.version())
                .put("description", "Real-world image denoising and text-guided restoration. Errors are {\"error\": \"one line\"}.");
        ObjectNode paths = root.putObject("paths");
        for (LucidServer.Route r : routes) {
            ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            ObjectNode op = path.putObject(r.method().name().toLowerCase(Locale.ROOT));
            op.put("summary", r.summary());
            if (r.path().contains("{id}")) {
                op.putArray("parameters").addObject().put("name", "id").put("in", "path").put("required", true).putObject("schema").put("type", "string");
            }
            if (r.method().name().equals("POST")) {
                ObjectNode schema = op.putObject("requestBody").put("required", true).putObject("content").putObject("multipart/form-data")
                        .putObject("schema").put("type", "object");
                ArrayNode required = schema.putArray("required");
                required.add("image");
                ObjectNode props = schema.putObject("properties");
                props.putObject("image").put("type", "string").put("format", "binary");
                for (String o : OPTIONS) props.putObject(o).put("type", o.equals("steps") || o.equals("seed") ? "integer" : o.equals("strength") || o.equals("noise_level") ? "number" : "string");
            }
            ObjectNode responses = op.putObject("responses");
            responses.putObject(r.path().equals("/v1/jobs") && r.method().name().equals("POST") ? "202" : "200").put("description", "success");
            for (String code : errors(r)) responses.putObject(code).put("description", "{\"error\": \"...\"}");
        }
        return root;
    }

    private static List<String> errors(LucidServer.Route r) {
        if (!r.path().startsWith("/v1/")) return List.of();
        if (r.method().name().equals("POST")) return List.of("400", "401", "413", "415", "422", "429");
        if (r.path().endsWith("/result")) return List.of("401", "404", "409", "410");
        if (r.path().contains("{id}")) return List.of("401", "404");
        return List.of("401");
    }
}
