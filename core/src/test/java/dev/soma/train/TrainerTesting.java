package dev.soma.train;

import dev.soma.data.TensorDataset;
import dev.soma.nn.Linear;
import dev.soma.nn.Module;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The shared fixture of the trainer tests: a line to fit, layers set by hand, a frozen optimizer, a spy. */
final class TrainerTesting {

    private TrainerTesting() {
    }

    /** 16 points of the line y = 3x − 2 on [−1, 1], noise-free: inputs [16, 1], targets [16, 1]. */
    static TensorDataset line() {
        Tensor x = Tensor.linspace(-1, 1, 16).reshape(16, 1);
        return new TensorDataset(x, x.mul(3).sub(2));
    }

    /** A layer with the given weight [out, in] and bias [out], set by hand. */
    static Linear linear(float[][] weight, float... bias) {
        Linear layer = new Linear(weight[0].length, weight.length, new Generator(0));
        try (NoGrad scope = NoGrad.enter()) {
            layer.weight().copyFrom(Tensor.matrix(weight));
            layer.bias().copyFrom(Tensor.vector(bias));
        }
        return layer;
    }

    /** Plain SGD with learning rate 0: the loop runs but the model never changes. */
    static SGD frozen(Module model) {
        return new SGD(model.parameters(), 0);
    }

    /** Wraps a module and notes, at every forward, whether it was training and recording a graph. */
    static final class Spy extends Module {
        final Module inner;
        final List<String> calls = new ArrayList<>();

        Spy(Module inner) {
            this.inner = registerModule("inner", inner);
        }

        @Override
        public Tensor forward(Tensor input) {
            calls.add((isTraining() ? "train" : "eval") + (NoGrad.isGradEnabled() ? "+grad" : "+nograd")
                    + " " + input.size(0));
            return inner.forward(input);
        }
    }
}
