package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code y = x}: a placeholder layer, as PyTorch's {@code nn.Identity}. */
public class Identity extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
