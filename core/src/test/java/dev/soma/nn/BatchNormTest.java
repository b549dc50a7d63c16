package dev.soma.nn;

import static dev.soma.testing.TensorAssertions.assertClose;
import static dev.soma.testing.TensorAssertions.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import dev.soma.testing.Ref;
import dev.soma.testing.RefConvolution;
import dev.soma.testing.TensorAssertions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * BatchNorm1d and BatchNorm2d: training output against the closed form, running statistics after
 * several batches (unbiased variance, momentum 0.1), evaluation with the running statistics, PyTorch's
 * state-dict names, printed form and errors. Finite-difference gradient checks are in
 * {@code GradientCheckConvolutionTest}.
 */
class BatchNormTest {

    private static Ref ref(Tensor t) {
        return new Ref(TensorAssertions.doubles(t), t.shape());
    }

    /** Sets γ and β to drawn values (not the trivial ones and zeros). */
    private static void randomAffine(BatchNorm norm, long seed) {
        try (NoGrad scope = NoGrad.enter()) {
            norm.weight().copyFrom(Tensor.randn(new Generator(seed), norm.numFeatures()));
            norm.bias().copyFrom(Tensor.randn(new Generator(seed + 1), norm.numFeatures()));
        }
    }

    @Test
    void trainingNormalisesEachChannelWithTheBatchStatistics() {
        for (int[] shape : new int[][] {{8, 3}, {4, 3, 5}}) {
            BatchNorm1d norm = new BatchNorm1d(3);
            randomAffine(norm, 1);
            Tensor x = Tensor.randn(new Generator(2), shape).mul(3).add(1);
            Ref expected = RefConvolution.batchNorm(ref(x), ref(norm.weight()), ref(norm.bias()), 1e-5);
            assertClose(norm.forward(x), shape, expected.data(), 1e-4, 1e-5);
        }
        BatchNorm2d norm = new BatchNorm2d(4);
        randomAffine(norm, 3);
        Tensor x = Tensor.randn(new Generator(4), 3, 4, 5, 6).mul(2).sub(1);
        Ref expected = RefConvolution.batchNorm(ref(x), ref(norm.weight()), ref(norm.bias()), 1e-5);
        assertClose(norm.forward(x), x.shape(), expected.data(), 1e-4, 1e-5);
    }

    @Test
    void handComputedTrainingOutput() {
        BatchNorm1d norm = new BatchNorm1d(1);
        // Mean 2, biased variance 2/3: (x − 2)/√(2/3 + 1e-5).
        Tensor y = norm.forward(Tensor.of(new float[] {1, 2, 3}, 3, 1));
        double s = Math.sqrt(2.0 / 3 + 1e-5);
        assertClose(y, new int[] {3, 1}, new double[] {-1 / s, 0, 1 / s}, 1e-6, 1e-7);
        assertClose(norm.runningMean(), new int[] {1}, new double[] {0.2}, 1e-6, 0);
        // Unbiased variance 1: 0.9·1 + 0.1·1.
        assertClose(norm.runningVar(), new int[] {1}, new double[] {1.0}, 1e-6, 0);
    }

    @Test
    void runningStatisticsFollowTheMomentumUpdateOverSeveralBatches() {
        BatchNorm2d norm = new BatchNorm2d(3);
        double[] mean = {0, 0, 0};
        double[] variance = {1, 1, 1};
        for (int step = 0; step < 5; step++) {
            Tensor x = Tensor.randn(new Generator(10 + step), 4, 3, 2, 5).mul(step + 1).add(step - 2);
            norm.forward(x);
            for (int c = 0; c < 3; c++) {
                mean[c] = 0.9 * mean[c] + 0.1 * RefConvolution.channelMean(ref(x), c);
                variance[c] = 0.9 * variance[c] + 0.1 * RefConvolution.channelVariance(ref(x), c, 1);
            }
        }
        assertClose(norm.runningMean(), new int[] {3}, mean, 1e-5, 1e-6);
        assertClose(norm.runningVar(), new int[] {3}, variance, 1e-5, 1e-6);
        assertEquals(5, norm.numBatchesTracked());
        assertEquals(5f, norm.stateDict().get("num_batches_tracked").item());
    }

