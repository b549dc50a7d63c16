package dev.soma.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * The shared fixture of the optimizer tests: a parameter vector, a fixed sequence of hand-chosen
 * gradients (large then small, with sign changes, so that momentum, AMSGrad's maximum and centering all
 * matter), and the comparison of a run against a double-precision reference.
 */
final class OptimizerTesting {

    static final float[] START = {1.5f, -2.0f, 2.5f};
    static final float[][] GRADIENTS = {
        {0.5f, -1.0f, 2.0f},
        {0.3f, -0.2f, 1.5f},
        {-0.4f, 0.8f, 0.1f},
        {0.05f, 0.6f, -0.3f},
        {1.2f, -0.1f, 0.02f},
    };
    static final double RELATIVE_TOLERANCE = 1e-6;

    private OptimizerTesting() {
    }

    /** The parameter after each step of an optimizer fed {@link #GRADIENTS} from {@link #START}. */
    static float[][] run(Function<List<Tensor>, Optimizer> optimizerFor) {
        Tensor p = Tensor.vector(START).requiresGrad(true);
        Optimizer optimizer = optimizerFor.apply(List.of(p));
        float[][] trajectory = new float[GRADIENTS.length][];
        for (int t = 0; t < GRADIENTS.length; t++) {
            optimizer.zeroGrad();
            p.backward(Tensor.vector(GRADIENTS[t]));
            optimizer.step();
            trajectory[t] = p.toArray();
        }
        return trajectory;
    }

    /**
     * θ after each of two steps from θ₀ = 1 with gradients {@code g1} then {@code g2}: the setting of
     * the hand-worked tests.
     */
    static float[] twoSteps(Function<List<Tensor>, Optimizer> optimizerFor, float g1, float g2) {
        Tensor p = Tensor.scalar(1).requiresGrad(true);
        Optimizer optimizer = optimizerFor.apply(List.of(p));
        float[] theta = new float[2];
        float[] gradients = {g1, g2};
        for (int t = 0; t < 2; t++) {
            optimizer.zeroGrad();
            p.backward(Tensor.scalar(gradients[t]));
            optimizer.step();
            theta[t] = p.item();
        }
        return theta;
    }

    /** A one-parameter list, for tests that only construct optimizers. */
    static List<Tensor> params() {
        return List.of(Tensor.vector(START).requiresGrad(true));
    }

    /** {@link #START} in double, for the references. */
    static double[] start() {
        double[] theta = new double[START.length];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = START[i];
        }
        return theta;
    }

    /** Gradient {@code t} (from 1, as in the algorithm boxes), in double. */
    static double[] gradient(int t) {
        double[] g = new double[GRADIENTS[t - 1].length];
        for (int i = 0; i < g.length; i++) {
            g[i] = GRADIENTS[t - 1][i];
        }
        return g;
    }

    static void assertTrajectory(double[][] expected, float[][] actual, String configuration) {
        assertEquals(expected.length, actual.length);
        for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < expected[t].length; i++) {
                assertClose(expected[t][i], actual[t][i], configuration + ", step " + (t + 1) + ", element " + i);
            }
        }
    }

    static void assertClose(double expected, double actual, String where) {
        double error = Math.abs(actual - expected);
        assertTrue(error <= RELATIVE_TOLERANCE * Math.abs(expected),
                where + ": expected " + expected + ", got " + actual + " (relative error "
                        + error / Math.abs(expected) + ")");
    }
}
