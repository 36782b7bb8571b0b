package dev.lucid.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.image.ImageFiles;
import dev.lucid.model.ModelCard;
import dev.lucid.nn.clip.ClipModel;
import dev.lucid.text.ClipTextEncoder;
import dev.lucid.text.SentenceEncoder;
import dev.lucid.text.TextEncoder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Print the embedding of a caption or an image: a quick way to check a CLIP weights file.",
                "Text without --clip-weights uses the offline sentence encoder (all-MiniLM-L6-v2, 384-d)."})
final class EmbedCommand implements Callable<Integer> {

    @Mixin Main.Common common;

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "A caption.") String text;
        @Option(names = "--image", paramLabel = "FILE", description = "An image (needs --clip-weights).") Path image;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Input input;

    @Option(names = "--clip-weights", paramLabel = "PATH", description = "CLIP weights: OpenAI .pt (TorchScript), a torch.save state_dict, or safetensors, or a directory holding one; a config.json beside it overrides the inferred architecture.")
    Path clipWeights;

    @Option(names = "--json", description = "Print {\"encoder\": ..., \"embedding\": [...]}.")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        common.apply();
        String encoder;
        float[] embedding;
        if (input.image != null) {
            if (clipWeights == null) throw new CommandLine.ParameterException(spec.commandLine(), "--image needs --clip-weights FILE");
            try (ClipModel clip = ClipModel.load(clipWeights); NDManager scope = clip.manager().newSubManager()) {
                embedding = clip.encodeImage(clip.preprocess(ImageFiles.read(input.image), scope)).toFloatArray();
                encoder = "clip-image:" + clipWeights.getFileName();
            }
        } else {
            try (TextEncoder enc = clipWeights != null ? new ClipTextEncoder(clipWeights) : new SentenceEncoder()) {
                embedding = enc.embed(input.text);
                encoder = enc.name();
            }
        }
        if (json) {
            ObjectNode root = ModelCard.json().createObjectNode().put("encoder", encoder);
            ArrayNode values = root.putArray("embedding");
            for (float v : embedding) values.add(v);
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(root));
        } else {
            StringBuilder sb = new StringBuilder(encoder + " (" + embedding.length + "-d):");
            for (float v : embedding) sb.append(String.format(Locale.ROOT, " %.6f", v));
            System.out.println(sb);
        }
        return 0;
    }
}
