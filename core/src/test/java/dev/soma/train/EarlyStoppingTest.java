package dev.soma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Early stopping fed epoch statistics by hand: when it stops, and not a step before. */
class EarlyStoppingTest {

    private static EpochStats train(int epoch, double loss) {
        return new EpochStats(epoch, loss, Double.NaN, Double.NaN, Double.NaN, 0);
    }

    private static EpochStats validated(int epoch, double trainLoss, double validationLoss) {
        return new EpochStats(epoch, trainLoss, Double.NaN, validationLoss, Double.NaN, 0);
    }

    /** The epochs at which the callback asked to stop, feeding it training losses from epoch 1. */
    private static List<Integer> stops(EarlyStopping stopping, double... losses) {
        List<Integer> stops = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            if (stopping.onEpochEnd(train(i + 1, losses[i]))) {
                stops.add(i + 1);
            }
        }
        return stops;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndNotBefore() {
        EarlyStopping stopping = new EarlyStopping(3, 0);
        // Best 4 at epoch 2; 3 and 4 fail; 3.9 at 5 resets; 6, 7, 8 fail: stop at 8.
        assertEquals(List.of(8), stops(stopping, 5, 4, 4.5, 4.2, 3.9, 3.95, 3.95, 3.95));
        assertEquals(8, stopping.stoppedAt());
        assertEquals(3.9, stopping.best());
    }

    @Test
    void anEqualLossIsNoImprovement() {
        EarlyStopping stopping = new EarlyStopping(2, 0);
        assertEquals(List.of(3), stops(stopping, 1, 1, 1));
    }

    @Test
    void doesNotStopWhileTheLossFalls() {
        EarlyStopping stopping = new EarlyStopping(1, 0);
        assertEquals(List.of(), stops(stopping, 5, 4, 3, 2, 1, 0.5));
        assertEquals(0, stopping.stoppedAt());
        assertEquals(0.5, stopping.best());
    }

    @Test
    void improvementsSmallerThanMinDeltaDoNotCount() {
        assertEquals(List.of(2), stops(new EarlyStopping(1, 0.1), 1.0, 0.95));
        assertEquals(List.of(), stops(new EarlyStopping(1, 0.1), 1.0, 0.85));
        // Exactly minDelta better is not more than minDelta.
        assertEquals(List.of(2), stops(new EarlyStopping(1, 0.5), 2.0, 1.5));
    }

    @Test
    void aNaNLossIsNoImprovement() {
        assertEquals(List.of(3), stops(new EarlyStopping(2, 0), 1, Double.NaN, Double.NaN));
    }

    @Test
    void monitorsTheValidationLossWhenThereIsOne() {
        EarlyStopping stopping = new EarlyStopping(2, 0);
        assertEquals(false, stopping.onEpochEnd(validated(1, 1.0, 1.0)));
        assertEquals(false, stopping.onEpochEnd(validated(2, 0.5, 1.1)));
        assertEquals(true, stopping.onEpochEnd(validated(3, 0.2, 1.2)), "the falling training loss was monitored");
        assertEquals(1.0, stopping.best());
    }

    @Test
    void rejectsBadSettingsWithTheValue() {
        IllegalArgumentException patience = assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 0));
        assertTrue(patience.getMessage().contains("got 0"), patience.getMessage());
        IllegalArgumentException delta = assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, -0.1));
        assertTrue(delta.getMessage().contains("got -0.1"), delta.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new EarlyStopping(1, Double.NaN));
        assertTrue(nan.getMessage().contains("got NaN"), nan.getMessage());
    }

    @Test
    void trainStartResetsTheState() {
        EarlyStopping stopping = new EarlyStopping(1, 0);
        assertEquals(List.of(2), stops(stopping, 1, 2));
        stopping.onTrainStart(new Callback.TrainStart(10, 1));
        assertEquals(0, stopping.stoppedAt());
        assertEquals(Double.POSITIVE_INFINITY, stopping.best());
        assertEquals(List.of(), stops(stopping, 3));
    }
}
