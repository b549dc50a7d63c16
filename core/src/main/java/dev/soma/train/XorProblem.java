package dev.soma.train;

import dev.soma.data.TensorDataset;
import dev.soma.data.ToyData;
import dev.soma.nn.BCELoss;
import dev.soma.nn.Linear;
import dev.soma.nn.Sequential;
import dev.soma.nn.Sigmoid;
import dev.soma.nn.Tanh;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;

/**
 * XOR learned by the smallest network that can: the four corners of the unit square
 * ({@link ToyData#xor()}) as one batch, a 2-4-1 network (tanh hidden layer, sigmoid output),
 * binary cross-entropy, SGD with lr 0.5. It is the lesson's turning point ({@code soma demo xor}) and
 * the reference workload of the benchmarks: {@code soma bench xor} and the bench module's
 * {@code XorColdStart} time its steps, PyTorch's {@code xor.py} runs the same. The same generator
 * gives the same initial weights, and so the same steps.
 *
 * <pre>{@code
 * var xor = new XorProblem(new Generator(0));
 * for (int i = 0; i < 5000; i++) {
 *     xor.step();                 // zeroGrad, forward, loss, backward, step
 * }
 * xor.predictions();              // close to 0, 1, 1, 0
 * }</pre>
 */
// NOTE: the workload lives here because app (BenchCommand, XorDemo) and bench (XorColdStart) both
// run it, and core is what both depend on: bench does not depend on app, whose artifact is the
// shaded command line with picocli inside. It holds the problem only (data, network, loss,
// optimizer, one step); the timing, the benchmark part, stays with each caller.
public final class XorProblem {

    /** Neurons in the hidden layer. */
    public static final int HIDDEN = 4;
    /** SGD's learning rate. */
    public static final double LEARNING_RATE = 0.5;

    private final Tensor inputs;
    private final Tensor targets;
    private final Sequential network;
    private final BCELoss loss = new BCELoss();
    private final SGD optimizer;

    /** A fresh network, its weights drawn from {@code generator}, and its optimizer. */
    public XorProblem(Generator generator) {
        TensorDataset xor = ToyData.xor();
        this.inputs = xor.inputs();
        this.targets = xor.targets().reshape(4, 1);
        this.network = network(generator);
        this.optimizer = new SGD(network.parameters(), LEARNING_RATE);
    }

    /**
     * The 2-4-1 network: {@code Linear(2, 4) → Tanh → Linear(4, 1) → Sigmoid}, its weights drawn from
     * {@code generator} in that order.
     */
    public static Sequential network(Generator generator) {
        return new Sequential(new Linear(2, HIDDEN, generator), new Tanh(),
                new Linear(HIDDEN, 1, generator), new Sigmoid());
    }

    /** The four points, {@code [4, 2]}: (0,0), (0,1), (1,0), (1,1). */
    public Tensor inputs() {
        return inputs;
    }

    /** Their labels, {@code [4, 1]}: 0, 1, 1, 0. */
    public Tensor targets() {
        return targets;
    }

    public Sequential network() {
        return network;
    }

    public BCELoss loss() {
        return loss;
    }

    public SGD optimizer() {
        return optimizer;
    }

    /**
     * One training step on the four points: zeroGrad, forward, loss, backward, step. Modifies the
     * network's parameters and gradients.
     *
     * @return the loss before the step, a scalar tensor
     */
    public Tensor step() {
        optimizer.zeroGrad();
        Tensor value = loss.forward(network.forward(inputs), targets);
        value.backward();
        optimizer.step();
        return value;
    }

    /** The network's outputs for the four points, in order, computed without a graph. */
    public float[] predictions() {
        try (NoGrad scope = NoGrad.enter()) {
            return network.forward(inputs).reshape(-1).toArray();
        }
    }
}
