package dev.lucid.method.noisetransfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lucid.Progress;
import dev.lucid.degrade.Degradation;
import dev.lucid.degrade.RecipeProvider;
import dev.lucid.diffusion.GaussianNoiseSource;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TileModel;
import dev.lucid.image.Tiler;
import dev.lucid.method.Methods;
import dev.lucid.model.ModelFiles;
import dev.lucid.nn.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recipe {@code transfer:REF} (NoiseTransfer): the noise of the reference photo REF put on any clean image by a trained
 * {@link NoiseTransferMethod} model — {@code transfer:DIR} draws a reference per image from a folder of noisy photos (and
 * {@code transfer:LIST.txt} from the photos a list file names, one per line), and
 * {@code transfer:REF@MODEL} names the model (default: the shipped {@value #DEFAULT_MODEL}); in {@code lucid noise-stats},
 * {@code transfer:fit[@MODEL]} takes each pair's reference noisy image (itself or another of its camera). A reference's embedding is
 * the normalised mean of the key encoder's embeddings of 8 random 64² patches of it (fixed seed: the same reference,
 * the same embedding); the generator runs over 256² tiles, each with its own draw.
 */
public final class TransferNoise implements Degradation {

    public static final class Provider implements RecipeProvider {
        @Override public String kind() { return "transfer"; }

        @Override
        public Degradation parse(String arguments) {
            if (arguments.isBlank()) throw new IllegalArgumentException("transfer needs a reference photo or folder: transfer:REF.png");
            int at = arguments.lastIndexOf('@');
            Path reference = Path.of(at < 0 ? arguments : arguments.substring(0, at));
            try {
                if (!Files.exists(reference)) throw new IOException("reference " + reference + " does not exist");
                List<Path> files = Files.isDirectory(reference) ? ImageFiles.listImages(reference)
                        : reference.toString().endsWith(".txt") ? listed(reference) : List.of(reference);
                List<Reference> references = files.stream().map(f -> new Reference(f.toString(), () -> ImageFiles.read(f))).toList();
                return new TransferNoise(arguments, references, at < 0 ? DEFAULT_MODEL : arguments.substring(at + 1));
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        /** The photos a list file names, one path per line (relative to the list's folder; blank lines and # comments skipped). */
        private static List<Path> listed(Path list) throws IOException {
            Path folder = list.toAbsolutePath().getParent();
            List<Path> files = Files.readAllLines(list).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> folder.resolve(l).normalize()).toList();
            if (files.isEmpty()) throw new IOException("reference list " + list + " names no photo");
            for (Path f : files) if (!Files.isRegularFile(f)) throw new IOException("reference list " + list + " names " + f + ", which does not exist");
            return files;
        }

        /** {@code transfer:fit[@MODEL]}: the noisy image itself is the reference. */
        @Override
        public Degradation fitted(String arguments, Image noisy) {
            try {
                return new TransferNoise("fit" + arguments, List.of(new Reference("the reference image", () -> noisy)),
                        arguments.startsWith("@") ? arguments.substring(1) : DEFAULT_MODEL);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }

    /** A reference photo: its name for messages, and how to read it. */
    record Reference(String name, java.util.concurrent.Callable<Image> image) {}

    public static final String DEFAULT_MODEL = "noisetransfer";
    static final int PATCH = 64, PATCHES = 8, TILE = 256, MARGIN = 32;

    private final String spec;
    private final List<Reference> references;
    private final NDManager manager;
    private final NoiseTransferMethod method;
    private final Map<Reference, float[]> embeddings = new ConcurrentHashMap<>();
    private final Map<Reference, Integer> channels = new ConcurrentHashMap<>();

    private TransferNoise(String spec, List<Reference> references, String model) throws IOException {
        this.spec = spec;
        this.references = references;
        ModelFiles.Source source;
        try {
            source = ModelFiles.open(model);
        } catch (IOException e) {
            throw new IOException("transfer needs a NoiseTransfer model (train configs/noisetransfer/generator.yaml, or give transfer:REF@MODEL_DIR): "
                    + e.getMessage(), e);
        }
        this.manager = NDManager.newBaseManager();
        Parameters parameters = new Parameters(manager, 0);
        if (!(Methods.build(parameters, source.card().tree()) instanceof NoiseTransferMethod transfer)) {
            manager.close();
            throw new IOException("model " + source.card().name() + " is not a NoiseTransfer model");
        }
        try (NDManager scratch = manager.newSubManager()) {
            parameters.load(source.decodeWeights(scratch));
        }
        this.method = transfer;
        for (Reference r : references) embedding(r);         // bad references fail now, in one line, before any work
    }

    /** The reference's noise embedding (cached), from PATCHES random PATCH² crops. */
    private float[] embedding(Reference reference) {
        return embeddings.computeIfAbsent(reference, r -> {
            Image image;
            try {
                image = r.image().call();
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (image.width() < PATCH || image.height() < PATCH) {
                throw new IllegalArgumentException("reference " + r.name() + " is " + image.width() + "x" + image.height() + ", smaller than one " + PATCH + "x" + PATCH + " patch");
            }
            channels.put(r, image.channels());
            SplittableRandom rng = new SplittableRandom(0);
            float[] crops = new float[PATCHES * 3 * PATCH * PATCH];
            for (int k = 0; k < PATCHES; k++) {
                int x0 = rng.nextInt(image.width() - PATCH + 1), y0 = rng.nextInt(image.height() - PATCH + 1);
                for (int c = 0; c < 3; c++) {
                    float[] plane = image.plane(Math.min(c, image.channels() - 1));
                    for (int y = 0; y < PATCH; y++) System.arraycopy(plane, (y0 + y) * image.width() + x0, crops, ((k * 3 + c) * PATCH + y) * PATCH, PATCH);
                }
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray mean = method.embed(scope.create(crops, new Shape(PATCHES, 3, PATCH, PATCH))).mean(new int[] {0});
                return mean.div(mean.square().sum().sqrt()).toFloatArray();
            }
        });
    }

    @Override
    public void apply(float[] chw, int planes, int height, int width, SplittableRandom rng) {
        Reference reference = references.get(references.size() == 1 ? 0 : rng.nextInt(references.size()));
        float[] e = embedding(reference);
        if (planes == 3 && channels.get(reference) == 1) {
            throw new IllegalArgumentException("reference " + reference.name() + " is gray: it holds no colour noise for a colour image");
        }
        int n = height * width;
        float[][] rgb = new float[3][n];
        for (int c = 0; c < 3; c++) System.arraycopy(chw, Math.min(c, planes - 1) * n, rgb[c], 0, n);
        GaussianNoiseSource noise = new GaussianNoiseSource(rng.nextLong());
        TileModel generator = new TileModel() {
            @Override
            public float[] apply(float[] batch, int count, int c, int h, int w) {
                try (NDManager scope = manager.newSubManager()) {
                    float[] rows = new float[count * e.length];
                    for (int i = 0; i < count; i++) System.arraycopy(e, 0, rows, i * e.length, e.length);
                    synchronized (noise) {
                        return method.synthesise(scope.create(batch, new Shape(count, c, h, w)), scope.create(rows, new Shape(count, e.length)), noise).toFloatArray();
                    }
                }
            }

            @Override public int sizeMultiple() { return method.shape().sizeMultiple(); }
        };
        // tiles share MARGIN pixels and switch at the middle of them: no tile's border output is used (the generator's
        // zero padding marked every tile edge with a line), and the noise is not averaged across tiles, which lowers it
        Image noisy = Tiler.restore(new Image(width, height, rgb, null, 8, Image.Encoding.SRGB, "transfer"), generator,
                new Tiler.Settings(TILE, MARGIN, 1, 0), Progress.NONE);
        if (planes == 3) {
            for (int c = 0; c < 3; c++) System.arraycopy(noisy.plane(c), 0, chw, c * n, n);
        } else {
            for (int i = 0; i < n; i++) chw[i] = (noisy.plane(0)[i] + noisy.plane(1)[i] + noisy.plane(2)[i]) / 3f;
        }
    }

    @Override
    public String describe() { return "transfer:" + spec; }
}
