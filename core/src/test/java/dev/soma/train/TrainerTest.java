package dev.soma.train;

import static dev.soma.train.TrainerTesting.frozen;
import static dev.soma.train.TrainerTesting.line;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.nn.Linear;
import dev.soma.nn.MSELoss;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The training loop: it fits a line, records one entry per epoch, repeats itself for the same seeds,
 * calls callbacks in order, stops early, and leaves the model in evaluation mode.
 */
class TrainerTest {

    /** Writes every callback it receives as one line. */
    private static final class Recorder implements Callback {
        final String name;
        final List<String> events;
        final List<EpochStats> epochs = new ArrayList<>();
        final List<Double> batchLosses = new ArrayList<>();
        final List<Integer> batchExamples = new ArrayList<>();
        History endHistory;
        int stopAt;

        Recorder(String name, List<String> events) {
            this.name = name;
            this.events = events;
        }

        @Override
        public void onTrainStart(TrainStart e) {
            events.add(name + " start " + e.epochs() + " " + e.batchesPerEpoch());
        }

        @Override
        public void onBatchEnd(BatchEnd e) {
            events.add(name + " batch " + e.epoch() + " " + e.batch() + "/" + e.batches() + " " + e.examples());
            batchLosses.add(e.loss());
            batchExamples.add(e.examples());
        }

        @Override
        public boolean onEpochEnd(EpochStats stats) {
            events.add(name + " epoch " + stats.epoch());
            epochs.add(stats);
            return stats.epoch() == stopAt;
        }

        @Override
        public void onTrainEnd(History history) {
            events.add(name + " end " + history.epochs().size());
            endHistory = history;
        }
    }

    private record Run(History history, float[] weight, float[] bias) {
    }

