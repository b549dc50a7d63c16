package dev.soma.optim;

import static dev.soma.optim.OptimizerTesting.assertClose;
import static dev.soma.optim.OptimizerTesting.assertTrajectory;
import static dev.soma.optim.OptimizerTesting.gradient;
import static dev.soma.optim.OptimizerTesting.run;
import static dev.soma.optim.OptimizerTesting.start;
import static dev.soma.optim.OptimizerTesting.twoSteps;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SGDTest {

    private static final double LR = 0.05;

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (double momentum : new double[] {0, 0.9}) {
            for (double dampening : new double[] {0, 0.3}) {
                for (boolean nesterov : new boolean[] {false, true}) {
                    for (double weightDecay : new double[] {0, 0.1}) {
                        if (!nesterov || (momentum > 0 && dampening == 0)) {
                            all.add(Arguments.of(momentum, dampening, nesterov, weightDecay));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "momentum {0}, dampening {1}, nesterov {2}, weight decay {3}")
    @MethodSource("configurations")
    void matchesPyTorchsAlgorithm(double momentum, double dampening, boolean nesterov, double weightDecay) {
        float[][] actual = run(params -> SGD.builder(params, LR).momentum(momentum).dampening(dampening)
                .nesterov(nesterov).weightDecay(weightDecay).build());
        assertTrajectory(reference(momentum, dampening, nesterov, weightDecay), actual,
                "SGD(momentum " + momentum + ", dampening " + dampening + ", nesterov " + nesterov
                        + ", weight decay " + weightDecay + ")");
    }

    /** PyTorch's algorithm box for SGD, line by line, in double. */
    private static double[][] reference(double mu, double tau, boolean nesterov, double lambda) {
        double[] theta = start();
        double[] b = new double[theta.length];
        double[][] trajectory = new double[OptimizerTesting.GRADIENTS.length][];
        for (int t = 1; t <= trajectory.length; t++) {
            double[] g = gradient(t);
            for (int i = 0; i < theta.length; i++) {
                if (lambda != 0) {
                    g[i] = g[i] + lambda * theta[i];
                }
                if (mu != 0) {
                    if (t > 1) {
                        b[i] = mu * b[i] + (1 - tau) * g[i];
                    } else {
                        b[i] = g[i];
                    }
                    if (nesterov) {
                        g[i] = g[i] + mu * b[i];
                    } else {
                        g[i] = b[i];
                    }
                }
                theta[i] = theta[i] - LR * g[i];
            }
            trajectory[t - 1] = theta.clone();
        }
        return trajectory;
    }

    // Worked by hand, θ₀ = 1, γ = 0.1, μ = 0.9, g₁ = 0.5, g₂ = 0.3.

    @Test
    void momentumByHand() {
        // b₁ = g₁ = 0.5, θ₁ = 1 − 0.1·0.5 = 0.95; b₂ = 0.9·0.5 + 0.3 = 0.75, θ₂ = 0.95 − 0.075 = 0.875
        float[] theta = twoSteps(params -> SGD.builder(params, 0.1).momentum(0.9).build(), 0.5f, 0.3f);
        assertClose(0.95, theta[0], "step 1");
        assertClose(0.875, theta[1], "step 2");
    }

    @Test
    void dampeningSparesTheFirstStepByHand() {
        // τ = 0.5: b₁ = g₁ = 0.5 (undampened), θ₁ = 0.95; b₂ = 0.45 + 0.5·0.3 = 0.6, θ₂ = 0.95 − 0.06 = 0.89
        float[] theta = twoSteps(params -> SGD.builder(params, 0.1).momentum(0.9).dampening(0.5).build(),
                0.5f, 0.3f);
        assertClose(0.95, theta[0], "step 1");
        assertClose(0.89, theta[1], "step 2");
    }

    @Test
    void nesterovByHand() {
        // b₁ = 0.5, g = 0.5 + 0.9·0.5 = 0.95, θ₁ = 0.905; b₂ = 0.75, g = 0.3 + 0.675 = 0.975, θ₂ = 0.8075
        float[] theta = twoSteps(params -> SGD.builder(params, 0.1).momentum(0.9).nesterov(true).build(),
                0.5f, 0.3f);
        assertClose(0.905, theta[0], "step 1");
        assertClose(0.8075, theta[1], "step 2");
    }

    @Test
    void weightDecayByHand() {
        // g₁ = 0.5 + 0.1·1 = 0.6, θ₁ = 0.94; g₂ = 0.3 + 0.094 = 0.394, θ₂ = 0.94 − 0.0394 = 0.9006
        float[] theta = twoSteps(params -> SGD.builder(params, 0.1).weightDecay(0.1).build(), 0.5f, 0.3f);
        assertClose(0.94, theta[0], "step 1");
        assertClose(0.9006, theta[1], "step 2");
    }

    @Test
    void nesterovNeedsMomentumAndNoDampening() {
        var noMomentum = assertThrows(IllegalArgumentException.class,
                () -> SGD.builder(OptimizerTesting.params(), 0.1).nesterov(true).build());
        assertTrue(noMomentum.getMessage().contains("momentum 0.0"), noMomentum.getMessage());
        var dampened = assertThrows(IllegalArgumentException.class,
                () -> SGD.builder(OptimizerTesting.params(), 0.1).momentum(0.9).dampening(0.1).nesterov(true).build());
        assertTrue(dampened.getMessage().contains("dampening 0.1"), dampened.getMessage());
    }
}
