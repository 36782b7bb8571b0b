package dev.lucid.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lucid.SharedData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every case of shared/fixtures/clip_tiny/tokens.json, produced by the reference clip.tokenize with ftfy. */
class ClipTokenizerTest {

    @Test
    void reproducesTheReferenceTokenizer() throws IOException {
        JsonNode fixture = new ObjectMapper().readTree(SharedData.path("fixtures/clip_tiny/tokens.json").toFile());
        ClipTokenizer tokenizer = ClipTokenizer.standard();
        assertEquals(fixture.get("vocab_size").asInt(), tokenizer.vocabularySize());
        int checked = 0;
        for (JsonNode c : fixture.get("cases")) {
            String text = c.get("text").asText(), label = c.get("note").asText();
            assertEquals(c.get("cleaned").asText(), ClipTokenizer.clean(text), "cleaning: " + label);
            List<String> pieces = new ArrayList<>();
            c.get("bpe_pieces").forEach(p -> pieces.add(p.asText()));
            assertEquals(pieces, tokenizer.pieces(text), "pieces: " + label);
            long[] expected = new long[c.get("input_ids").size()];
            for (int i = 0; i < expected.length; i++) expected[i] = c.get("input_ids").get(i).asLong();
            assertArrayEquals(expected, tokenizer.tokenize(text), "ids: " + label);
            checked++;
        }
        assertEquals(15, checked);
    }
}
