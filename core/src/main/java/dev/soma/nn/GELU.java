package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code x·Φ(x) = x/2 · (1 + erf(x/√2))}, elementwise (Hendrycks & Gimpel, 2016), as PyTorch's {@code nn.GELU}. */
public class GELU extends Module {

    /** {@code gelu}: no hyperparameters. */
    public static final LayerSpec SPEC = LayerSpec.withoutArgs("gelu", GELU::new);

    @Override
    public LayerSpec spec() {
        return SPEC;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.gelu();
    }
}
