package dev.lucid.cli;

import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.metrics.Psnr;
import dev.lucid.metrics.Ssim;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Print PSNR and SSIM of TEST against REFERENCE.",
                "scikit-image conventions: data range of the reference's bit depth; SSIM with skimage's default 7x7",
                "uniform window and with the Gaussian window."})
final class MetricsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "REFERENCE") Path reference;
    @Parameters(index = "1", paramLabel = "TEST") Path test;

    @Override
    public Integer call() throws Exception {
        Image a = ImageFiles.read(reference), b = ImageFiles.read(test);
        if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) {
            throw new IllegalArgumentException("images differ: " + a + " vs " + b);
        }
        float[][] pa = a.planes(), pb = b.planes();
        System.out.printf(Locale.ROOT, "PSNR %.4f dB%nSSIM %.5f%nSSIM-gaussian %.5f%n", Psnr.of(pa, pb, 1.0),
                Ssim.of(pa, pb, a.width(), a.height(), 1.0, Ssim.Window.UNIFORM7),
                Ssim.of(pa, pb, a.width(), a.height(), 1.0, Ssim.Window.GAUSSIAN));
        return 0;
    }
}
