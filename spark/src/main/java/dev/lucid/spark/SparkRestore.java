package dev.lucid.spark;

import dev.lucid.Lucid;
import dev.lucid.image.ImageFiles;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.text.Captions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lucid-spark", mixinStandardHelpOptions = true,
        description = {"Restore many images on Apache Spark with Lucid's models.",
                "Inputs are read and outputs written on the executors, through any Hadoop file system (local, hdfs://, s3a://);",
                "an output that exists is skipped, so a stopped job resumes. Exit codes: 0 done (failed images are in the report),",
                "2 bad options, 1 internal error."})
public final class SparkRestore implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "PATH|GLOB|LIST.txt", description = "A folder, a glob, or a text file listing one image path per line.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder for the restored images (names kept, as lucid denoise --out-dir).")
    String output;

    @Option(names = "--model", paramLabel = "M", description = "Model name or directory, with optional settings (default: ${DEFAULT-VALUE}).")
    String model = Lucid.DEFAULT_MODEL;

    @Option(names = "--task", paramLabel = "TASK", description = "Restoration task for models that take one (default: denoise).")
    String task;

    @Option(names = "--prompts", paramLabel = "FILE.tsv", description = "Captions per image (header file<TAB>caption), for text-guided models.")
    String prompts;

    @Option(names = "--format", paramLabel = "png|tiff|jpg", description = "Output format (default: the input's family).")
    String format;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the image list (default: 2 per core of the master).")
    Integer partitions;

    @Option(names = "--report", paramLabel = "DIR", description = "Folder for the per-image report, as Parquet and CSV (default: OUTPUT/_report).")
    String report;

    @Option(names = "--master", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master = "local[*]";

    @Option(names = "--max-pixels", paramLabel = "N", description = "Refuse images larger than N pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels = ImageFiles.DEFAULT_MAX_PIXELS;

    static final StructType REPORT = new StructType()
            .add("path", DataTypes.StringType).add("output", DataTypes.StringType).add("status", DataTypes.StringType)
            .add("error", DataTypes.StringType).add("milliseconds", DataTypes.LongType).add("megapixels", DataTypes.DoubleType)
            .add("model", DataTypes.StringType);

    /** Totals of a finished run, for callers and tests. */
    public record Totals(long ok, long skipped, long failed) {}

    private Totals totals;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new SparkRestore());
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            System.err.println("lucid-spark: error: " + (e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")));
            return e instanceof IllegalArgumentException || e instanceof IOException ? 2 : 1;
        });
        // a usage error is one line too, not the whole usage text after it
        cli.setParameterExceptionHandler((e, given) -> {
            System.err.println("lucid-spark: error: " + e.getMessage().lines().findFirst().orElse("") + " (see lucid-spark --help)");
            return 2;
        });
        return cli.execute(args);
    }

    public Totals totals() { return totals; }

    @Override
    public Integer call() throws Exception {
        Configuration hadoop = new Configuration();
        // everything a user can get wrong is checked here, before Spark starts a task
        List<String> paths = inputs(hadoop);
        Path out = new Path(output).makeQualified(FileSystem.get(new Path(output).toUri(), hadoop).getUri(), null);
        for (String folder : paths.stream().map(p -> new Path(p).getParent()).filter(java.util.Objects::nonNull).map(Path::toString).distinct().toList()) {
            if (out.toString().equals(folder) || out.toString().startsWith(folder + "/")) {
                throw new IllegalArgumentException("--output " + output + " is inside the input folder " + folder + ": choose a folder outside it");
            }
        }
        if (format != null) ImageFiles.Format.named(format);
        Map<String, String> captions = prompts == null ? Map.of() : captions(paths);
        Guidance guidance = Guidance.none().withTask(task).withText(prompts == null ? null : "a caption");
        try (Restorer r = Lucid.load(model)) {   // an unknown model or unusable guidance fails here, in one line
            guidance.requireAccepted(r.accepts(), r.card().name());
        }
        out.getFileSystem(hadoop).mkdirs(out);

        SparkSession spark = SparkSession.builder().appName("lucid-spark").master(master)
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int n = partitions != null ? partitions : Math.max(1, Math.min(paths.size(), 2 * jsc.defaultParallelism()));
            Progress progress = new Progress(n, paths.size());
            spark.sparkContext().addSparkListener(progress);
            ImageTask task = new ImageTask(model, out.toString(), format == null ? null : ImageFiles.Format.named(format).extension(), null, maxPixels);
            SerializableConfiguration conf = new SerializableConfiguration(hadoop);
            JavaRDD<Row> rows = jsc.parallelize(paths, n).mapPartitions((Iterator<String> it) -> {
                String attempt = TaskContext.get() == null ? "0" : TaskContext.get().stageId() + "-" + TaskContext.get().partitionId() + "-" + TaskContext.get().attemptNumber();
                List<Row> done = new ArrayList<>();
                while (it.hasNext()) {
                    String p = it.next();
                    ImageTask.Outcome o = task.run(p, captions.get(p), attempt, conf.value());
                    done.add(RowFactory.create(o.path(), o.output(), o.status(), o.error(), o.millis(), o.megapixels(), o.model()));
                }
                return done.iterator();
            });
            Dataset<Row> table = spark.createDataFrame(rows, REPORT).cache();
            table.count();   // the restoration itself, one task per partition; the report is written from the cache
            String reportDir = report != null ? report : new Path(out, "_report").toString();
            table.coalesce(1).write().mode(SaveMode.Overwrite).parquet(reportDir + "/parquet");
            table.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true").csv(reportDir + "/csv");
            long ok = table.filter("status = 'ok'").count(), skipped = table.filter("status = 'skipped'").count(), failed = table.filter("status = 'failed'").count();
            totals = new Totals(ok, skipped, failed);
            for (Row r : table.filter("status = 'failed'").collectAsList()) System.err.println("  - " + r.getString(0) + ": " + r.getString(3));
            System.err.printf(Locale.ROOT, "lucid-spark: %d restored, %d skipped (already there), %d failed of %d; report in %s%n", ok, skipped, failed, paths.size(), reportDir);
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** The image paths of --input: a text list (one path a line), a folder, or a glob; fails in one line when none. */
    private List<String> inputs(Configuration hadoop) throws IOException {
        Path in = new Path(input);
        FileSystem fs = in.getFileSystem(hadoop);
        List<String> paths = new ArrayList<>();
        if (input.endsWith(".txt") && fs.isFile(in)) {
            for (String line : new String(fs.open(in).readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) paths.add(new Path(line.strip()).makeQualified(fs.getUri(), fs.getWorkingDirectory()).toString());
            }
        } else {
            FileStatus[] found = fs.globStatus(in);
            if (found == null || found.length == 0) throw new IOException("input " + input + " does not exist");
            for (FileStatus s : found) {
                if (s.isDirectory()) {
                    for (FileStatus f : fs.listStatus(s.getPath())) if (f.isFile() && isImageName(f.getPath().getName())) paths.add(f.getPath().toString());
                } else {
                    paths.add(s.getPath().toString());
                }
            }
        }
        if (paths.isEmpty()) throw new IOException("input " + input + " holds no images (png, jpg, tif, bmp, dng)");
        paths.sort(null);
        return paths;
    }

    private static boolean isImageName(String name) { return name.toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|tiff?|bmp|dng)"); }

    private Map<String, String> captions(List<String> paths) throws IOException {
        Captions table = Captions.read(java.nio.file.Path.of(prompts));
        Map<String, String> out = new java.util.HashMap<>();
        for (String p : paths) out.put(p, table.of(java.nio.file.Path.of(new Path(p).toUri().getPath())));
        return out;
    }

    /** A line per finished partition on the driver, with totals and an ETA. */
    private static final class Progress extends SparkListener {
        private final int partitions, images;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger stage = new AtomicInteger(-1);   // the restoring stage: the first to end a task
        private final long start = System.nanoTime();

        Progress(int partitions, int images) {
            this.partitions = partitions;
            this.images = images;
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            stage.compareAndSet(-1, end.stageId());
            if (end.stageId() == stage.get() && end.taskInfo().successful() && !end.taskInfo().speculative()) {
                int d = done.incrementAndGet();
                double seconds = (System.nanoTime() - start) / 1e9, eta = seconds / d * (partitions - d);
                System.err.printf(Locale.ROOT, "lucid-spark: partition %d/%d done (%d images in all), %.0f s so far, about %.0f s left%n", d, partitions, images, seconds, eta);
            }
        }
    }
}
