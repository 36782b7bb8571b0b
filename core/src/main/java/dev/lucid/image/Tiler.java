package dev.lucid.image;

import dev.lucid.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * The one tiling path of Lucid: splits planes into overlapping tiles, runs batches of tiles through a
 * {@link TileModel} and blends them back with raised-cosine windows.
 *
 * <p>Along each axis the tiles are spread evenly, and within each overlap the two neighbouring windows
 * are complementary (w and 1 − w), so the 2-D weights sum to one everywhere. The output is therefore
 * accumulated directly, without a weight image: memory is the output planes plus one batch of tiles.
 */
public final class Tiler {

    /**
     * Tile side, overlap between neighbouring tiles, tiles per model call, and the width of the raised-cosine blend,
     * centred in each overlap (the overlap itself unless given): 0 switches from one tile to the next at the middle
     * of their overlap, for outputs that must not be averaged (generated noise, whose level averaging lowers).
     */
    public record Settings(int tile, int overlap, int batch, int blend) {
        public Settings {
            if (tile < 8) throw new IllegalArgumentException("--tile must be at least 8, got " + tile);
            if (overlap < 0) throw new IllegalArgumentException("--overlap must be >= 0, got " + overlap);
            if (tile < 4 * overlap) throw new IllegalArgumentException("--tile (" + tile + ") must be at least 4 x --overlap (" + overlap + ")");
            if (batch < 1) throw new IllegalArgumentException("tile batch must be >= 1, got " + batch);
            if (blend < 0 || blend > overlap) throw new IllegalArgumentException("the blend must be between 0 and the overlap (" + overlap + "), got " + blend);
        }

        /** Blending over the whole overlap. */
        public Settings(int tile, int overlap, int batch) { this(tile, overlap, batch, overlap); }

        public static Settings defaults() { return new Settings(512, 32, 1); }

        /** These settings with tiles no larger than {@code maxTile} (and the overlap at most a quarter of the tile). */
        public Settings within(int maxTile) {
            if (tile <= maxTile) return this;
            int narrower = Math.min(overlap, maxTile / 4);
            return new Settings(maxTile, narrower, batch, Math.min(blend, narrower));
        }
    }

    private Tiler() {}

    /**
     * Runs a model over an image: planes go in as they are when the model takes as many as the image has; a gray
     * image given to a 3-plane (RGB) model goes in as three equal planes and comes back as their mean. The result
     * is clipped to [0, 1]; size, depth, alpha and metadata are kept.
     * @throws IllegalArgumentException when the model takes another number of planes
     */
    public static Image restore(Image input, TileModel model, Settings settings, Progress progress) {
        int c = model.channels();
        boolean grayAsRgb = input.channels() == 1 && c == 3;
        if (!grayAsRgb && input.channels() != c) {
            throw new IllegalArgumentException("the model takes " + c + "-plane images, got " + input.channels() + " planes (" + input + ")");
        }
        float[][] planes = grayAsRgb ? new float[][] {input.plane(0), input.plane(0), input.plane(0)} : input.planes();
        float[][] out = run(planes, input.width(), input.height(), model, settings, progress);
        if (grayAsRgb) {
            for (int p = 0; p < out[0].length; p++) out[0][p] = (out[0][p] + out[1][p] + out[2][p]) / 3f;
            out = new float[][] {out[0]};
        }
        for (float[] plane : out) {
            for (int p = 0; p < plane.length; p++) plane[p] = Math.min(1f, Math.max(0f, plane[p]));
        }
        return input.withPlanes(out);
    }

    /** Runs the model over {@code planes} (each width*height, row-major) and returns new planes. */
    public static float[][] run(float[][] planes, int width, int height, TileModel model, Settings requested, Progress progress) {
        Settings settings = requested.within(model.maxTile());
        int c = planes.length;
        Axis ax = new Axis(width, settings.tile(), settings.overlap(), settings.blend(), model.sizeMultiple());
        Axis ay = new Axis(height, settings.tile(), settings.overlap(), settings.blend(), model.sizeMultiple());
        Band band = new Band(c, width, height, ay);
        int tilePixels = ay.padded * ax.padded;
        int total = ax.count() * ay.count();
        progress.begin("tiles", total);
        List<int[]> pending = new ArrayList<>();
        float[] batch = new float[Math.min(settings.batch(), total) * c * tilePixels];
        for (int ty = 0; ty < ay.count(); ty++) {
            for (int tx = 0; tx < ax.count(); tx++) {
                int slot = pending.size();
                extract(planes, width, height, ax, ay, tx, ty, batch, slot * c * tilePixels);
                pending.add(new int[] {tx, ty});
                if (pending.size() == settings.batch() || (ty == ay.count() - 1 && tx == ax.count() - 1)) {
                    int n = pending.size();
                    float[] input = n * c * tilePixels == batch.length ? batch : java.util.Arrays.copyOf(batch, n * c * tilePixels);
                    float[] result = model.apply(input, n, c, ay.padded, ax.padded);
                    if (result.length != n * c * tilePixels) {
                        throw new IllegalStateException("model returned " + result.length + " values for " + n + " tiles of " + c + "x" + ay.padded + "x" + ax.padded);
                    }
                    for (int i = 0; i < n; i++) band.blend(result, i * c * tilePixels, ax, pending.get(i)[0], pending.get(i)[1]);
                    progress.advance(n);
                    pending.clear();
                }
            }
        }
        return band.finish();
    }

