package dev.soma.optim;

import static dev.soma.optim.OptimizerTesting.GRADIENTS;
import static dev.soma.optim.OptimizerTesting.START;
import static dev.soma.optim.OptimizerTesting.assertClose;
import static dev.soma.optim.OptimizerTesting.assertTrajectory;
import static dev.soma.optim.OptimizerTesting.gradient;
import static dev.soma.optim.OptimizerTesting.run;
import static dev.soma.optim.OptimizerTesting.start;
import static dev.soma.optim.OptimizerTesting.twoSteps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Adam and AdamW, which share one rule but for where the weight decay goes. */
class AdamTest {

    private static final double LR = 0.1;

    /** Every option combination, with ε large enough (0.1) in half of them that its placement shows. */
    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (boolean decoupled : new boolean[] {false, true}) {
            for (boolean amsgrad : new boolean[] {false, true}) {
                for (double weightDecay : new double[] {0, 0.1}) {
                    for (double eps : new double[] {1e-8, 0.1}) {
                        for (double[] betas : new double[][] {{0.9, 0.999}, {0.5, 0.8}}) {
                            all.add(Arguments.of(decoupled, amsgrad, weightDecay, eps, betas[0], betas[1]));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "AdamW {0}, amsgrad {1}, weight decay {2}, eps {3}, betas ({4}, {5})")
    @MethodSource("configurations")
    void matchesPyTorchsAlgorithm(boolean decoupled, boolean amsgrad, double weightDecay, double eps,
            double beta1, double beta2) {
        float[][] actual = run(params -> (decoupled ? AdamW.builder(params) : Adam.builder(params)).lr(LR)
                .betas(beta1, beta2).eps(eps).weightDecay(weightDecay).amsgrad(amsgrad).build());
        double[][] expected = decoupled
                ? referenceAdamW(amsgrad, weightDecay, eps, beta1, beta2)
                : referenceAdam(amsgrad, weightDecay, eps, beta1, beta2);
        assertTrajectory(expected, actual, (decoupled ? "AdamW" : "Adam") + "(amsgrad " + amsgrad
                + ", weight decay " + weightDecay + ", eps " + eps + ", betas " + beta1 + ", " + beta2 + ")");
    }

    /**
     * A parameter large enough to be updated on both cores (60,000 elements: {@link OptimizerTesting#START}
     * repeated) follows, in every copy, exactly the trajectory of the three-element run.
     */
    @ParameterizedTest(name = "amsgrad {0}")
    @ValueSource(booleans = {false, true})
    void aLargeParameterSplitOverTheCoresMovesAsItsElementsAlone(boolean amsgrad) {
        int copies = 20_000;
        float[][] alone = run(params -> Adam.builder(params).lr(LR).amsgrad(amsgrad).build());
        Tensor p = Tensor.vector(tiled(START, copies)).requiresGrad(true);
        Optimizer optimizer = Adam.builder(List.of(p)).lr(LR).amsgrad(amsgrad).build();
        for (int t = 0; t < GRADIENTS.length; t++) {
            optimizer.zeroGrad();
            p.backward(Tensor.vector(tiled(GRADIENTS[t], copies)));
            optimizer.step();
            assertArrayEquals(tiled(alone[t], copies), p.toArray(), "step " + (t + 1));
        }
    }

    private static float[] tiled(float[] values, int copies) {
        float[] out = new float[values.length * copies];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i % values.length];
        }
        return out;
    }

    /** PyTorch's algorithm box for Adam, line by line, in double. */
    private static double[][] referenceAdam(boolean amsgrad, double lambda, double eps, double beta1,
            double beta2) {
        double[] theta = start();
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        double[] vMax = new double[theta.length];
        double[][] trajectory = new double[OptimizerTesting.GRADIENTS.length][];
        for (int t = 1; t <= trajectory.length; t++) {
            double[] g = gradient(t);
            for (int i = 0; i < theta.length; i++) {
                if (lambda != 0) {
                    g[i] = g[i] + lambda * theta[i];
                }
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat;
                if (amsgrad) {
                    vMax[i] = Math.max(vMax[i], v[i]);
                    vHat = vMax[i] / (1 - Math.pow(beta2, t));
                } else {
                    vHat = v[i] / (1 - Math.pow(beta2, t));
                }
                theta[i] = theta[i] - LR * mHat / (Math.sqrt(vHat) + eps);
            }
            trajectory[t - 1] = theta.clone();
        }
        return trajectory;
    }

    /** PyTorch's algorithm box for AdamW, line by line, in double. */
    private static double[][] referenceAdamW(boolean amsgrad, double lambda, double eps, double beta1,
            double beta2) {
        double[] theta = start();
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        double[] vMax = new double[theta.length];
        double[][] trajectory = new double[OptimizerTesting.GRADIENTS.length][];
        for (int t = 1; t <= trajectory.length; t++) {
            double[] g = gradient(t);
            for (int i = 0; i < theta.length; i++) {
                theta[i] = theta[i] - LR * lambda * theta[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat;
                if (amsgrad) {
                    vMax[i] = Math.max(vMax[i], v[i]);
                    vHat = vMax[i] / (1 - Math.pow(beta2, t));
                } else {
                    vHat = v[i] / (1 - Math.pow(beta2, t));
                }
                theta[i] = theta[i] - LR * mHat / (Math.sqrt(vHat) + eps);
            }
            trajectory[t - 1] = theta.clone();
        }
        return trajectory;
    }

    // Worked by hand, θ₀ = 1, γ = 0.1, β = (0.9, 0.999), ε = 1e-8, g₁ = 0.5, g₂ = −0.25.

    @Test
    void adamByHand() {
        // t = 1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, θ = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002
        // t = 2: m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
        //        m̂ = 0.02/0.19 = 0.1052632, v̂ = 0.00031225/0.001999 = 0.1562031, √v̂ = 0.3952254,
        //        θ = 0.900000002 − 0.1·0.1052632/0.3952254 = 0.8733663
        float[] theta = twoSteps(params -> Adam.builder(params).lr(0.1).build(), 0.5f, -0.25f);
        assertClose(0.900000002, theta[0], "step 1");
        assertClose(0.8733663, theta[1], "step 2");
    }

    @Test
    void adamWByHand() {
        // λ = 0.01. t = 1: θ = 1 − 0.1·0.01·1 = 0.999, then − 0.1·0.5/(0.5 + 1e-8): 0.899000002
        // t = 2: θ = 0.899000002·(1 − 0.001) = 0.898101002, then − 0.1·0.1052632/0.3952254 = 0.8714673
        float[] theta = twoSteps(params -> AdamW.builder(params).lr(0.1).build(), 0.5f, -0.25f);
        assertClose(0.899000002, theta[0], "step 1");
        assertClose(0.8714673, theta[1], "step 2");
    }

    @Test
    void defaultsAreThoseOfPyTorch() {
        Adam adam = new Adam(OptimizerTesting.params());
        assertEquals("Adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0, amsgrad=false)",
                adam.toString());
        Adam adamW = new AdamW(OptimizerTesting.params());
        assertEquals("AdamW(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.01, amsgrad=false)",
                adamW.toString());
        assertInstanceOf(AdamW.class, AdamW.builder(OptimizerTesting.params()).build());
    }
}
