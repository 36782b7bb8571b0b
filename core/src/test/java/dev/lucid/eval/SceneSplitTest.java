package dev.lucid.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SceneSplitTest {

    static Path splitFile() {
        for (String p : new String[] {"../configs/splits/polyu.yaml", "configs/splits/polyu.yaml"}) {
            if (java.nio.file.Files.exists(Path.of(p))) return Path.of(p);
        }
        throw new IllegalStateException("configs/splits/polyu.yaml not found");
    }

    @Test
    void scenesAreParsedFromPolyuNames() {
        assertEquals("chair", SceneSplit.scene("Canon5D2_5_160_3200_chair_11_real.JPG"));
        assertEquals("plant", SceneSplit.scene("NikonD800_4_125_1600_plant__3_mean.JPG"));
        assertEquals("(unnamed)", SceneSplit.scene("NikonD800_4_125_1600__4_real.JPG"));
    }

    @Test
    void polyuSplitIsSceneDisjointAndCoversEveryPair() throws IOException {
        SceneSplit split = SceneSplit.load(splitFile());
        Path polyu = SharedData.path("data/polyu_real100");
        EvalSet test = EvalSet.pairs(polyu, null, split.filter(SceneSplit.Part.TEST), split.describe(SceneSplit.Part.TEST));
        EvalSet train = EvalSet.pairs(polyu, null, split.filter(SceneSplit.Part.TRAIN), "");
        assertEquals(32, test.cases().size());
        assertEquals(68, train.cases().size());
        Set<String> testScenes = new HashSet<>(), trainScenes = new HashSet<>();
        test.cases().forEach(c -> testScenes.add(SceneSplit.scene(c.name())));
        train.cases().forEach(c -> trainScenes.add(SceneSplit.scene(c.name())));
        testScenes.retainAll(trainScenes);
        assertTrue(testScenes.isEmpty(), "scenes in both parts: " + testScenes);
        assertTrue(test.description().contains("test split"));
    }
}