    /** Fits y = 3x − 2 with SGD(lr 0.1), batches of 4 shuffled, from the given seeds. */
    private static Run fitLine(long initSeed, long shuffleSeed, int epochs) {
        Linear model = new Linear(1, 1, new Generator(initSeed));
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.1), null);
        History history = trainer.fit(new DataLoader(line(), 4, true, new Generator(shuffleSeed)), null, epochs);
        return new Run(history, model.weight().toArray(), model.bias().toArray());
    }

    @Test
    void sgdFitsALine() {
        Linear model = new Linear(1, 1, new Generator(5));
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.1), null);
        History history = trainer.fit(new DataLoader(line(), 4, true, new Generator(6)), null, 150);
        assertTrue(history.last().trainLoss() < 1e-4, "final training loss " + history.last().trainLoss());
        assertTrue(trainer.evaluate(line(), 16).loss() < 1e-4, "final loss " + trainer.evaluate(line(), 16).loss());
        assertEquals(3, model.weight().item(), 1e-2);
        assertEquals(-2, model.bias().item(), 1e-2);
        double[] losses = history.trainLoss();
        assertTrue(losses[losses.length - 1] < losses[0] * 1e-4, Arrays.toString(losses));
    }

    @Test
    void historyHasOneFiniteEntryPerEpoch() {
        History history = fitLine(1, 2, 12).history();
        List<EpochStats> epochs = history.epochs();
        assertEquals(12, epochs.size());
        for (int i = 0; i < epochs.size(); i++) {
            EpochStats stats = epochs.get(i);
            assertEquals(i + 1, stats.epoch());
            assertTrue(Double.isFinite(stats.trainLoss()) && stats.trainLoss() >= 0, stats.toString());
            assertTrue(Double.isNaN(stats.trainAccuracy()), "no metric, yet an accuracy: " + stats);
            assertTrue(Double.isNaN(stats.validationLoss()), "no validation set, yet a loss: " + stats);
            assertTrue(Double.isNaN(stats.validationAccuracy()), stats.toString());
            assertTrue(stats.seconds() >= 0 && stats.seconds() < 60, stats.toString());
        }
        assertSame(epochs.getLast(), history.last());
        assertEquals(12, history.trainLoss().length);
        assertEquals(12, history.epochSeconds().length);
        assertThrows(UnsupportedOperationException.class, () -> history.epochs().clear());
    }

    @Test
    void historyWithAValidationSetRecordsTheEvaluationAfterEachEpoch() {
        Linear model = new Linear(1, 1, new Generator(3));
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.05), null);
        TensorDataset validation = new TensorDataset(Tensor.vector(0.5f, 2, -3).reshape(3, 1),
                Tensor.vector(-0.5f, 4, -11).reshape(3, 1));
        History history = trainer.fit(new DataLoader(line(), 5, true, new Generator(4)), validation, 6);
        for (EpochStats stats : history.epochs()) {
            assertTrue(Double.isFinite(stats.validationLoss()), stats.toString());
        }
        // The last evaluation saw the final weights, as evaluate() does now, in batches of the loader's size.
        assertEquals(trainer.evaluate(validation, 5).loss(), history.last().validationLoss());
        assertEquals(6, history.validationAccuracy().length);
    }

    @Test
    void theSameSeedsGiveTheSameRunBitForBit() {
        Run first = fitLine(11, 12, 8);
        Run second = fitLine(11, 12, 8);
        assertArrayEquals(first.history().trainLoss(), second.history().trainLoss());
        assertArrayEquals(first.weight(), second.weight());
        assertArrayEquals(first.bias(), second.bias());
    }

    @Test
    void anotherShuffleSeedGivesAnotherRun() {
        Run first = fitLine(11, 12, 8);
        Run reshuffled = fitLine(11, 13, 8);
        assertFalse(Arrays.equals(first.history().trainLoss(), reshuffled.history().trainLoss()));
        assertFalse(Arrays.equals(first.weight(), reshuffled.weight()) && Arrays.equals(first.bias(), reshuffled.bias()));
    }

    @Test
    void trainingLossIsTheMeanOverExamplesOfTheBatchLosses() {
        Linear model = new Linear(1, 1, new Generator(8));
        Recorder recorder = new Recorder("r", new ArrayList<>());
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.1), null).callback(recorder);
        // 16 examples in batches of 5: 5, 5, 5, 1, so a plain mean of the batch losses would differ.
        History history = trainer.fit(new DataLoader(line(), 5, true, new Generator(9)), null, 1);
        double sum = 0;
        for (int i = 0; i < recorder.batchLosses.size(); i++) {
            sum += recorder.batchLosses.get(i) * recorder.batchExamples.get(i);
        }
        assertEquals(List.of(5, 5, 5, 1), recorder.batchExamples);
        assertEquals(sum / 16, history.last().trainLoss(), 1e-12);
    }

    @Test
    void callbacksSeeEveryEventInOrder() {
        List<String> events = new ArrayList<>();
        Recorder a = new Recorder("a", events);
        Recorder b = new Recorder("b", events);
        Linear model = new Linear(1, 1, new Generator(2));
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.01), null)
                .callback(a).callback(b);
        TensorDataset ten = new TensorDataset(Tensor.arange(10).reshape(10, 1), Tensor.zeros(10, 1));
        History history = trainer.fit(new DataLoader(ten, 3, true, new Generator(3)), null, 2);

        List<String> expected = new ArrayList<>(List.of("a start 2 4", "b start 2 4"));
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (int batch = 1; batch <= 4; batch++) {
                int examples = batch == 4 ? 1 : 3;
                expected.add("a batch " + epoch + " " + batch + "/4 " + examples);
                expected.add("b batch " + epoch + " " + batch + "/4 " + examples);
            }
            expected.add("a epoch " + epoch);
            expected.add("b epoch " + epoch);
        }
        expected.add("a end 2");
        expected.add("b end 2");
        assertEquals(expected, events);
        assertSame(history, a.endHistory);
        assertEquals(history.epochs(), a.epochs);
        assertEquals(history.epochs(), b.epochs);
        a.batchLosses.forEach(loss -> assertTrue(Double.isFinite(loss), "batch loss " + loss));
    }

    @Test
    void aCallbackStopsTheRunAfterEveryCallbackHasSeenTheEpoch() {
        List<String> events = new ArrayList<>();
        Recorder stopper = new Recorder("a", events);
        stopper.stopAt = 2;
        Recorder other = new Recorder("b", events);
        Linear model = new Linear(1, 1, new Generator(2));
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.01), null)
                .callback(stopper).callback(other);
        History history = trainer.fit(new DataLoader(line(), 16), null, 5);
        assertEquals(2, history.epochs().size());
        assertEquals(List.of("a start 5 1", "b start 5 1", "a batch 1 1/1 16", "b batch 1 1/1 16", "a epoch 1",
                "b epoch 1", "a batch 2 1/1 16", "b batch 2 1/1 16", "a epoch 2", "b epoch 2", "a end 2", "b end 2"),
                events);
    }

    @Test
    void earlyStoppingStopsAfterPatienceEpochsWithoutImprovement() {
        Linear model = new Linear(1, 1, new Generator(4));
        EarlyStopping stopping = new EarlyStopping(3, 0);
        Trainer trainer = new Trainer(model, new MSELoss(), frozen(model), null).callback(stopping);
        // No shuffle and lr 0: every epoch has exactly the first epoch's loss, which is the best.
        History history = trainer.fit(new DataLoader(line(), 4), null, 20);
        assertEquals(4, history.epochs().size(), "epoch 1 sets the best, epochs 2, 3, 4 fail to improve on it");
        assertEquals(4, stopping.stoppedAt());
        assertEquals(history.trainLoss()[0], stopping.best());
        assertEquals(history.trainLoss()[0], history.last().trainLoss());
    }

    @Test
    void earlyStoppingLetsAnImprovingRunFinish() {
        Linear model = new Linear(1, 1, new Generator(4));
        EarlyStopping stopping = new EarlyStopping(1, 0);
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.1), null).callback(stopping);
        // Full-batch gradient descent on a convex quadratic with a small step: the loss falls every epoch.
        History history = trainer.fit(new DataLoader(line(), 16), null, 20);
        assertEquals(20, history.epochs().size(), Arrays.toString(history.trainLoss()));
        assertEquals(0, stopping.stoppedAt());
    }

    @Test
    void earlyStoppingStartsAfreshInEachRun() {
        Linear model = new Linear(1, 1, new Generator(4));
        EarlyStopping stopping = new EarlyStopping(2, 0);
        Trainer trainer = new Trainer(model, new MSELoss(), frozen(model), null).callback(stopping);
        assertEquals(3, trainer.fit(new DataLoader(line(), 4), null, 10).epochs().size());
        assertEquals(3, trainer.fit(new DataLoader(line(), 4), null, 10).epochs().size(),
                "the second run inherited the first run's patience count");
        assertEquals(3, stopping.stoppedAt());
    }

    @Test
    void fitTrainsInTrainingModeAndValidatesInEvaluationModeWithoutAGraph() {
        TrainerTesting.Spy model = new TrainerTesting.Spy(new Linear(1, 1, new Generator(1)));
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.01), null);
        TensorDataset validation = new TensorDataset(Tensor.zeros(3, 1), Tensor.zeros(3, 1));
        trainer.fit(new DataLoader(line(), 8), validation, 2);
        assertEquals(List.of("train+grad 8", "train+grad 8", "eval+nograd 3", "train+grad 8", "train+grad 8",
                "eval+nograd 3"), model.calls);
        assertFalse(model.isTraining(), "the model was left in training mode after fit");
        assertFalse(model.inner.isTraining());
        assertTrue(NoGrad.isGradEnabled(), "fit left recording off");
    }

    @Test
    void fitWithZeroEpochsReturnsAnEmptyHistory() {
        Linear model = new Linear(1, 1, new Generator(1));
        float[] before = model.weight().toArray();
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.1), null);
        History history = trainer.fit(new DataLoader(line(), 4), null, 0);
        assertTrue(history.epochs().isEmpty());
        assertEquals(0, history.trainLoss().length);
        assertThrows(IllegalStateException.class, history::last);
        assertArrayEquals(before, model.weight().toArray());
    }

    @Test
    void fitRejectsNegativeEpochs() {
        Linear model = new Linear(1, 1, new Generator(1));
        Trainer trainer = new Trainer(model, new MSELoss(), new SGD(model.parameters(), 0.1), null);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(new DataLoader(line(), 4), null, -2));
        assertTrue(error.getMessage().contains("got -2"), error.getMessage());
    }
}
