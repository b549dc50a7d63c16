package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code tanh x = (eˣ - e⁻ˣ) / (eˣ + e⁻ˣ)}, elementwise, into (-1, 1), as PyTorch's {@code nn.Tanh}. */
public class Tanh extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