    @Test
    void theSameBatchRepeatedConvergesGeometricallyToItsStatistics() {
        BatchNorm1d norm = new BatchNorm1d(2);
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20, 5, 30, 7, 40}, 4, 2);
        for (int k = 1; k <= 7; k++) {
            norm.forward(x);
            double decay = Math.pow(0.9, k);
            // Channel 0: mean 4, unbiased variance 20/3; channel 1: mean 25, unbiased variance 500/3.
            double[] mean = {4 * (1 - decay), 25 * (1 - decay)};
            assertClose(norm.runningMean(), new int[] {2}, mean, 1e-5, 1e-6);
            assertClose(norm.runningVar(), new int[] {2},
                    new double[] {decay + 20.0 / 3 * (1 - decay), decay + 500.0 / 3 * (1 - decay)}, 1e-5, 1e-6);
        }
    }

    @Test
    void evaluationUsesTheRunningStatisticsAndChangesNothing() {
        BatchNorm2d norm = new BatchNorm2d(2);
        randomAffine(norm, 5);
        for (int step = 0; step < 3; step++) {
            norm.forward(Tensor.randn(new Generator(20 + step), 3, 2, 4, 4).mul(2).add(1));
        }
        norm.eval();
        float[] mean = norm.runningMean().toArray();
        float[] variance = norm.runningVar().toArray();
        float[] gamma = norm.weight().toArray();
        float[] beta = norm.bias().toArray();
        Tensor x = Tensor.randn(new Generator(30), 2, 2, 3, 3);
        Tensor y = norm.forward(x);
        double[] expected = new double[x.numel()];
        float[] xs = x.toArray();
        for (int e = 0; e < xs.length; e++) {
            int c = e / 9 % 2;
            expected[e] = (xs[e] - mean[c]) / Math.sqrt(variance[c] + 1e-5) * gamma[c] + beta[c];
        }
        assertClose(y, x.shape(), expected, 1e-5, 1e-6);
        assertArrayEquals(mean, norm.runningMean().toArray());
        assertArrayEquals(variance, norm.runningVar().toArray());
        assertEquals(3, norm.numBatchesTracked());
        // One sample is fine in evaluation (no batch statistics are needed).
        assertEquals(4, norm.forward(Tensor.ones(1, 2, 1, 2)).numel());
    }

    @Test
    void gradientFlowsToTheParametersAndThroughTheBatchStatistics() {
        BatchNorm1d norm = new BatchNorm1d(2);
        Tensor x = Tensor.of(new float[] {1, 4, 2, 5, 6, 0}, 3, 2).requiresGrad(true);
        norm.forward(x).sum().backward();
        // Σ y over a channel is Σ β = N·β, so ∂/∂β = N, ∂/∂γ = Σ x̂ = 0, and ∂/∂x = 0.
        assertClose(norm.bias().grad(), new int[] {2}, new double[] {3, 3}, 0, 1e-6);
        assertClose(norm.weight().grad(), new int[] {2}, new double[] {0, 0}, 0, 1e-5);
        assertClose(x.grad(), new int[] {3, 2}, new double[6], 0, 1e-5);
    }

    @Test
    void stateDictHasPyTorchsNames() {
        BatchNorm2d norm = new BatchNorm2d(16);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(norm.stateDict().keySet()));
        assertEquals(List.of("weight", "bias"), List.copyOf(norm.namedParameters().keySet()));
        assertValues(norm.weight(), new int[] {16}, Tensor.ones(16).toArray());
        assertValues(norm.bias(), new int[] {16}, new float[16]);
        assertValues(norm.runningVar(), new int[] {16}, Tensor.ones(16).toArray());
        assertEquals(0, norm.stateDict().get("num_batches_tracked").dim());

        Sequential model = new Sequential(new Conv2d.Spec(1, 4, 3).padding(1).bias(false).build(new Generator(0)), new BatchNorm2d(4),
                new ReLU());
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked"), List.copyOf(model.stateDict().keySet()));

        BatchNorm1d plain = new BatchNorm1d(3, 1e-5f, 0.1f, false);
        assertNull(plain.weight());
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(plain.stateDict().keySet()));
    }

    @Test
    void stateDictRoundTripsIntoAFreshLayer() {
        BatchNorm1d trained = new BatchNorm1d(3);
        randomAffine(trained, 7);
        trained.forward(Tensor.randn(new Generator(8), 5, 3));
        trained.forward(Tensor.randn(new Generator(9), 5, 3));
        BatchNorm1d copy = new BatchNorm1d(3);
        copy.loadStateDict(trained.stateDict());
        assertEquals(2, copy.numBatchesTracked());
        trained.eval();
        copy.eval();
        Tensor x = Tensor.randn(new Generator(10), 4, 3);
        assertArrayEquals(trained.forward(x).toArray(), copy.forward(x).toArray());
        copy.resetRunningStats();
        assertEquals(0, copy.numBatchesTracked());
        assertArrayEquals(new float[3], copy.runningMean().toArray());
    }

    @Test
    void printedFormMatchesPyTorchs() {
        assertEquals("BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
                new BatchNorm2d(16).toString());
        assertEquals("BatchNorm1d(3, eps=0.001, momentum=0.01, affine=False, track_running_stats=True)",
                new BatchNorm1d(3, 1e-3f, 0.01f, false).toString());
        assertEquals("BatchNorm1d(2, eps=1e-05, momentum=1.0, affine=True, track_running_stats=True)",
                new BatchNorm1d(2, 1e-5f, 1f, true).toString());
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void errorsNameTheLayerAndTheShapes() {
        assertMessage("batchNorm: expected more than 1 value per channel when training, got input of shape [1, 3]",
                () -> new BatchNorm1d(3).forward(Tensor.ones(1, 3)));
        assertMessage("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True): expected input"
                + " [N, 3, H, W], got [2, 4, 2, 2]", () -> new BatchNorm2d(3).forward(Tensor.ones(2, 4, 2, 2)));
        assertMessage("BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True): expected input"
                + " [N, 3] or [N, 3, L], got [2, 3, 2, 2]", () -> new BatchNorm1d(3).forward(Tensor.ones(2, 3, 2, 2)));
        assertMessage("BatchNorm1d: numFeatures must be > 0, got 0", () -> new BatchNorm1d(0));
        assertMessage("BatchNorm2d: eps must be > 0 and momentum in [0, 1], got eps 0.0, momentum 0.1",
                () -> new BatchNorm2d(2, 0f, 0.1f, true));
        assertMessage("BatchNorm2d: eps must be > 0 and momentum in [0, 1], got eps 1.0E-5, momentum 1.5",
                () -> new BatchNorm2d(2, 1e-5f, 1.5f, true));
    }
}
