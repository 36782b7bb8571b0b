package dev.lucid.eval;

import dev.lucid.image.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart written as PNG with XChart (one line per series, markers when there are few points): PSNR per
 * image in {@code lucid eval --plot}, PSNR against σ in the bench, loss and validation curves of training runs.
 */
public final class Chart {

    private static final int MARKERS_UP_TO = 200;

    private final String title, xLabel, yLabel;
    private final Map<String, double[][]> series = new LinkedHashMap<>();

    public Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a series of (x, y) points; non-finite values are skipped. */
    public Chart add(String name, double[] x, double[] y) {
        series.put(name, new double[][] {x, y});
        return this;
    }

    public void write(Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(960).height(540).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setChartBackgroundColor(java.awt.Color.WHITE)
                .setDecimalPattern("#.##");
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            double[] x = e.getValue()[0], y = e.getValue()[1];
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
            }
            if (xs.isEmpty()) continue;
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            if (xs.size() > MARKERS_UP_TO) s.setMarker(SeriesMarkers.NONE);
        }
        if (chart.getSeriesMap().isEmpty()) chart.addSeries("no finite values", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, tmp -> Files.write(tmp, png));
    }
}
