package dev.soma.train;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints one plain line per epoch (for logs and pipes; the command line draws a live bar on a
 * terminal instead):
 *
 * <pre>
 * epoch 3/10  loss 0.3121  accuracy 0.8870  val_loss 0.3502  val_accuracy 0.8741  2.31 s
 * </pre>
 */
public final class ProgressLogger implements Callback {

    private final PrintWriter out;
    private int epochs;

    public ProgressLogger(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onTrainStart(TrainStart e) {
        this.epochs = e.epochs();
    }

    @Override
    public boolean onEpochEnd(EpochStats stats) {
        out.println(line(stats, epochs));
        out.flush();
        return false;
    }

    /** The line for one epoch; NaN fields (no metric, no validation set) are left out. */
    public static String line(EpochStats stats, int epochs) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f",
                stats.epoch(), epochs, stats.trainLoss()));
        append(line, "accuracy", stats.trainAccuracy());
        append(line, "val_loss", stats.validationLoss());
        append(line, "val_accuracy", stats.validationAccuracy());
        return line.append(String.format(Locale.ROOT, "  %.2f s", stats.seconds())).toString();
    }

    private static void append(StringBuilder line, String name, double value) {
        if (!Double.isNaN(value)) {
            line.append(String.format(Locale.ROOT, "  %s %.4f", name, value));
        }
    }
}
