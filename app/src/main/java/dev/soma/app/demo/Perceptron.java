package dev.soma.app.demo;

import dev.soma.data.TensorDataset;
import dev.soma.nn.Activation;
import dev.soma.nn.Neuron;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;

/**
 * Trains a step neuron by Rosenblatt's rule, keeping the best weights seen (Gallant's "pocket"
 * variant), so that on data no line separates it still reports the best a single neuron did.
 */
final class Perceptron {

    static final float LEARNING_RATE = 0.1f;

    /** The outcome: the best neuron, its accuracy, and the epoch after which it was found. */
    record Result(Neuron neuron, double accuracy, int epochs) {
    }

    private Perceptron() {
    }

    static Result train(TensorDataset data, int maxEpochs, Generator generator) {
        Neuron neuron = new Neuron(data.inputs().size(1), Activation.STEP, generator);
        Tensor x = data.inputs();
        float[] targets = data.targets().toArray();
        Neuron best = copy(neuron);
        double bestAccuracy = accuracy(neuron, data);
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= maxEpochs && bestAccuracy < 1; epoch++) {
            for (int i = 0; i < targets.length; i++) {
                neuron.perceptronUpdate(x.select(0, i), targets[i], LEARNING_RATE);
            }
            double accuracy = accuracy(neuron, data);
            if (accuracy > bestAccuracy) {
                bestAccuracy = accuracy;
                best = copy(neuron);
                bestEpoch = epoch;
            }
        }
        return new Result(best, bestAccuracy, bestEpoch);
    }

    static double accuracy(Neuron neuron, TensorDataset data) {
        try (NoGrad scope = NoGrad.enter()) {
            return neuron.forward(data.inputs()).eq(data.targets()).toFloat().mean().item();
        }
    }

    private static Neuron copy(Neuron neuron) {
        return new Neuron(neuron.weight().toArray(), neuron.bias().item(), neuron.activation());
    }
}
