package dev.soma.app.demo;

import dev.soma.app.plot.Figure;
import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.data.ToyData;
import dev.soma.nn.Sequential;
import dev.soma.tensor.Generator;
import dev.soma.train.Callback;
import dev.soma.train.EpochStats;
import dev.soma.train.History;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import dev.soma.train.XorProblem;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * XOR: no single neuron can learn it (no line separates its classes), and a network with one hidden
 * layer of four neurons can: {@link XorProblem}'s network (2-4-1, tanh hidden, sigmoid output, binary
 * cross-entropy, SGD lr 0.5 on the four points as one batch), the reference workload of the benchmarks.
 */
public final class XorDemo implements Demo {

    static final int MAX_STEPS = 5000;
    /** Training stops once all four points are right and the mean loss is below this. */
    static final double TARGET_LOSS = 0.05;

    @Override
    public String name() {
        return "xor";
    }

    @Override
    public String summary() {
        return "a single neuron cannot learn XOR; a small network can";
    }

    /** The network's outcome. */
    record NetworkResult(Sequential network, double accuracy, int steps, double loss) {
    }

    @Override
    public Map<String, Object> run(DemoContext context) throws IOException {
        Generator generator = new Generator(context.seed());
        TensorDataset xor = ToyData.xor();
        context.say("XOR is 1 where the inputs differ: (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0.");
        context.say("");
        context.say("A single neuron (perceptron rule, %d epochs, best weights kept):", GatesDemo.MAX_EPOCHS);
        Perceptron.Result single = Perceptron.train(xor, GatesDemo.MAX_EPOCHS, generator);
        context.say("  best %s", single.neuron().equation());
        GatesDemo.truthTable(context, xor, single);
        context.say("");
        context.say("It cannot do better: XOR is not linearly separable. A neuron would need");
        context.say("  b < 0 (for (0,0)→0), w₂ + b ≥ 0 and w₁ + b ≥ 0 (for (0,1), (1,0)→1), w₁ + w₂ + b < 0 (for (1,1)→0).");
        context.say("Adding the middle two gives w₁ + w₂ + 2b ≥ 0; adding the outer two gives w₁ + w₂ + 2b < 0.");
        context.say("No weights satisfy both, so at most 3 of the 4 points can be right.");
        context.say("");
        NetworkResult network = trainNetwork(generator);
        context.say("A network, 2 inputs → %d tanh neurons → 1 sigmoid neuron, trained by backpropagation",
                XorProblem.HIDDEN);
        context.say("(binary cross-entropy, SGD lr %.1f, the four points as one batch):", XorProblem.LEARNING_RATE);
        context.say("  %d steps, loss %.4f, accuracy %.2f (%d of 4)", network.steps(), network.loss(),
                network.accuracy(), Math.round(network.accuracy() * 4));
        context.say("");
        context.say("The hidden neurons bend the plane: each draws its own line, and the output neuron combines them.");
        if (context.plot() != null) {
            new Figure(2,
                    Pictures.decisionChart("One neuron: at most 3 of 4", single.neuron(), xor, t -> t),
                    Pictures.decisionChart("2-4-1 network: " + Math.round(network.accuracy() * 4) + " of 4",
                            network.network(), xor, t -> t))
                    .save(context.plot());
            context.say("Saved both decision surfaces to %s", context.plot());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("demo", name());
        json.put("single_neuron_accuracy", single.accuracy());
        json.put("network_accuracy", network.accuracy());
        json.put("steps", network.steps());
        json.put("final_loss", network.loss());
        return json;
    }

    /** Trains the 2-4-1 network until it is right and confident on all four points, or MAX_STEPS. */
    static NetworkResult trainNetwork(Generator generator) {
        XorProblem xor = new XorProblem(generator);
        TensorDataset data = new TensorDataset(xor.inputs(), xor.targets());
        Trainer trainer = new Trainer(xor.network(), xor.loss(), xor.optimizer(), Metric.binaryAccuracy(0.5f));
        trainer.callback(new Callback() {
            @Override
            public boolean onEpochEnd(EpochStats stats) {
                return stats.trainAccuracy() == 1 && stats.trainLoss() < TARGET_LOSS;
            }
        });
        History history = trainer.fit(new DataLoader(data, 4), null, MAX_STEPS);
        Trainer.Evaluation result = trainer.evaluate(data, 4);
        return new NetworkResult(xor.network(), result.accuracy(), history.epochs().size(), result.loss());
    }
}
