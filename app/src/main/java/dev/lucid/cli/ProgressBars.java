package dev.lucid.cli;

import dev.lucid.Progress;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Draws {@link Progress} as a bar with ETA on a terminal. When stderr is not a terminal (piped, nohup) it
 * stays quiet, or, with a log interval, prints one plain status line per interval.
 */
final class ProgressBars implements Progress, AutoCloseable {

    private final boolean terminal;
    private final long logIntervalMillis;
    private ProgressBar bar;
    private String label = "";
    private String stage, status = "";
    private long total, done, started, lastLog;

    private ProgressBars(boolean terminal, long logIntervalMillis) {
        this.terminal = terminal;
        this.logIntervalMillis = logIntervalMillis;
    }

    /** Bars on a terminal, silence otherwise. */
    static ProgressBars create() {
        return new ProgressBars(System.console() != null, 0);
    }

    /** Bars on a terminal, a status line every {@code seconds} otherwise (long jobs such as training). */
    static ProgressBars withLog(int seconds) {
        return new ProgressBars(System.console() != null, seconds * 1000L);
    }

    /** Names what the following stages belong to, e.g. "[2/5] IMG_0042.jpg". */
    synchronized void label(String text) {
        label = text == null ? "" : text + " ";
    }

    /** Ends the current bar, so that a line printed next does not run into it. */
    synchronized void finish() {
        closeBar();
    }

    @Override
    public synchronized void begin(String name, long units) {
        closeBar();
        stage = label + name;
        status = "";
        total = units;
        done = 0;
        started = lastLog = System.currentTimeMillis();
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(stage).setInitialMax(units).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .build();
        }
    }

    @Override
    public synchronized void advance(long units) {
        done += units;
        if (bar != null) bar.stepBy(units);
        long now = System.currentTimeMillis();
        if (!terminal && logIntervalMillis > 0 && now - lastLog >= logIntervalMillis) {
            lastLog = now;
            double rate = done / Math.max(1e-3, (now - started) / 1000.0);
            long eta = rate > 0 ? Math.round((total - done) / rate) : -1;
            System.err.printf(Locale.ROOT, "%s: %d/%d (%.1f%%), %.2f/s, ETA %dh%02dm%s%n", stage, done, total,
                    100.0 * done / Math.max(1, total), rate, eta / 3600, (eta % 3600) / 60, status.isEmpty() ? "" : ", " + status);
        }
    }

    @Override
    public synchronized void status(String text) {
        status = text == null ? "" : text;
        if (bar != null) bar.setExtraMessage(status);
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public synchronized void close() { closeBar(); }
}
