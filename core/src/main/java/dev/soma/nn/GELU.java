package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code x·Φ(x) = x/2 · (1 + erf(x/√2))}, elementwise (Hendrycks & Gimpel, 2016), as PyTorch's {@code nn.GELU}. */
public class GELU extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return input.gelu();
    }
}
