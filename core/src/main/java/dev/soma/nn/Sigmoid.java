package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code σ(x) = 1 / (1 + e⁻ˣ)}, elementwise, into (0, 1), as PyTorch's {@code nn.Sigmoid}. */
public class Sigmoid extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
