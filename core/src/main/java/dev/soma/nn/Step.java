package dev.soma.nn;

import dev.soma.tensor.Tensor;

/**
 * The hard threshold of McCulloch & Pitts and Rosenblatt's perceptron: {@code 1} where
 * {@code x ≥ threshold}, else {@code 0}. Its derivative is 0 wherever it exists, so no gradient flows
 * through it; a neuron with this activation learns by the perceptron rule
 * ({@link Neuron#perceptronUpdate}), not by backpropagation.
 */
public class Step extends Module {

    private final float threshold;

    /** A step at 0. */
    public Step() {
        this(0);
    }

    public Step(float threshold) {
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.ge(Tensor.scalar(threshold)).toFloat();
    }

    @Override
    protected String extraRepr() {
        return "threshold=" + threshold;
    }
}
