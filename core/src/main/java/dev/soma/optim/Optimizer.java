package dev.soma.optim;

import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

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
    /** Each kind of per-parameter state (a momentum buffer, a moment) by PyTorch's name, one array per parameter. */
    private final Map<String, float[][]> buffers = new LinkedHashMap<>();
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

    /**
     * A kind of per-parameter state, named as in PyTorch's {@code state_dict} ({@code exp_avg},
     * {@code momentum_buffer}): an array per parameter, null until the rule allocates it. The
     * subclass keeps the returned array and fills it; {@link #stateDict} and {@link #loadStateDict}
     * read and write it through the name.
     */
    protected final float[][] registerBuffers(String name) {
        float[][] arrays = new float[params.size()][];
        if (buffers.putIfAbsent(name, arrays) != null) {
            throw new IllegalStateException("state '" + name + "' is registered twice");
        }
        return arrays;
    }

    /**
     * The hyperparameters under PyTorch's names ({@code lr}, {@code betas}, {@code weight_decay}, …),
     * values {@code Double}, {@code Boolean} or lists of them. Subclasses add theirs to this map.
     */
    protected Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", lr);
        return h;
    }

    /**
     * An optimizer's state, as PyTorch's {@code optimizer.state_dict()}: per parameter that has taken a
     * step (by its index in {@link #params()}), its step count and its buffers; and the
     * hyperparameters. The tensors are copies.
     */
    public record StateDict(Map<Integer, ParamState> state, Map<String, Object> hyperparameters) {
        public StateDict {
            state = Collections.unmodifiableMap(new TreeMap<>(state));
            hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        }
    }

    /** One parameter's state: the steps it took and its buffers by PyTorch's name. */
    public record ParamState(int step, Map<String, Tensor> buffers) {
        public ParamState {
            buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
        }
    }

    /** This optimizer's state (copied): what a checkpoint saves so a run can resume exactly. */
    public final StateDict stateDict() {
        Map<Integer, ParamState> state = new TreeMap<>();
        for (int i = 0; i < params.size(); i++) {
            if (steps[i] == 0) {
                continue;
            }
            Map<String, Tensor> saved = new LinkedHashMap<>();
            for (Map.Entry<String, float[][]> buffer : buffers.entrySet()) {
                float[] values = buffer.getValue()[i];
                if (values != null) {
                    saved.put(buffer.getKey(), Tensor.of(values.clone(), params.get(i).shape()));
                }
            }
            state.put(i, new ParamState(steps[i], saved));
        }
        return new StateDict(state, hyperparameters());
    }

    /**
     * Restores a state from {@link #stateDict}, as PyTorch's {@code load_state_dict}: the step counts,
     * the buffers and the learning rate. The other hyperparameters must be this optimizer's own, and
     * each buffer must have its parameter's shape; otherwise nothing changes and the error says what
     * differs.
     */
    public final void loadStateDict(StateDict dict) {
        Map<String, Object> mine = hyperparameters();
        Map<String, Object> theirs = new LinkedHashMap<>(dict.hyperparameters());
        if (!(theirs.remove("lr") instanceof Number savedLr)) {
            throw new IllegalArgumentException("loadStateDict: the state has no learning rate 'lr'");
        }
        mine.remove("lr");
        if (!mine.equals(theirs)) {
            throw new IllegalArgumentException("loadStateDict: the state was saved with " + theirs
                    + ", this " + getClass().getSimpleName() + " has " + mine);
        }
        for (Map.Entry<Integer, ParamState> entry : dict.state().entrySet()) {
            int i = entry.getKey();
            if (i < 0 || i >= params.size()) {
                throw new IllegalArgumentException("loadStateDict: state for parameter " + i + ", but this optimizer has "
                        + params.size());
            }
            for (Map.Entry<String, Tensor> buffer : entry.getValue().buffers().entrySet()) {
                if (!buffers.containsKey(buffer.getKey())) {
                    throw new IllegalArgumentException("loadStateDict: parameter " + i + " has state '" + buffer.getKey()
                            + "', which " + getClass().getSimpleName() + " does not keep (it keeps " + buffers.keySet() + ")");
                }
                if (!Arrays.equals(buffer.getValue().shape(), params.get(i).shape())) {
                    throw new IllegalArgumentException("loadStateDict: parameter " + i + "'s " + buffer.getKey()
                            + " has shape " + Arrays.toString(buffer.getValue().shape()) + ", the parameter "
                            + Arrays.toString(params.get(i).shape()));
                }
            }
        }
        Arrays.fill(steps, 0);
        buffers.values().forEach(arrays -> Arrays.fill(arrays, null));
        dict.state().forEach((i, paramState) -> {
            steps[i] = paramState.step();
            paramState.buffers().forEach((name, tensor) -> buffers.get(name)[i] = tensor.toArray());
        });
        setLr(savedLr.doubleValue());
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
