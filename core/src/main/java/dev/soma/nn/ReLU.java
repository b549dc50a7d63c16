package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code max(x, 0)}, elementwise: the rectified linear unit, as PyTorch's {@code nn.ReLU}. */
public class ReLU extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
