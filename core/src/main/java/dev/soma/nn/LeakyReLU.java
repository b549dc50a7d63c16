package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code x} where positive, {@code negativeSlope·x} elsewhere, as PyTorch's {@code nn.LeakyReLU}. */
public class LeakyReLU extends Module {

    private final float negativeSlope;

    /** With PyTorch's default slope, 0.01. */
    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
