package dev.soma.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Makes a part of the training step (the loss, the metric) where the step runs: a task on an executor
 * builds its own from this recipe, which Spark ships with the task. A method reference or a lambda
 * typed as {@code Factory} is serializable: {@code Factory<Loss> loss = CrossEntropyLoss::new}.
 */
@FunctionalInterface
public interface Factory<T> extends Supplier<T>, Serializable {
}
