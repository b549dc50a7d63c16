package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** {@code y = x}: a placeholder layer, as PyTorch's {@code nn.Identity}. */
public class Identity extends Module {

    /** {@code identity}: no hyperparameters. */
    public static final LayerSpec SPEC = LayerSpec.withoutArgs("identity", Identity::new);

    @Override
    public LayerSpec spec() {
        return SPEC;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
