package dev.soma.optim;

import java.util.Objects;

/**
 * Sets an optimizer's learning rate epoch by epoch, as PyTorch's {@code torch.optim.lr_scheduler}:
 *
 * <pre>{@code
 * var scheduler = new CosineAnnealingLR(optimizer, epochs, 0);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     trainOneEpoch(optimizer);     // optimizer.step() per batch, at scheduler.lastLr()
 *     scheduler.step();
 * }
 * }</pre>
 *
 * <p>Each schedule is a closed form {@link #lrAt(int) ηₜ} of the epoch t and the base rate η₀: the
 * optimizer's lr when the first scheduler was attached to it (PyTorch's {@code initial_lr}), so that a
 * second scheduler built on the same optimizer starts from the same η₀. Construction sets the optimizer's
 * lr to η₀'s epoch-0 value; each {@link #step()} advances t by one and sets ηₜ. A change of the lr made
 * with {@link Optimizer#setLr} between steps is overwritten by the next step, where PyTorch's chainable
 * forms would build on it.
 *
 * <p>Because this constructor already calls {@link #lrAt(int)}, a subclass assigns its fields before
 * calling {@code super(optimizer)} (Java 25's flexible constructor bodies).
 */
public abstract class LrScheduler {

    private final Optimizer optimizer;
    private final double baseLr;
    private int epoch;
    private double lastLr;

    /** Attaches to {@code optimizer} and sets its lr to {@code lrAt(0)}. Modifies the optimizer's lr. */
    @SuppressWarnings("this-escape") // lrAt may read subclass fields: they are set before super()
    protected LrScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLr = optimizer.initialLr();
        apply();
    }

    /** ηₜ, the learning rate at epoch t ≥ 0; pure (sets nothing). */
    public abstract double lrAt(int epoch);

    /** Advances one epoch and sets the optimizer's lr to that epoch's rate. Modifies the optimizer's lr. */
    public final void step() {
        epoch++;
        apply();
    }

    /** The rate this scheduler set last: the current epoch's. */
    public final double lastLr() {
        return lastLr;
    }

    /** The current epoch t: 0 after construction, plus one per {@link #step()}. */
    public final int epoch() {
        return epoch;
    }

    /** η₀, the rate the schedule scales. */
    public final double baseLr() {
        return baseLr;
    }

    /** The optimizer whose lr this scheduler sets. */
    public final Optimizer optimizer() {
        return optimizer;
    }

    private void apply() {
        lastLr = lrAt(epoch);
        optimizer.setLr(lastLr);
    }

    static double requirePositive(String name, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
        return value;
    }

    static int requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be ≥ 1, got " + value);
        }
        return value;
    }
}
