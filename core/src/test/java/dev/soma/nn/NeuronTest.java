package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The lesson's neuron: its forward against closed forms, its printed equation, and the perceptron rule. */
class NeuronTest {

    private static final float[] W = {0.5f, -0.3f, 0.8f};
    private static final float B = 0.1f;
    /** Inputs whose weighted sums with W and B are -0.8, 2.25, -1.2, 0.1 and -0.25. */
    private static final float[][] X = {{1, 2, -1}, {0.5f, -1, 2}, {-3, 0, 0.25f}, {0, 0, 0}, {2, 0.5f, -1.5f}};

    private static final float[][] TRUTH_INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

    private static DoubleUnaryOperator closedForm(Activation activation) {
        return switch (activation) {
            case IDENTITY -> z -> z;
            case RELU -> z -> z > 0 ? z : 0;
            case SIGMOID -> z -> 1 / (1 + Math.exp(-z));
            case TANH -> z -> (Math.exp(z) - Math.exp(-z)) / (Math.exp(z) + Math.exp(-z));
            case STEP -> z -> z >= 0 ? 1 : 0;
        };
    }

    private static double weightedSum(float[] w, float b, float[] x) {
        double z = b;
        for (int j = 0; j < w.length; j++) {
            z += (double) w[j] * x[j];
        }
        return z;
    }

    // ---------------------------------------------------------------- forward

    @ParameterizedTest
    @EnumSource(Activation.class)
    void forwardIsActivationOfWeightedSum(Activation activation) {
        Neuron neuron = new Neuron(W, B, activation);
        DoubleUnaryOperator f = closedForm(activation);
        for (float[] x : X) {
            double z = weightedSum(W, B, x);
            Tensor y = neuron.forward(Tensor.vector(x));
            assertArrayEquals(new int[0], y.shape(), "a single input gives a scalar");
            assertEquals(f.applyAsDouble(z), y.item(), 1e-6, activation + " at z = " + z);
            assertEquals(z, neuron.preActivation(Tensor.vector(x)).item(), 1e-6);
            assertEquals(f.applyAsDouble(z), activation.apply(z), 1e-12, "Activation.apply(double) at " + z);
        }
    }

    @Test
    void stepFiresAtExactlyZeroAndReluDoesNot() {
        // w·x + b = 1·0.5 + 1·(-0.5) + 0 = 0 exactly.
        float[] x = {0.5f, -0.5f};
        assertEquals(1f, new Neuron(new float[] {1, 1}, 0, Activation.STEP).forward(Tensor.vector(x)).item());
        assertEquals(0f, new Neuron(new float[] {1, 1}, 0, Activation.RELU).forward(Tensor.vector(x)).item());
        assertEquals(0.5f, new Neuron(new float[] {1, 1}, 0, Activation.SIGMOID).forward(Tensor.vector(x)).item());
        assertEquals(0f, new Neuron(new float[] {1, 1}, -1e-7f, Activation.STEP).forward(Tensor.vector(x)).item());
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void batchInputGivesOneOutputPerRow(Activation activation) {
        Neuron neuron = new Neuron(W, B, activation);
        Tensor y = neuron.forward(Tensor.matrix(X));
        assertArrayEquals(new int[] {X.length}, y.shape());
        for (int i = 0; i < X.length; i++) {
            assertEquals(closedForm(activation).applyAsDouble(weightedSum(W, B, X[i])), y.get(i), 1e-6, "row " + i);
        }
    }

    @Test
    void wrongInputShapeIsRejected() {
        Neuron neuron = new Neuron(W, B, Activation.SIGMOID);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> neuron.forward(Tensor.zeros(2)));
        assertTrue(error.getMessage().contains("3 inputs") && error.getMessage().contains("[2]"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> neuron.forward(Tensor.scalar(1)));
        assertThrows(IllegalArgumentException.class, () -> neuron.forward(Tensor.zeros(2, 2, 3)));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new Neuron(0, Activation.STEP, new Generator(0)));
        assertTrue(none.getMessage().contains("0"), none.getMessage());
    }

