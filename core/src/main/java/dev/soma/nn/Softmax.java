package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code eˣⁱ / Σⱼ eˣʲ} along {@code dim}: scores into probabilities that sum to 1, as PyTorch's {@code nn.Softmax}. */
public class Softmax extends Module {

    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
