package dev.soma.nn;

import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied one after another: {@code forward(x) = mₙ(…m₂(m₁(x)))}. Children are named
 * {@code 0, 1, 2, …}, so parameters are {@code 0.weight}, {@code 2.bias}, as in PyTorch.
 */
public class Sequential extends Module {

    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module module : modules) {
            add(module);
        }
    }

    /** Appends {@code module} as the next layer. Modifies this module; returns it. */
    public Sequential add(Module module) {
        layers.add(registerModule(Integer.toString(layers.size()), module));
        return this;
    }

    /** Layer {@code index}. */
    public Module get(int index) {
        return layers.get(index);
    }

    /** The number of layers. */
    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }
}
