package dev.soma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.nn.Linear;
import dev.soma.nn.MSELoss;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The exact line printed per epoch. */
class ProgressLoggerTest {

    private static final double NAN = Double.NaN;

    @Test
    void lossAndAccuracy() {
        EpochStats stats = new EpochStats(3, 0.31214, 0.88703, NAN, NAN, 2.3148);
        assertEquals("epoch 3/10  loss 0.3121  accuracy 0.8870  2.31 s", ProgressLogger.line(stats, 10));
    }

    @Test
    void everyField() {
        EpochStats stats = new EpochStats(3, 0.31214, 0.88703, 0.35018, 0.87412, 2.3148);
        assertEquals("epoch 3/10  loss 0.3121  accuracy 0.8870  val_loss 0.3502  val_accuracy 0.8741  2.31 s",
                ProgressLogger.line(stats, 10));
    }

    @Test
    void lossOnly() {
        assertEquals("epoch 1/1  loss 1.0000  0.00 s", ProgressLogger.line(new EpochStats(1, 1, NAN, NAN, NAN, 0.001), 1));
    }

    @Test
    void validationLossWithoutAccuracy() {
        EpochStats stats = new EpochStats(2, 0.5, NAN, 0.25, NAN, 12.345678);
        assertEquals("epoch 2/5  loss 0.5000  val_loss 0.2500  12.35 s", ProgressLogger.line(stats, 5));
    }

    @Test
    void aNaNLossIsPrintedNotHidden() {
        // Only the optional fields are left out; a diverged loss must show.
        assertEquals("epoch 4/4  loss NaN  1.00 s", ProgressLogger.line(new EpochStats(4, NAN, NAN, NAN, NAN, 1), 4));
    }

    @Test
    void usesAPointWhateverTheLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("epoch 3/10  loss 0.3121  accuracy 0.8870  2.31 s",
                    ProgressLogger.line(new EpochStats(3, 0.31214, 0.88703, NAN, NAN, 2.3148), 10));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void printsOneLinePerEpochWithTheRunsLength() {
        StringWriter text = new StringWriter();
        ProgressLogger logger = new ProgressLogger(new PrintWriter(text));
        logger.onTrainStart(new Callback.TrainStart(10, 4));
        assertFalse(logger.onEpochEnd(new EpochStats(3, 0.31214, 0.88703, NAN, NAN, 2.3148)), "the logger stopped training");
        assertEquals("epoch 3/10  loss 0.3121  accuracy 0.8870  2.31 s" + System.lineSeparator(), text.toString());
    }

    @Test
    void logsATrainingRun() {
        StringWriter text = new StringWriter();
        Linear model = new Linear(1, 1, new Generator(1));
        Tensor x = Tensor.linspace(-1, 1, 8).reshape(8, 1);
        new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.1), null)
                .callback(new ProgressLogger(new PrintWriter(text)))
                .fit(new DataLoader(new TensorDataset(x, x.mul(2)), 4), null, 3);
        String[] lines = text.toString().split(System.lineSeparator());
        assertEquals(3, lines.length, text.toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(lines[i].matches("epoch " + (i + 1) + "/3  loss \\d+\\.\\d{4}  \\d+\\.\\d{2} s"), lines[i]);
        }
    }
}
