package dev.lucid.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.nn.Architectures;
import dev.lucid.nn.Parameters;
import java.io.IOException;
import java.nio.file.Path;

/** Model directories for tests. */
public final class TestModels {

    private TestModels() {}

    /** Saves a freshly initialised (untrained) tiny network as a model directory. */
    public static Path tinyModel(Path dir) throws IOException {
        ObjectNode card = ModelCard.json().createObjectNode();
        card.put("name", "tiny").put("status", "untrained");
        card.putObject("architecture").put("type", "nafunet").put("width", 4).put("middle_blocks", 1)
                .<ObjectNode>set("encoder_blocks", ModelCard.json().createArrayNode().add(1).add(1));
        ((ObjectNode) card.get("architecture")).set("decoder_blocks", ModelCard.json().createArrayNode().add(1).add(1));
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 3)) {
            Architectures.build(p, card.get("architecture"));
            NDList weights = p.toNDList();
            ModelFiles.save(dir, new ModelCard(card), weights);
        }
        return dir;
    }

}
