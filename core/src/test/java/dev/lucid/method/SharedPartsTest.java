package dev.lucid.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lucid.text.TextEncoder;
import org.junit.jupiter.api.Test;

class SharedPartsTest {

    @Test
    void methodsBuiltWithOnePartsShareOneTextEncoderAndABadSpecFailsInOneLine() throws Exception {
        try (SharedParts shared = new SharedParts(); SharedParts other = new SharedParts()) {
            TextEncoder sentence = shared.textEncoder("sentence");
            assertSame(sentence, shared.textEncoder("sentence"));
            assertNotSame(sentence, other.textEncoder("sentence"));
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> shared.textEncoder("bert"));
            assertEquals("text_encoder must be sentence or clip:PATH, got \"bert\"", bad.getMessage());
        }
    }
}
