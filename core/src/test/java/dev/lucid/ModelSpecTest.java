package dev.lucid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void parsesSettingsAndLeavesEverythingElseWhole() {
        ModelSpec s = ModelSpec.parse("runs/x/model:sample_steps=5,sampling=origin");
        assertEquals("runs/x/model", s.model());
        assertEquals(Map.of("sample_steps", "5", "sampling", "origin"), s.settings());
        assertEquals("sample_steps=5,sampling=origin", s.settingsText());
        assertEquals("runs/x/model:sample_steps=5,sampling=origin", s.toString());
        for (String whole : new String[] {"lucid-real", "opencv-nlm:0.6", "/tmp/a:b"}) {
            assertEquals(whole, ModelSpec.parse(whole).model());
            assertEquals(whole, ModelSpec.parse(whole).toString());
        }
        assertEquals("m:sample_steps=9,sampling=origin", ModelSpec.parse("m:sample_steps=5").with("sampling", "origin").with("sample_steps", "9").toString());
        assertArrayEquals(new String[] {"a:sample_steps=1,sampling=origin", "cdncnn-b", "opencv-nlm:0.6"},
                "a:sample_steps=1,sampling=origin,cdncnn-b,opencv-nlm:0.6".split(ModelSpec.LIST_SEPARATOR));
    }
}