    private static void extract(float[][] planes, int width, int height, Axis ax, Axis ay, int tx, int ty, float[] dst, int offset) {
        int x0 = ax.starts[tx], y0 = ay.starts[ty];
        int[] sx = new int[ax.padded];
        for (int j = 0; j < ax.padded; j++) sx[j] = reflect(x0 + j, width);
        int o = offset;
        for (float[] plane : planes) {
            for (int j = 0; j < ay.padded; j++) {
                int row = reflect(y0 + j, height) * width;
                for (int i = 0; i < ax.padded; i++) dst[o++] = plane[row + sx[i]];
            }
        }
    }

    /**
     * The output, blended in double precision over one band of tile rows at a time: rows no later tile reaches are
     * rounded to float and freed from the band. Blend weights are multiples of 2^-12, so every weighted sample is
     * exact in a double and a model that returns its input gives the input back bit for bit.
     */
    private static final class Band {
        private final float[][] out;
        private final int width;
        private final Axis ay;
        private final double[][] acc;
        private int top;          // first image row held in acc
        private int tileRow = -1;

        Band(int channels, int width, int height, Axis ay) {
            this.out = new float[channels][width * height];
            this.width = width;
            this.ay = ay;
            this.acc = new double[channels][ay.size * width];
        }

        /** Adds tile (tx, ty) of a tile batch; tiles arrive in raster order. */
        void blend(float[] tile, int offset, Axis ax, int tx, int ty) {
            if (ty != tileRow) moveTo(ty);
            int x0 = ax.starts[tx];
            float[] wx = ax.weights[tx], wy = ay.weights[ty];
            int tilePixels = ay.padded * ax.padded;
            for (int c = 0; c < out.length; c++) {
                double[] plane = acc[c];
                int base = offset + c * tilePixels;
                for (int j = 0; j < ay.size; j++) {
                    double rowWeight = wy[j];
                    if (rowWeight == 0) continue;
                    int src = base + j * ax.padded, dst = j * width + x0;
                    for (int i = 0; i < ax.size; i++) {
                        double w = rowWeight * wx[i];
                        if (w != 0) plane[dst + i] += w * tile[src + i];
                    }
                }
            }
        }

        /** Flushes the rows above tile row {@code ty} and shifts the rest to the top of the band. */
        private void moveTo(int ty) {
            int newTop = ay.starts[ty];
            flush(newTop - top);
            int keep = ay.size - (newTop - top);
            for (double[] plane : acc) {
                if (keep > 0) System.arraycopy(plane, (newTop - top) * width, plane, 0, keep * width);
                java.util.Arrays.fill(plane, Math.max(keep, 0) * width, plane.length, 0);
            }
            top = newTop;
            tileRow = ty;
        }

        private void flush(int rows) {
            int n = Math.min(rows, ay.size) * width;
            for (int c = 0; c < out.length; c++) {
                for (int i = 0; i < n; i++) out[c][top * width + i] = (float) acc[c][i];
            }
        }

        float[][] finish() {
            flush(ay.size);
            return out;
        }
    }

    /**
     * Mirror index into [0, n) without repeating the edge sample (…, 2, 1, 0, 1, 2, …), any distance outside;
     * 0 for n = 1. The one border rule of Lucid's filters and tiles.
     */
    public static int reflect(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** Tile positions and 1-D blend weights along one axis. */
    static final class Axis {
        final int size;       // tile extent on this axis (<= image extent)
        final int padded;     // extent fed to the model, a multiple of the model's size multiple
        final int[] starts;
        final float[][] weights;

        Axis(int length, int tile, int overlap, int blendWidth, int multiple) {
            int n = length <= tile ? 1 : (int) Math.ceil((double) (length - overlap) / (tile - overlap));
            n = Math.max(n, 1);
            // The smallest extent (a whole number of the model's size multiple where it fits) whose n tiles still cover
            // the length with the overlap asked for: n tiles of the full size overlap more than asked, computed for
            // nothing (a 3000-pixel side in 512-pixel tiles: 7 of 456 instead of 7 of 512, 11 % fewer pixels).
            size = n == 1 ? Math.min(tile, length) : Math.min(tile, ceilTo((length - overlap + n - 1) / n + overlap, multiple));
            padded = ceilTo(size, multiple);
            starts = new int[n];
            for (int i = 0; i < n; i++) starts[i] = n == 1 ? 0 : (int) Math.round((double) i * (length - size) / (n - 1));
            weights = new float[n][size];
            for (float[] w : weights) java.util.Arrays.fill(w, 1f);
            for (int i = 0; i + 1 < n; i++) {
                int shared = starts[i] + size - starts[i + 1];          // actual overlap of tiles i and i+1
                int blend = Math.min(blendWidth, shared);
                int zone = starts[i + 1] + (shared - blend) / 2;          // blend zone [zone, zone + blend)
                for (int x = starts[i + 1]; x < starts[i] + size; x++) {
                    float up;
                    if (x < zone) up = 0f;
                    else if (x >= zone + blend) up = 1f;
                    else up = Math.round(4096 * (0.5 - 0.5 * Math.cos(Math.PI * (x - zone + 0.5) / blend))) / 4096f;
                    // multiply: where three tiles meet, the middle one carries both of its ramps
                    weights[i + 1][x - starts[i + 1]] *= up;
                    weights[i][x - starts[i]] *= 1f - up;
                }
            }
        }

        int count() { return starts.length; }

        private static int ceilTo(int v, int m) { return (v + m - 1) / m * m; }
    }
}
