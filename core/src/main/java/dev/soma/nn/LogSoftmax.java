package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code xᵢ - ln Σⱼ eˣʲ} along {@code dim}: log-probabilities, computed stably, as PyTorch's {@code nn.LogSoftmax}. */
public class LogSoftmax extends Module {

    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