    @Test
    void gradientOfSigmoidNeuronByHand() {
        // y = σ(z): ∂y/∂wⱼ = y(1 - y)·xⱼ, ∂y/∂b = y(1 - y).
        Neuron neuron = new Neuron(W, B, Activation.SIGMOID);
        float[] x = X[1];
        double y = 1 / (1 + Math.exp(-weightedSum(W, B, x)));
        neuron.forward(Tensor.vector(x)).backward();
        float[] gradW = neuron.weight().grad().toArray();
        for (int j = 0; j < x.length; j++) {
            assertEquals(y * (1 - y) * x[j], gradW[j], 1e-6, "∂y/∂w" + j);
        }
        assertEquals(y * (1 - y), neuron.bias().grad().item(), 1e-6);
    }

    @Test
    void parametersAreWeightVectorAndScalarBias() {
        Neuron neuron = new Neuron(4, Activation.TANH, new Generator(1));
        assertEquals(List.of("weight", "bias"), List.copyOf(neuron.namedParameters().keySet()));
        assertArrayEquals(new int[] {4}, neuron.weight().shape());
        assertArrayEquals(new int[0], neuron.bias().shape());
        assertEquals(5, neuron.parameterCount());
        assertSame(Activation.TANH, neuron.activation());
        for (float w : neuron.weight().toArray()) {
            assertTrue(Math.abs(w) <= 0.5f, "weight " + w + " outside ±1/√4");
        }
        assertArrayEquals(neuron.weight().toArray(), new Neuron(4, Activation.TANH, new Generator(1)).weight().toArray());
    }

    // ---------------------------------------------------------------- printing

    @Test
    void equationPrintsTheNumbers() {
        assertEquals("y = σ(0.5000·x₁ - 0.3000·x₂ + 0.1000)",
                new Neuron(new float[] {0.5f, -0.3f}, 0.1f, Activation.SIGMOID).equation());
        assertEquals("y = tanh(-1.2500·x₁ + 2.0000·x₂ - 0.5000)",
                new Neuron(new float[] {-1.25f, 2f}, -0.5f, Activation.TANH).equation());
        assertEquals("y = step(0.0000·x₁ + 0.0000)",
                new Neuron(new float[] {0f}, 0f, Activation.STEP).equation());
    }

    @Test
    void equationSubscriptsHaveSeveralDigits() {
        float[] w = new float[11];
        w[10] = 1;
        String equation = new Neuron(w, 0, Activation.RELU).equation();
        assertTrue(equation.startsWith("y = relu(0.0000·x₁ + "), equation);
        assertTrue(equation.contains(" + 1.0000·x₁₁ + 0.0000)"), equation);
        assertTrue(equation.contains("·x₁₀"), equation);
    }

    @Test
    void toStringContainsTheEquation() {
        Neuron neuron = new Neuron(new float[] {0.5f, -0.3f}, 0.1f, Activation.SIGMOID);
        assertTrue(neuron.toString().contains("y = σ(0.5000·x₁ - 0.3000·x₂ + 0.1000)"), neuron.toString());
        assertTrue(neuron.toString().startsWith("Neuron("), neuron.toString());
    }

    // ---------------------------------------------------------------- the perceptron

