package dev.soma.app.demo;

import dev.soma.app.plot.Chart;
import dev.soma.app.plot.Figure;
import dev.soma.data.ToyData;
import dev.soma.data.TensorDataset;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A single neuron learns AND, OR and NAND with the perceptron rule: each is split by one line. */
public final class GatesDemo implements Demo {

    static final int MAX_EPOCHS = 100;
    private static final List<String> GATES = List.of("and", "or", "nand");

    @Override
    public String name() {
        return "and";
    }

    @Override
    public String summary() {
        return "a single neuron learns AND (and OR, NAND) with the perceptron rule";
    }

    @Override
    public Map<String, Object> run(DemoContext context) throws IOException {
        context.say("A neuron with a hard threshold (a perceptron) outputs 1 when w₁·x₁ + w₂·x₂ + b ≥ 0.");
        context.say("Rosenblatt's rule learns it: after each example, w ← w + lr·(target − y)·x, b ← b + lr·(target − y).");
        Generator generator = new Generator(context.seed());
        Map<String, Object> gates = new LinkedHashMap<>();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("demo", name());
        List<Chart> charts = new ArrayList<>();
        for (String gate : GATES) {
            TensorDataset data = ToyData.gate(gate);
            Perceptron.Result result = Perceptron.train(data, MAX_EPOCHS, generator);
            context.say("");
            context.say("%s: learned in %d epochs: %s", gate.toUpperCase(java.util.Locale.ROOT), result.epochs(),
                    result.neuron().equation());
            truthTable(context, data, result);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("accuracy", result.accuracy());
            entry.put("epochs", result.epochs());
            entry.put("weights", NeuronDemo.toList(result.neuron().weight().toArray()));
            entry.put("bias", result.neuron().bias().item());
            gates.put(gate, entry);
            if (gate.equals("and")) {
                json.putAll(entry);
            }
            charts.add(Pictures.decisionChart(gate.toUpperCase(java.util.Locale.ROOT) + ": one neuron",
                    result.neuron(), data, t -> t));
        }
        context.say("");
        context.say("Each gate's 1s and 0s lie on opposite sides of one straight line, w·x + b = 0,");
        context.say("so one neuron is enough. XOR is different: see 'soma demo xor'.");
        json.put("gates", gates);
        if (context.plot() != null) {
            new Figure(3, charts.toArray(new Chart[0])).save(context.plot());
            context.say("Saved the three decision lines to %s", context.plot());
        }
        return json;
    }

    static void truthTable(DemoContext context, TensorDataset data, Perceptron.Result result) {
        float[] x = data.inputs().toArray();
        float[] t = data.targets().toArray();
        float[] y;
        try (NoGrad scope = NoGrad.enter()) {
            y = result.neuron().forward(data.inputs()).toArray();
        }
        for (int i = 0; i < t.length; i++) {
            context.say("  x = (%.0f, %.0f)  target %.0f  neuron %.0f  %s", x[2 * i], x[2 * i + 1], t[i], y[i],
                    t[i] == y[i] ? "✓" : "✗");
        }
        context.say("  accuracy %.2f (%d of %d)", result.accuracy(), Math.round(result.accuracy() * t.length), t.length);
    }
}
