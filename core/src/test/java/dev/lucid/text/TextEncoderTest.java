package dev.lucid.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.SharedData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TextEncoderTest {

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void sentenceEncoderIsPretrainedAndOffline() {
        try (TextEncoder enc = new SentenceEncoder()) {
            float[] dog = enc.embed("a dog on a sofa at night"), puppy = enc.embed("a puppy on a couch"), tax = enc.embed("quarterly tax filing deadlines");
            assertEquals(384, dog.length);
            assertEquals(1.0, cosine(dog, dog), 1e-5);
            double l2 = 0;
            for (float v : dog) l2 += v * v;
            assertEquals(1.0, Math.sqrt(l2), 1e-3, "L2-normalised");
            // a trained encoder puts paraphrases together and unrelated text apart (STACK.md: 0.50 vs about 0)
            assertTrue(cosine(dog, puppy) > 0.4, "related: " + cosine(dog, puppy));
            assertTrue(cosine(dog, tax) < 0.2, "unrelated: " + cosine(dog, tax));
            assertArrayEquals(dog, enc.embed("a dog on a sofa at night"), 0f, "cached result is identical");
        }
    }

    @Test
    void promptsLongerThanTheEncoderReadsAreCutWithAWarning() throws IOException {
        try (TextEncoder enc = new SentenceEncoder()) {
            assertEquals(null, enc.overLimit("a dog on a sofa at night"));
            String long300 = "word ".repeat(300).strip();
            assertEquals("the prompt has 302 tokens and the sentence encoder reads 128: the rest is cut", enc.overLimit(long300));
            assertEquals(null, enc.overLimit("word ".repeat(126)), "126 words and the two special tokens fill what it reads");
            assertArrayEquals(enc.embed("word ".repeat(126).strip()), enc.embed(long300), 0f, "the cut prompt is what is embedded");
        }
        try (ClipTextEncoder enc = new ClipTextEncoder(SharedData.path("fixtures/clip_tiny/vit_tiny/weights.safetensors"))) {
            assertEquals(null, enc.overLimit("a photo of a dog"));
            assertEquals("the prompt has 100 tokens and CLIP's text encoder reads 75: the rest is cut", enc.overLimit("dog ".repeat(100)));
        }
    }

    @Test
    void clipTextEncoderMatchesTheReferenceTower() throws IOException {
        try (ClipTextEncoder enc = new ClipTextEncoder(SharedData.path("fixtures/clip_tiny/vit_tiny/weights.safetensors"))) {
            assertEquals(32, enc.dimension());
            float[] empty = enc.embed("");
            assertEquals(32, empty.length);
            assertTrue(cosine(empty, enc.embed("a photo of a dog")) < 0.99, "captions differ");
        }
    }
}
