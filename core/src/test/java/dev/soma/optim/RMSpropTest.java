package dev.soma.optim;

import static dev.soma.optim.OptimizerTesting.assertClose;
import static dev.soma.optim.OptimizerTesting.assertTrajectory;
import static dev.soma.optim.OptimizerTesting.gradient;
import static dev.soma.optim.OptimizerTesting.run;
import static dev.soma.optim.OptimizerTesting.start;
import static dev.soma.optim.OptimizerTesting.twoSteps;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RMSpropTest {

    private static final double LR = 0.01;

    /** Every option combination, with ε large enough (0.1) in half of them that its placement shows. */
    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (boolean centered : new boolean[] {false, true}) {
            for (double momentum : new double[] {0, 0.9}) {
                for (double weightDecay : new double[] {0, 0.1}) {
                    for (double eps : new double[] {1e-8, 0.1}) {
                        for (double alpha : new double[] {0.99, 0.9}) {
                            all.add(Arguments.of(centered, momentum, weightDecay, eps, alpha));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "centered {0}, momentum {1}, weight decay {2}, eps {3}, alpha {4}")
    @MethodSource("configurations")
    void matchesPyTorchsAlgorithm(boolean centered, double momentum, double weightDecay, double eps, double alpha) {
        float[][] actual = run(params -> RMSprop.builder(params).lr(LR).alpha(alpha).eps(eps)
                .weightDecay(weightDecay).momentum(momentum).centered(centered).build());
        assertTrajectory(reference(centered, momentum, weightDecay, eps, alpha), actual, "RMSprop(centered "
                + centered + ", momentum " + momentum + ", weight decay " + weightDecay + ", eps " + eps
                + ", alpha " + alpha + ")");
    }

    /** PyTorch's algorithm box for RMSprop, line by line, in double. */
    private static double[][] reference(boolean centered, double mu, double lambda, double eps, double alpha) {
        double[] theta = start();
        double[] v = new double[theta.length];
        double[] gAve = new double[theta.length];
        double[] b = new double[theta.length];
        double[][] trajectory = new double[OptimizerTesting.GRADIENTS.length][];
        for (int t = 1; t <= trajectory.length; t++) {
            double[] g = gradient(t);
            for (int i = 0; i < theta.length; i++) {
                if (lambda != 0) {
                    g[i] = g[i] + lambda * theta[i];
                }
                v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
                double vTilde = v[i];
                if (centered) {
                    gAve[i] = gAve[i] * alpha + (1 - alpha) * g[i];
                    vTilde = vTilde - gAve[i] * gAve[i];
                }
                if (mu > 0) {
                    b[i] = mu * b[i] + g[i] / (Math.sqrt(vTilde) + eps);
                    theta[i] = theta[i] - LR * b[i];
                } else {
                    theta[i] = theta[i] - LR * g[i] / (Math.sqrt(vTilde) + eps);
                }
            }
            trajectory[t - 1] = theta.clone();
        }
        return trajectory;
    }

    @Test
    void byHand() {
        // Defaults γ = 0.01, α = 0.99, θ₀ = 1, g₁ = 0.5, g₂ = −0.25.
        // t = 1: v = 0.01·0.25 = 0.0025, √v = 0.05, θ = 1 − 0.01·0.5/(0.05 + 1e-8) = 0.90000002
        // t = 2: v = 0.99·0.0025 + 0.01·0.0625 = 0.003100, √v = 0.0556776, θ = 0.9 + 0.01·0.25/0.0556776 = 0.9449013
        float[] theta = twoSteps(RMSprop::new, 0.5f, -0.25f);
        assertClose(0.90000002, theta[0], "step 1");
        assertClose(0.9449013, theta[1], "step 2");
    }

    @Test
    void defaultsAreThoseOfPyTorch() {
        assertEquals("RMSprop(lr=0.01, alpha=0.99, eps=1.0E-8, weightDecay=0.0, momentum=0.0, centered=false)",
                new RMSprop(OptimizerTesting.params()).toString());
    }
}
