package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.Locale;

/**
 * One artificial neuron, the lesson's unit: {@code y = σ(Σⱼ wⱼ·xⱼ + b)}.
 *
 * <p>Shapes: input {@code [in]} → output {@code []}, or a batch {@code [N, in]} → {@code [N]}; weight
 * {@code [in]}, bias {@code []}. With a differentiable activation it learns by gradient descent like
 * any layer; with {@link Activation#STEP} it is Rosenblatt's perceptron and learns by
 * {@link #perceptronUpdate}. Initialisation as {@link Linear}'s: {@code U(-1/√in, 1/√in)}.
 */
public class Neuron extends Module {

    private final int inputs;
    private final Activation activation;
    private final Tensor weight;
    private final Tensor bias;

    /** A neuron with {@code inputs} inputs, initialised from {@code generator}. */
    public Neuron(int inputs, Activation activation, Generator generator) {
        if (inputs <= 0) {
            throw new IllegalArgumentException("Neuron: inputs must be > 0, got " + inputs);
        }
        this.inputs = inputs;
        this.activation = activation;
        this.weight = registerParameter("weight", Tensor.zeros(inputs));
        this.bias = registerParameter("bias", Tensor.zeros());
        float bound = (float) (1 / Math.sqrt(inputs));
        Init.uniform(weight, -bound, bound, generator);
        Init.uniform(bias, -bound, bound, generator);
    }

    /** A neuron with the given weights and bias. */
    public Neuron(float[] weights, float bias, Activation activation) {
        this(weights.length, activation, new Generator(0));
        try (NoGrad scope = NoGrad.enter()) {
            this.weight.copyFrom(Tensor.vector(weights));
            this.bias.fill(bias);
        }
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public Activation activation() {
        return activation;
    }

    /** The weighted sum {@code z = w·x + b}, before the activation. */
    public Tensor preActivation(Tensor input) {
        if (input.dim() == 0 || input.dim() > 2 || input.size(-1) != inputs) {
            throw new IllegalArgumentException("Neuron with " + inputs + " inputs: input of shape "
                    + java.util.Arrays.toString(input.shape()) + " must be [" + inputs + "] or [N, " + inputs + "]");
        }
        return input.matmul(weight).add(bias);
    }

    @Override
    public Tensor forward(Tensor input) {
        return activation.apply(preActivation(input));
    }

    /**
     * One step of Rosenblatt's perceptron rule for one example: with {@code y = step(w·x + b)},
     * {@code w ← w + lr·(t − y)·x} and {@code b ← b + lr·(t − y)}. Modifies the weight and bias.
     *
     * @return whether the example was misclassified (and the neuron changed)
     */
    public boolean perceptronUpdate(Tensor x, float target, float lr) {
        if (activation != Activation.STEP) {
            throw new IllegalStateException("perceptronUpdate: the perceptron rule needs the step activation,"
                    + " this neuron uses " + activation.id() + "; train it with gradients instead");
        }
        try (NoGrad scope = NoGrad.enter()) {
            float error = target - forward(x).item();
            if (error == 0) {
                return false;
            }
            weight.addInPlace(x, lr * error);
            bias.addInPlace(Tensor.scalar(1), lr * error);
            return true;
        }
    }

    /** The equation with this neuron's numbers, such as {@code y = σ(0.5000·x₁ - 0.3000·x₂ + 0.1000)}. */
    public String equation() {
        StringBuilder sum = new StringBuilder();
        float[] w = weight.toArray();
        for (int j = 0; j < w.length; j++) {
            if (j > 0) {
                sum.append(w[j] < 0 ? " - " : " + ");
            } else if (w[j] < 0) {
                sum.append('-');
            }
            sum.append(String.format(Locale.ROOT, "%.4f·x%s", Math.abs(w[j]), subscript(j + 1)));
        }
        float b = bias.item();
        sum.append(b < 0 ? " - " : " + ").append(String.format(Locale.ROOT, "%.4f", Math.abs(b)));
        return "y = " + activation.symbol() + "(" + sum + ")";
    }

    private static String subscript(int n) {
        StringBuilder out = new StringBuilder();
        for (char c : Integer.toString(n).toCharArray()) {
            out.append((char) ('₀' + (c - '0')));
        }
        return out.toString();
    }

    @Override
    protected String extraRepr() {
        return equation();
    }
}
