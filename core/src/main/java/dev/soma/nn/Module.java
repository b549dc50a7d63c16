package dev.soma.nn;

import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A part of a network: it holds parameters (tensors that training changes), buffers (state that is
 * saved but not trained, such as running statistics) and child modules, and maps an input tensor to
 * an output tensor in {@link #forward}.
 *
 * <p>Parameters, buffers and children are registered explicitly, in order, by name; their state-dict
 * names are PyTorch's dotted paths ({@code 0.weight}, {@code fc1.bias}), so a model's weights move
 * between Soma and PyTorch unchanged. No reflection is used.
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes this module's output for {@code input}. */
    public abstract Tensor forward(Tensor input);

    /** Registers {@code value} as a parameter named {@code name}; it will require grad. Returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkNewName(name);
        parameters.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers {@code value} as a buffer: saved in the state dict, never trained. Returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkNewName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers {@code module} as a child named {@code name}. Returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        children.put(name, module);
        return module;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module names must be non-empty and contain no '.', got '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** The direct children, by name, in registration order. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    /** Every parameter, in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The number of trainable numbers: the sum of the parameters' element counts. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.numel();
        }
        return n;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        if (withBuffers) {
            buffers.forEach((name, b) -> out.put(prefix + name, b));
        }
        children.forEach((name, child) -> child.collect(prefix + name + ".", out, withBuffers));
    }

    /** Sets training mode (dropout active, batch statistics) on this module and its descendants. */
    public Module train(boolean mode) {
        training = mode;
        children.values().forEach(child -> child.train(mode));
        return this;
    }

    /** Training mode. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off, running statistics). */
    public Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode. */
    public final boolean isTraining() {
        return training;
    }

    /** Zeroes the gradient of every parameter. */
    public void zeroGrad() {
        for (Tensor p : namedParameters().values()) {
            p.zeroGrad();
        }
    }

    /**
     * Parameters and buffers by dotted name, as views sharing this module's storage and without graph
     * (PyTorch's {@code state_dict()}).
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        collect("", all, true);
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((name, t) -> out.put(name, t.detach()));
        return out;
    }

    /** The names {@link #loadStateDict(Map, boolean)} did not match, as PyTorch's {@code _IncompatibleKeys}. */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
        public IncompatibleKeys {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }

    /**
     * Copies {@code state} into this module's parameters and buffers. Strict, as PyTorch's default:
     * every name must be present, no other name may be, and each shape must match; otherwise nothing is
     * changed and the error names the keys.
     *
     * @return no missing and no unexpected keys
     * @throws IllegalArgumentException listing missing and unexpected keys, or the first shape mismatch
     */
    public final IncompatibleKeys loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies {@code state} into this module, as PyTorch's {@code load_state_dict(state, strict)}: with
     * {@code strict} false, the names both have are copied and the others are returned rather than
     * refused. A name both have must have the same shape in both, strict or not (as in PyTorch);
     * otherwise nothing is changed.
     *
     * @return the module's names missing from {@code state}, and the names of {@code state} the module
     *     does not have (sorted)
     * @throws IllegalArgumentException when strict and a name is missing or unexpected, or for the first
     *     shape mismatch
     */
    public final IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        collect("", own, true);
        List<String> missing = new ArrayList<>();
        for (String name : own.keySet()) {
            if (!state.containsKey(name)) {
                missing.add(name);
            }
        }
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("loadStateDict: " + getClass().getSimpleName() + ": missing keys "
                    + missing + ", unexpected keys " + new ArrayList<>(unexpected));
        }
        own.keySet().retainAll(state.keySet());
        for (Map.Entry<String, Tensor> entry : own.entrySet()) {
            int[] expected = entry.getValue().shape();
            int[] given = state.get(entry.getKey()).shape();
            if (!Arrays.equals(expected, given)) {
                throw new IllegalArgumentException("loadStateDict: size mismatch for " + entry.getKey()
                        + ": the state has shape " + Shape.format(given) + ", the module has "
                        + Shape.format(expected));
            }
        }
        try (NoGrad scope = NoGrad.enter()) {
            own.forEach((name, t) -> t.copyFrom(state.get(name)));
        }
        return new IncompatibleKeys(missing, new ArrayList<>(unexpected));
    }

    /**
     * What this module is, without its weights, for model files: its type and hyperparameters, from
     * which {@link LayerSpec#build} makes a module like it (with fresh weights). Layers that model
     * files can hold override this; see {@link LayerSpec} and {@link LayerRegistry}.
     *
     * @throws UnsupportedOperationException for a module that has no spec
     */
    public LayerSpec spec() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no spec, so model files cannot hold"
                + " it; give it a LayerSpec (override Module.spec) and register its reader with LayerRegistry.register");
    }

    /** The module's settings for its printed form, such as {@code in_features=2, out_features=1}. */
    protected String extraRepr() {
        return "";
    }

    /** The module tree, as PyTorch prints models. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        if (children.isEmpty()) {
            return name + "(" + extraRepr() + ")";
        }
        StringBuilder out = new StringBuilder(name).append('(');
        if (!extraRepr().isEmpty()) {
            out.append("\n  ").append(extraRepr());
        }
        children.forEach((childName, child) -> out.append("\n  (").append(childName).append("): ")
                .append(child.toString().replace("\n", "\n  ")));
        return out.append("\n)").toString();
    }
}