    @Test
    void perceptronRuleByHand() {
        Neuron neuron = new Neuron(new float[] {0.5f, -0.5f}, 0f, Activation.STEP);
        Tensor x = Tensor.vector(1, 2);
        // z = 0.5 - 1 + 0 = -0.5 → y = 0; target 1, so t - y = 1:
        // w ← w + 0.1·1·x = [0.6, -0.3], b ← b + 0.1·1 = 0.1.
        assertTrue(neuron.perceptronUpdate(x, 1, 0.1f));
        assertArrayEquals(new float[] {0.5f + 0.1f, -0.5f + 0.2f}, neuron.weight().toArray());
        assertEquals(0.1f, neuron.bias().item());

        // Now z = 0.6 - 0.6 + 0.1 > 0 → y = 1 = t: nothing changes.
        assertFalse(neuron.perceptronUpdate(x, 1, 0.1f));
        assertArrayEquals(new float[] {0.5f + 0.1f, -0.5f + 0.2f}, neuron.weight().toArray());
        assertEquals(0.1f, neuron.bias().item());

        // Target 0 while y = 1: t - y = -1 with lr 0.5, w ← w - 0.5·x, b ← b - 0.5.
        assertTrue(neuron.perceptronUpdate(x, 0, 0.5f));
        assertArrayEquals(new float[] {(0.5f + 0.1f) - 0.5f, (-0.5f + 0.2f) - 1f}, neuron.weight().toArray());
        assertEquals(0.1f - 0.5f, neuron.bias().item());
        assertTrue(neuron.weight().requiresGrad(), "the update must leave the parameters trainable");
    }

    /** Trains a seeded perceptron on a two-input truth table; returns how many of the 4 it gets right. */
    private static int trainPerceptron(float[] targets, int epochs, long seed) {
        Neuron neuron = new Neuron(2, Activation.STEP, new Generator(seed));
        for (int epoch = 0; epoch < epochs; epoch++) {
            boolean changed = false;
            for (int i = 0; i < 4; i++) {
                changed |= neuron.perceptronUpdate(Tensor.vector(TRUTH_INPUTS[i]), targets[i], 0.1f);
            }
            if (!changed) {
                break;
            }
        }
        int correct = 0;
        Tensor predictions = neuron.forward(Tensor.matrix(TRUTH_INPUTS));
        for (int i = 0; i < 4; i++) {
            correct += predictions.get(i) == targets[i] ? 1 : 0;
        }
        return correct;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 42})
    void perceptronLearnsLinearlySeparableGates(long seed) {
        assertEquals(4, trainPerceptron(new float[] {0, 0, 0, 1}, 100, seed), "AND");
        assertEquals(4, trainPerceptron(new float[] {0, 1, 1, 1}, 100, seed), "OR");
        assertEquals(4, trainPerceptron(new float[] {1, 1, 1, 0}, 100, seed), "NAND");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 42})
    void perceptronCannotLearnXor(long seed) {
        // No line separates {01, 10} from {00, 11}: every weight vector misclassifies at least one.
        int correct = trainPerceptron(new float[] {0, 1, 1, 0}, 1000, seed);
        assertTrue(correct <= 3, "XOR " + correct + "/4");
    }

    @Test
    void perceptronUpdateNeedsTheStepActivation() {
        Neuron neuron = new Neuron(new float[] {0.5f, -0.3f}, 0.1f, Activation.SIGMOID);
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> neuron.perceptronUpdate(Tensor.vector(1, 1), 1, 0.1f));
        assertTrue(error.getMessage().contains("step"), error.getMessage());
        assertTrue(error.getMessage().contains("sigmoid"), error.getMessage());
        assertArrayEquals(new float[] {0.5f, -0.3f}, neuron.weight().toArray(), "a rejected update changed the weights");
    }

    // ---------------------------------------------------------------- the enum

    @Test
    void activationsAreFoundByIdAndUnknownIdsAreNamed() {
        for (Activation a : Activation.values()) {
            assertSame(a, Activation.fromId(a.id()));
            assertSame(a, Activation.fromId(a.id().toUpperCase(Locale.ROOT)));
        }
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Activation.fromId("swish"));
        assertTrue(error.getMessage().contains("'swish'"), error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationModuleComputesTheSameAsApply(Activation activation) {
        Tensor z = Tensor.vector(-2, -0.5f, 0, 0.5f, 2);
        assertArrayEquals(activation.apply(z).toArray(), activation.module().forward(z).toArray());
    }
}
