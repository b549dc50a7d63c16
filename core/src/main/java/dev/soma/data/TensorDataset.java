package dev.soma.data;

import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;

/** A dataset held in two tensors whose first dimension indexes the examples, as PyTorch's {@code TensorDataset}. */
public final class TensorDataset implements Dataset {

    private final Tensor inputs;
    private final Tensor targets;

    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("TensorDataset: inputs " + Shape.format(inputs.shape()) + " and targets "
                    + Shape.format(targets.shape()) + " need the same first dimension (one row per example)");
        }
        this.inputs = inputs.detach();
        this.targets = targets.detach();
    }

    public Tensor inputs() {
        return inputs;
    }

    public Tensor targets() {
        return targets;
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    @Override
    public Batch batch(int[] indices) {
        Tensor index = Tensor.ofInts(indices, indices.length);
        return new Batch(inputs.indexSelect(0, index), targets.indexSelect(0, index));
    }
}
