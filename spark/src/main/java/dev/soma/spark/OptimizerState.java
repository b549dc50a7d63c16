package dev.soma.spark;

import dev.soma.optim.Adam;
import dev.soma.optim.AdamW;
import dev.soma.optim.Optimizer;
import dev.soma.optim.RMSprop;
import dev.soma.optim.SGD;
import dev.soma.tensor.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer as it travels to the barrier stage's tasks: its kind, its hyperparameters (PyTorch's
 * names, as {@link Optimizer#stateDict}) and its per-parameter state as plain arrays. Each task
 * rebuilds the same optimizer over its own copy of the parameters, and task 0 sends its state back;
 * the round trip copies floats, so the steps are the driver's to the bit.
 *
 * <p>Soma's optimizers are not {@code Serializable}, and their kind must be known to be rebuilt:
 * {@link SGD}, {@link Adam}, {@link AdamW} and {@link RMSprop} are.
 */
record OptimizerState(String kind, Map<String, Object> hyperparameters, Map<Integer, Integer> steps,
        Map<Integer, Map<String, float[]>> buffers) implements Serializable {

    /** The kinds that {@link #build} knows. */
    static final List<String> KINDS = List.of("SGD", "Adam", "AdamW", "RMSprop");

    /** Whether {@code optimizer}'s kind can be rebuilt on the executors. */
    static boolean known(Optimizer optimizer) {
        return KINDS.contains(optimizer.getClass().getSimpleName())
                && optimizer.getClass().getPackageName().equals("dev.soma.optim");
    }

    /** {@code optimizer}'s state (read, not modified), copied. */
    static OptimizerState of(Optimizer optimizer) {
        Optimizer.StateDict dict = optimizer.stateDict();
        Map<Integer, Integer> steps = new LinkedHashMap<>();
        Map<Integer, Map<String, float[]>> buffers = new LinkedHashMap<>();
        dict.state().forEach((i, state) -> {
            steps.put(i, state.step());
            Map<String, float[]> arrays = new LinkedHashMap<>();
            state.buffers().forEach((name, tensor) -> arrays.put(name, tensor.toArray()));
            buffers.put(i, arrays);
        });
        return new OptimizerState(optimizer.getClass().getSimpleName(), new LinkedHashMap<>(dict.hyperparameters()),
                steps, buffers);
    }

    /** The same kind of optimizer over {@code params}, with this state. */
    Optimizer build(List<Tensor> params) {
        Map<String, Object> h = hyperparameters;
        Optimizer optimizer = switch (kind) {
            case "SGD" -> SGD.builder(params, number("lr")).momentum(number("momentum")).dampening(number("dampening"))
                    .weightDecay(number("weight_decay")).nesterov((Boolean) h.get("nesterov")).build();
            case "Adam", "AdamW" -> {
                List<?> betas = (List<?>) h.get("betas");
                Adam.Builder builder = kind.equals("Adam") ? Adam.builder(params) : AdamW.builder(params);
                yield builder.lr(number("lr")).betas(((Number) betas.get(0)).doubleValue(), ((Number) betas.get(1)).doubleValue())
                        .eps(number("eps")).weightDecay(number("weight_decay")).amsgrad((Boolean) h.get("amsgrad")).build();
            }
            case "RMSprop" -> RMSprop.builder(params).lr(number("lr")).alpha(number("alpha")).eps(number("eps"))
                    .weightDecay(number("weight_decay")).momentum(number("momentum")).centered((Boolean) h.get("centered"))
                    .build();
            default -> throw new IllegalArgumentException("cannot rebuild a " + kind + " on the executors; known: " + KINDS);
        };
        restore(optimizer);
        return optimizer;
    }

    /** Loads this state into {@code optimizer} (modified), which must be of this kind and these hyperparameters. */
    void restore(Optimizer optimizer) {
        Map<Integer, Optimizer.ParamState> state = new LinkedHashMap<>();
        List<Tensor> params = optimizer.params();
        steps.forEach((i, step) -> {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            buffers.get(i).forEach((name, values) -> tensors.put(name, Tensor.of(values.clone(), params.get(i).shape())));
            state.put(i, new Optimizer.ParamState(step, tensors));
        });
        optimizer.loadStateDict(new Optimizer.StateDict(state, hyperparameters));
    }

    private double number(String name) {
        return ((Number) hyperparameters.get(name)).doubleValue();
    }
}
