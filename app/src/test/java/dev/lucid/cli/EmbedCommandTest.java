package dev.lucid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lucid.SharedData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EmbedCommandTest {

    @Test
    void textWithTheDefaultEncoderAndWithClipWeights() throws IOException {
        DenoiseCommandTest.Run r = DenoiseCommandTest.run("embed", "--text", "a dog on a sofa", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode out = new ObjectMapper().readTree(r.out());
        assertEquals("all-MiniLM-L6-v2-q", out.get("encoder").asText());
        assertEquals(384, out.get("embedding").size());
        String weights = SharedData.path("fixtures/clip_tiny/rn_tiny/weights.safetensors").toString();
        DenoiseCommandTest.Run clip = DenoiseCommandTest.run("embed", "--text", "a dog on a sofa", "--clip-weights", weights, "--json");
        assertEquals(0, clip.code(), clip.err());
        assertEquals(32, new ObjectMapper().readTree(clip.out()).get("embedding").size());
    }

    @Test
    void imagesNeedClipWeights() {
        DenoiseCommandTest.Run r = DenoiseCommandTest.run("embed", "--image", "x.png");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--image needs --clip-weights"), r.err());
        assertEquals(2, DenoiseCommandTest.run("embed", "--text", "a", "--image", "x.png").code(), "one input only");
    }
}
