package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code σ(x) = 1 / (1 + e⁻ˣ)}, elementwise, into (0, 1), as PyTorch's {@code nn.Sigmoid}. */
public class Sigmoid extends Module {

    /** {@code sigmoid}: no hyperparameters. */
    public static final LayerSpec SPEC = LayerSpec.withoutArgs("sigmoid", Sigmoid::new);

    @Override
    public LayerSpec spec() {
        return SPEC;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
