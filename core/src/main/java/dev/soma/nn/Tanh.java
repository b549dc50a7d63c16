package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code tanh x = (eˣ - e⁻ˣ) / (eˣ + e⁻ˣ)}, elementwise, into (-1, 1), as PyTorch's {@code nn.Tanh}. */
public class Tanh extends Module {

    /** {@code tanh}: no hyperparameters. */
    public static final LayerSpec SPEC = LayerSpec.withoutArgs("tanh", Tanh::new);

    @Override
    public LayerSpec spec() {
        return SPEC;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
