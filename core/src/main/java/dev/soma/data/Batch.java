package dev.soma.data;

import dev.soma.tensor.Tensor;

/** A mini-batch: inputs {@code [N, …]} and their targets {@code [N, …]}. */
public record Batch(Tensor inputs, Tensor targets) {

    /** The number of examples, N. */
    public int size() {
        return inputs.size(0);
    }
}
