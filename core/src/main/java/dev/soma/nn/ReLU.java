package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code max(x, 0)}, elementwise: the rectified linear unit, as PyTorch's {@code nn.ReLU}. */
public class ReLU extends Module {

    /** {@code relu}: no hyperparameters. */
    public static final LayerSpec SPEC = LayerSpec.withoutArgs("relu", ReLU::new);

    @Override
    public LayerSpec spec() {
        return SPEC;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
