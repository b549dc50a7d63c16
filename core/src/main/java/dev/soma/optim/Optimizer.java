package dev.soma.optim;

import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Updates parameters from their gradients, as PyTorch's {@code torch.optim.Optimizer}:
 *
 * <pre>{@code
 * var optimizer = new Adam(parameters);
 * for (int i = 0; i < steps; i++) {
 *     optimizer.zeroGrad();
 *     Tensor loss = lossOf(model, batch);
 *     loss.backward();
 *     optimizer.step();
 * }
 * }</pre>
 *
 * <p>{@link #step()} updates every parameter whose gradient is not null, in place, with recording off;
 * parameters without a gradient are skipped and their state is left as it was. A subclass writes its
 * rule once, in {@link #update}, as a loop over the parameter's and gradient's own storage arrays
 * (no copies), and keeps the per-parameter state (momentum buffers, moments) in arrays indexed like
 * {@link #params()}. The step count t that bias corrections need is kept here, per parameter: it
 * counts the steps that parameter took, as PyTorch's {@code state['step']}.
 *
 * <p>One parameter group only: every parameter shares the hyperparameters (PyTorch's param groups are
 * not supported). The learning rate is mutable so that an {@link LrScheduler} can drive it.
 */
public abstract class Optimizer {

    private final List<Tensor> params;
    private final int[] steps;
    private double lr;
    /** The rate schedules start from, fixed by the first one attached (PyTorch's {@code initial_lr}). */
    private double initialLr = Double.NaN;

    /**
     * @param params the tensors to optimize: distinct leaves, usually with {@code requiresGrad}; those
     *     that never receive a gradient are simply never updated
     * @param lr the learning rate γ, ≥ 0
     */
    protected Optimizer(List<Tensor> params, double lr) {
        Objects.requireNonNull(params, "params");
        if (params.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = Objects.requireNonNull(params.get(i), "parameter " + i + " is null");
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("parameter " + i + " is not a leaf (made by '"
                        + p.gradFnName() + "'); an optimizer can only update leaves");
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException("parameter " + i + " appears twice in the parameter list");
            }
        }
        this.params = List.copyOf(params);
        this.steps = new int[params.size()];
        this.lr = requireAtLeastZero("lr", lr);
    }

    /**
     * The rule for one parameter, applied at each of its steps.
     *
     * @param index the parameter's position in {@link #params()}, to find its state
     * @param step t, 1 at the parameter's first update
     * @param param θ, row-major; modified in place: holds θₜ on return. Usually the parameter's own
     *     storage ({@link Tensor#denseStorage()}), so the rule must write each element exactly as θₜ
     * @param grad g, row-major; usually the gradient's own storage, which the rule must not modify
     */
    protected abstract void update(int index, int step, float[] param, float[] grad);

    /** Updates every parameter that has a gradient, in place, by this optimizer's rule. */
    @SuppressWarnings("try") // the scope is only entered and closed
    public final void step() {
        try (var scope = NoGrad.enter()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                // The rule works on the storage itself (parameters and gradients are dense unless a
                // view was registered as a parameter): no copies on the way in or out.
                float[] values = p.denseStorage();
                boolean copied = values == null;
                if (copied) {
                    values = p.toArray();
                }
                float[] g = grad.denseStorage();
                steps[i]++;
                update(i, steps[i], values, g != null ? g : grad.toArray());
                if (copied) {
                    p.copyFrom(Tensor.of(values, p.shape()));
                }
            }
        }
    }

    /**
     * Forgets every parameter's gradient (PyTorch 2's default, {@code set_to_none=True}), so the next
     * backward starts afresh and parameters it does not reach are skipped by {@link #step()}.
     */
    public final void zeroGrad() {
        zeroGrad(true);
    }

    /** Forgets the gradients ({@code setToNone}) or fills them with zeros, keeping their storage. */
    public final void zeroGrad(boolean setToNone) {
        for (Tensor p : params) {
            if (setToNone) {
                p.clearGrad();
            } else {
                p.zeroGrad();
            }
        }
    }

    /** The parameters, in the order given (unmodifiable). */
    public final List<Tensor> params() {
        return params;
    }

    /** The learning rate γ used by the next {@link #step()}. */
    public final double lr() {
        return lr;
    }

    /** Sets the learning rate γ, ≥ 0, for the next steps. */
    public final void setLr(double lr) {
        this.lr = requireAtLeastZero("lr", lr);
    }

    /** The base rate for schedules: this optimizer's lr when the first schedule asked for it. */
    double initialLr() {
        if (Double.isNaN(initialLr)) {
            initialLr = lr;
        }
        return initialLr;
    }

    static double requireAtLeastZero(String name, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name + " must be ≥ 0, got " + value);
        }
        return value;
    }

    static double requireBelowOne(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
