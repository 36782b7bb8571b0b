package dev.lucid.spark;

import dev.lucid.ErrorMessages;
import dev.lucid.JavaHeap;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Restores one image on an executor: reads it from any Hadoop file system, restores it with the executor's shared
 * model, and writes it under a deterministic name through a temporary file renamed into place, so retries and
 * speculative copies never leave partial or duplicate outputs. An existing output is skipped (resume). Every image
 * gives a report row; one bad image never fails the task.
 */
final class ImageTask implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One report row. */
    record Outcome(String path, String output, String status, String error, long millis, double megapixels, String model) implements Serializable {}

    private final String model;
    private final String outputDir;
    private final String format;      // png, tiff, jpeg, or null for the input's family
    private final String prompt;
    private final long maxPixels;

    ImageTask(String model, String outputDir, String format, String prompt, long maxPixels) {
        this.model = model;
        this.outputDir = outputDir;
        this.format = format;
        this.prompt = prompt;
        this.maxPixels = maxPixels;
    }

    /** The output of an input: its name in the output folder, with the extension of the output format. */
    static String outputName(String input, String format) {
        String name = new Path(input).getName();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = format != null ? format : dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "png";
        if (!ext.matches("png|tiff?|jpe?g")) ext = "png";   // BMP and others: PNG, as lucid denoise writes them
        return stem + "." + ext;
    }

    Outcome run(String input, String caption, String attempt, Configuration conf) {
        long start = System.nanoTime();
        Path out = new Path(outputDir, outputName(input, format));
        try {
            FileSystem fs = out.getFileSystem(conf);
            fs.setWriteChecksum(false);   // the local file system would leave a .crc beside each image
            if (fs.exists(out)) return new Outcome(input, out.toString(), "skipped", null, 0, 0, model);
            Path source = new Path(input);
            Image image;
            try (InputStream in = source.getFileSystem(conf).open(source)) {
                image = ImageFiles.read(in, source.getName(), maxPixels);
            }
            Restorer restorer = ModelHolder.get(model);
            Image restored = restorer.restore(image, caption == null ? Guidance.none() : Guidance.text(caption));
            Path tmp = new Path(outputDir, "._" + out.getName() + "." + attempt + ".tmp");
            try (OutputStream os = fs.create(tmp, true)) {
                ImageFiles.write(restored, os, ImageFiles.Format.named(out.getName().substring(out.getName().lastIndexOf('.') + 1)), 95);
            }
            if (!fs.rename(tmp, out)) {                   // another attempt finished first: keep its file
                fs.delete(tmp, false);
                if (!fs.exists(out)) throw new IOException("cannot rename " + tmp + " to " + out);
            }
            return new Outcome(input, out.toString(), "ok", null, (System.nanoTime() - start) / 1_000_000, image.pixels() / 1e6, model);
        } catch (IOException | RuntimeException e) {
            return new Outcome(input, out.toString(), "failed", ErrorMessages.firstLine(e), (System.nanoTime() - start) / 1_000_000, 0, model);
        } catch (OutOfMemoryError e) {
            // One image too large for the executor's heap fails its own row, as a broken file does. Left uncaught, Spark
            // would kill the executor, retry the task on the next one and fail the whole job on the fourth death. What
            // this restoration held is free again once the error has unwound its frames.
            String message = new Path(input).getName() + ": " + JavaHeap.outOfMemory(e)
                    + ": give executors a larger heap (spark.executor.memory) or refuse such images (--max-pixels)";
            return new Outcome(input, out.toString(), "failed", message, (System.nanoTime() - start) / 1_000_000, 0, model);
        }
    }
}
