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

    /**
     * The layers in turn; a {@link Conv2d} followed by a {@link ReLU} (and a {@code MaxPool2d(2)}) runs
     * as one op ({@link Tensor#conv2dRelu}), with the same values and gradients as the layers one by one
     * but without storing the convolution's output (3 MB per batch of 64 for the first layer of the
     * reference CNN). Only these exact classes are fused, not subclasses, which may forward otherwise.
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            Tensor fused = null;
            if (layer.getClass() == Conv2d.class && isExactly(i + 1, ReLU.class)) {
                boolean pool = isExactly(i + 2, MaxPool2d.class) && ((MaxPool2d) layers.get(i + 2)).isTwoByTwo();
                fused = ((Conv2d) layer).forwardRelu(x, pool);
                i += fused == null ? 0 : pool ? 2 : 1;
            }
            x = fused != null ? fused : layer.forward(x);
        }
        return x;
    }

    private boolean isExactly(int index, Class<? extends Module> type) {
        return index < layers.size() && layers.get(index).getClass() == type;
    }
}
