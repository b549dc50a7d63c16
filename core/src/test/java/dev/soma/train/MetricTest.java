package dev.soma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Accuracy counts against hand-counted examples, the threshold edge, and shape errors that name the shapes. */
class MetricTest {

    @Test
    void multiclassCountsRowsWhoseArgMaxIsTheTarget() {
        Tensor scores = Tensor.matrix(new float[][] {
                {0.1f, 0.7f, 0.2f},   // 1
                {3, -1, 2},           // 0
                {-5, -4, -3},         // 2
                {0, 0, 1},            // 2
        });
        assertEquals(4, Metric.multiclassAccuracy().correct(scores, Tensor.vector(1, 0, 2, 2)));
        assertEquals(2, Metric.multiclassAccuracy().correct(scores, Tensor.vector(1, 1, 0, 2)));
        assertEquals(0, Metric.multiclassAccuracy().correct(scores, Tensor.vector(0, 2, 1, 0)));
    }

    @Test
    void multiclassTiesGoToTheFirstClass() {
        Tensor scores = Tensor.matrix(new float[][] {{2, 2, 1}, {1, 3, 3}});
        assertEquals(2, Metric.multiclassAccuracy().correct(scores, Tensor.vector(0, 1)));
        assertEquals(0, Metric.multiclassAccuracy().correct(scores, Tensor.vector(1, 2)));
    }

    @Test
    void multiclassOfAnOutputThatRecordsAGraph() {
        Tensor scores = Tensor.matrix(new float[][] {{1, 2}, {4, 3}}).requiresGrad(true).mul(2);
        assertEquals(2, Metric.multiclassAccuracy().correct(scores, Tensor.vector(1, 0)));
    }

    @Test
    void binaryAtTheThresholdIsClassOne() {
        Metric metric = Metric.binaryAccuracy(0.5f);
        float below = Math.nextDown(0.5f);
        // Predicted 1, 0, 1, 0; targets 1, 0, 0, 0: three right.
        assertEquals(3, metric.correct(Tensor.vector(0.5f, below, 0.7f, 0.2f), Tensor.vector(1, 0, 0, 0)));
        assertEquals(1, metric.correct(Tensor.vector(0.5f), Tensor.vector(1)));
        assertEquals(0, metric.correct(Tensor.vector(0.5f), Tensor.vector(0)));
        assertEquals(1, metric.correct(Tensor.vector(below), Tensor.vector(0)));
    }

    @Test
    void binaryForLogitsUsesZero() {
        Metric metric = Metric.binaryAccuracy(0);
        assertEquals(4, metric.correct(Tensor.vector(-3, 0, 2, -0.0f), Tensor.vector(0, 1, 1, 1)));
    }

    @Test
    void binaryComparesElementsAcrossShapes() {
        // [N, 1] outputs against [N] targets, as a one-unit output layer gives them.
        Tensor output = Tensor.vector(0.9f, 0.1f, 0.6f).reshape(3, 1);
        assertEquals(2, Metric.binaryAccuracy(0.5f).correct(output, Tensor.vector(1, 1, 1)));
    }

    @Test
    void multiclassNamesTheShapesItRejects() {
        Metric metric = Metric.multiclassAccuracy();
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> metric.correct(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertTrue(rows.getMessage().contains("[3, 2]") && rows.getMessage().contains("[4]"), rows.getMessage());
        assertTrue(rows.getMessage().contains("[N, C] and [N]"), rows.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> metric.correct(Tensor.zeros(4), Tensor.zeros(4)));
        assertTrue(flat.getMessage().contains("scores [4]"), flat.getMessage());
        IllegalArgumentException targets = assertThrows(IllegalArgumentException.class,
                () -> metric.correct(Tensor.zeros(4, 2), Tensor.zeros(4, 1)));
        assertTrue(targets.getMessage().contains("classes [4, 1]"), targets.getMessage());
    }

    @Test
    void binaryNamesTheShapesItRejects() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Metric.binaryAccuracy(0.5f).correct(Tensor.zeros(3, 1), Tensor.zeros(4)));
        assertTrue(error.getMessage().contains("[3, 1]") && error.getMessage().contains("[4]"), error.getMessage());
        assertTrue(error.getMessage().contains("differ in size"), error.getMessage());
    }
}
