package dev.soma.train;

import static dev.soma.train.TrainerTesting.frozen;
import static dev.soma.train.TrainerTesting.line;
import static dev.soma.train.TrainerTesting.linear;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.nn.BCEWithLogitsLoss;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Dropout;
import dev.soma.nn.Linear;
import dev.soma.nn.MSELoss;
import dev.soma.nn.Sequential;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Trainer#evaluate}: evaluation mode under NoGrad with the mode restored, the loss averaged over
 * examples rather than batches, and accuracy, in evaluation and in training, against hand counts.
 */
class TrainerEvaluationTest {

    @Test
    void evaluateIgnoresDropoutAndRestoresTrainingMode() {
        Generator generator = new Generator(10);
        Linear layer = new Linear(2, 2, generator);
        Sequential model = new Sequential(layer, new Dropout(0.5f, generator));
        TensorDataset data = new TensorDataset(Tensor.randn(new Generator(11), 7, 2), Tensor.randn(new Generator(12), 7, 2));
        Trainer trainer = new Trainer(model, new MSELoss(), frozen(model), null);
        Trainer withoutDropout = new Trainer(layer, new MSELoss(), frozen(layer), null);

        model.train();
        Trainer.Evaluation first = trainer.evaluate(data, 3);
        assertTrue(model.isTraining(), "evaluate left a training model in evaluation mode");
        assertTrue(model.get(1).isTraining(), "evaluate left the dropout layer in evaluation mode");
        Trainer.Evaluation second = trainer.evaluate(data, 3);
        assertEquals(first, second, "dropout was active during evaluation");
        assertEquals(withoutDropout.evaluate(data, 3).loss(), first.loss());
        // And the dropout really is active in training mode, so the check above means something.
        Tensor x = Tensor.ones(1, 2);
        assertNotEquals(Arrays.toString(layer.forward(x).toArray()), Arrays.toString(model.forward(x).toArray()));

        model.eval();
        assertEquals(first, trainer.evaluate(data, 3));
        assertFalse(model.isTraining(), "evaluate put an evaluating model in training mode");
    }

    @Test
    void evaluateRunsInEvaluationModeWithoutAGraph() {
        TrainerTesting.Spy model = new TrainerTesting.Spy(new Linear(1, 1, new Generator(1)));
        Trainer trainer = new Trainer(model, new MSELoss(), frozen(model), null);
        model.train();
        trainer.evaluate(line(), 6);
        assertEquals(List.of("eval+nograd 6", "eval+nograd 6", "eval+nograd 4"), model.calls);
        assertTrue(NoGrad.isGradEnabled(), "evaluate left recording off");
        assertTrue(model.isTraining());
    }

    @Test
    void evaluateRestoresTheModeWhenTheLossFails() {
        TrainerTesting.Spy model = new TrainerTesting.Spy(new Linear(1, 1, new Generator(1)));
        Trainer trainer = new Trainer(model, new MSELoss(), frozen(model), null);
        TensorDataset wrongTargets = new TensorDataset(Tensor.zeros(4, 1), Tensor.zeros(4, 3));
        model.train();
        assertThrows(IllegalArgumentException.class, () -> trainer.evaluate(wrongTargets, 2));
        assertTrue(model.isTraining());
        assertTrue(NoGrad.isGradEnabled());
    }

    @Test
    void evaluateWeighsEachBatchByItsSize() {
        // The identity, so the squared errors are those of the targets: 1, 4, 9, 16 and 100.
        Linear identity = linear(new float[][] {{1}}, 0);
        Trainer trainer = new Trainer(identity, new MSELoss(), frozen(identity), null);
        TensorDataset data = new TensorDataset(Tensor.zeros(5, 1), Tensor.vector(-1, 2, -3, 4, 10).reshape(5, 1));
        // Batches of 2: means 2.5, 12.5 and 100. Over examples: 130 / 5 = 26; a mean of the means is 38.3.
        Trainer.Evaluation evaluation = trainer.evaluate(data, 2);
        assertEquals(26, evaluation.loss(), 1e-9);
        assertEquals(5, evaluation.examples());
        assertTrue(Double.isNaN(evaluation.accuracy()), "no metric, yet an accuracy");
        assertEquals(26, trainer.evaluate(data, 5).loss(), 1e-9);
        assertEquals(26, trainer.evaluate(data, 1).loss(), 1e-9);
    }

    @Test
    void evaluateOfAnEmptyDatasetIsNaN() {
        Linear identity = linear(new float[][] {{1}}, 0);
        Trainer trainer = new Trainer(identity, new MSELoss(), frozen(identity), Metric.binaryAccuracy(0));
        Trainer.Evaluation evaluation = trainer.evaluate(new TensorDataset(Tensor.zeros(0, 1), Tensor.zeros(0, 1)), 4);
        assertEquals(0, evaluation.examples());
        assertTrue(Double.isNaN(evaluation.loss()));
        assertTrue(Double.isNaN(evaluation.accuracy()));
    }

    /**
     * Scores x·Wᵀ + b for W = [[1, 0], [0, 1], [0, 0]], b = [0, 0, 0.5]: the first two classes score the
     * two inputs, the third a constant 0.5.
     */
    private static Linear threeClasses() {
        return linear(new float[][] {{1, 0}, {0, 1}, {0, 0}}, 0, 0, 0.5f);
    }

    /**
     * Five examples: (2, 1) → class 0, (0, 3) → 1, (0, 0) → 2, (−1, −1) → 2, (1, 0.2) → 0; the targets
     * 0, 1, 0, 2, 1 make rows 0, 1 and 3 right: 3 of 5.
     */
    private static TensorDataset fiveExamples() {
        return new TensorDataset(Tensor.matrix(new float[][] {{2, 1}, {0, 3}, {0, 0}, {-1, -1}, {1, 0.2f}}),
                Tensor.ofLongs(new long[] {0, 1, 0, 2, 1}, 5));
    }

    @Test
    void multiclassAccuracyInTrainingAndEvaluation() {
        Linear model = threeClasses();
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), frozen(model), Metric.multiclassAccuracy());
        History history = trainer.fit(new DataLoader(fiveExamples(), 2, true, new Generator(1)), fiveExamples(), 3);
        for (EpochStats stats : history.epochs()) {
            assertEquals(0.6, stats.trainAccuracy(), 1e-12);
            assertEquals(0.6, stats.validationAccuracy(), 1e-12);
        }
        assertEquals(0.6, trainer.evaluate(fiveExamples(), 4).accuracy(), 1e-12);
    }

    @Test
    void binaryAccuracyInTrainingCountsTheThresholdAsClassOne() {
        // Logits x with threshold 0: predicted 0, 1, 1, 0, 1, 1 (both zeros are class 1), so against the
        // targets 0, 1, 0, 1, 1, 1 four of six are right; a strict > would make it two.
        Linear identity = linear(new float[][] {{1}}, 0);
        TensorDataset data = new TensorDataset(Tensor.vector(-2, 0, 0.5f, -0.1f, 3, 0).reshape(6, 1),
                Tensor.vector(0, 1, 0, 1, 1, 1).reshape(6, 1));
        Trainer trainer = new Trainer(identity, new BCEWithLogitsLoss(), frozen(identity), Metric.binaryAccuracy(0));
        History history = trainer.fit(new DataLoader(data, 4), null, 1);
        assertEquals(4.0 / 6, history.last().trainAccuracy(), 1e-12);
        assertEquals(4.0 / 6, trainer.evaluate(data, 6).accuracy(), 1e-12);
    }
}
