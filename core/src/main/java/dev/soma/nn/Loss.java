package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** A loss: compares a prediction with a target and returns what training minimises. */
@FunctionalInterface
public interface Loss {

    /** The loss of {@code input} against {@code target}, reduced as the loss was configured. */
    Tensor forward(Tensor input, Tensor target);
}
