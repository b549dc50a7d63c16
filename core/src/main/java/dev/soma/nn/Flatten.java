package dev.soma.nn;

import dev.soma.tensor.Tensor;

/**
 * Merges dimensions {@code startDim..endDim} into one: by default {@code [N, C, H, W] → [N, C·H·W]},
 * as PyTorch's {@code nn.Flatten}.
 */
public class Flatten extends Module {

    private final int startDim;
    private final int endDim;

    /** Flattens every dimension after the first (the batch). */
    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
