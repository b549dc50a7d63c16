package dev.soma.app;

import dev.soma.train.Callback;
import dev.soma.train.EpochStats;
import dev.soma.train.ProgressLogger;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A live bar per epoch on a terminal, redrawn in place at most ten times a second:
 *
 * <pre>
 * epoch 2/5 [██████████▌         ] 512/938  loss 0.3817  41,200 samples/s  0:05 left
 * </pre>
 *
 * and, when the epoch ends, the epoch's summary line in its place.
 */
final class ProgressBar implements Callback {

    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private int epochs;
    private long epochStart;
    private long lastDraw;
    private long samples;
    private double lossSum;
    private int lossCount;

    ProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onTrainStart(TrainStart e) {
        this.epochs = e.epochs();
        startEpoch();
    }

    private void startEpoch() {
        epochStart = System.nanoTime();
        lastDraw = 0;
        samples = 0;
        lossSum = 0;
        lossCount = 0;
    }

    @Override
    public void onBatchEnd(BatchEnd e) {
        samples += e.examples();
        lossSum += e.loss();
        lossCount++;
        long now = System.nanoTime();
        if (e.batch() < e.batches() && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double seconds = (now - epochStart) / 1e9;
        double rate = seconds > 0 ? samples / seconds : 0;
        double left = e.batch() > 0 ? seconds * (e.batches() - e.batch()) / e.batch() : 0;
        out.print("\r" + line(e.epoch(), epochs, e.batch(), e.batches(), lossSum / lossCount, rate, left) + "\u001b[K");
        out.flush();
    }

    @Override
    public boolean onEpochEnd(EpochStats stats) {
        out.print("\r" + ProgressLogger.line(stats, epochs) + "\u001b[K\n");
        out.flush();
        startEpoch();
        return false;
    }

    /** One redraw of the bar. */
    static String line(int epoch, int epochs, int batch, int batches, double loss, double samplesPerSecond,
                       double secondsLeft) {
        double fraction = batches == 0 ? 1 : (double) batch / batches;
        int eighths = (int) Math.round(fraction * WIDTH * 8);
        StringBuilder bar = new StringBuilder();
        bar.append("█".repeat(eighths / 8));
        if (eighths % 8 > 0) {
            bar.append("▏▎▍▌▋▊▉".charAt(eighths % 8 - 1));
        }
        bar.append(" ".repeat(Math.max(0, WIDTH - bar.length())));
        long left = Math.round(secondsLeft);
        return String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d  loss %.4f  %,.0f samples/s  %d:%02d left",
                epoch, epochs, bar, batch, batches, loss, samplesPerSecond, left / 60, left % 60);
    }
}
