package dev.soma.app.demo;

import dev.soma.app.plot.Figure;
import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.data.ToyData;
import dev.soma.nn.BCEWithLogitsLoss;
import dev.soma.nn.Linear;
import dev.soma.nn.Module;
import dev.soma.nn.Sequential;
import dev.soma.nn.Tanh;
import dev.soma.optim.Adam;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Linear layers stacked without a non-linearity collapse into one linear layer:
 * {@code W₃(W₂(W₁x + b₁) + b₂) + b₃ = (W₃W₂W₁)x + (W₃(W₂b₁ + b₂) + b₃)}. The demo computes that product,
 * shows both give the same outputs, and trains the stack on XOR with and without tanh between layers.
 */
public final class CollapseDemo implements Demo {

    static final int WIDTH = 8;
    static final int STEPS = 1000;
    static final int SAMPLES = 1000;

    @Override
    public String name() {
        return "collapse";
    }

    @Override
    public String summary() {
        return "linear layers without a non-linearity collapse into one";
    }

    @Override
    public Map<String, Object> run(DemoContext context) throws IOException {
        Generator generator = new Generator(context.seed());
        Linear first = new Linear(2, WIDTH, generator);
        Linear second = new Linear(WIDTH, WIDTH, generator);
        Linear third = new Linear(WIDTH, 1, generator);
        Sequential stack = new Sequential(first, second, third);
        context.say("Three linear layers, 2 → %d → %d → 1, with no non-linearity between them:", WIDTH, WIDTH);
        context.say("  y = W₃(W₂(W₁x + b₁) + b₂) + b₃ = (W₃W₂W₁)·x + (W₃(W₂b₁ + b₂) + b₃) = W·x + b");
        double maxDifference;
        Tensor w;
        Tensor b;
        try (NoGrad scope = NoGrad.enter()) {
            w = third.weight().matmul(second.weight()).matmul(first.weight());
            b = third.weight().matmul(second.weight().matmul(first.bias()).add(second.bias())).add(third.bias());
            Tensor x = Tensor.randn(generator, SAMPLES, 2);
            Tensor stacked = stack.forward(x);
            Tensor collapsed = x.matmul(w.t()).add(b);
            maxDifference = stacked.sub(collapsed).abs().max().item();
        }
        float[] wv = w.toArray();
        context.say("  the product: W = [%.4f, %.4f], b = %.4f  (%d weights and biases became 3)",
                wv[0], wv[1], b.item(), stack.parameterCount());
        context.say("  on %d random inputs the stack and W·x + b differ by at most %.2e (float rounding)",
                SAMPLES, maxDifference);
        context.say("");
        TensorDataset xor = ToyData.xor();
        TensorDataset data = new TensorDataset(xor.inputs(), xor.targets().reshape(4, 1));
        double linearAccuracy = train(stack, data);
        Sequential nonlinear = new Sequential(
                new Linear(2, WIDTH, generator), new Tanh(),
                new Linear(WIDTH, WIDTH, generator), new Tanh(),
                new Linear(WIDTH, 1, generator));
        double nonlinearAccuracy = train(nonlinear, data);
        context.say("Trained on XOR (%d steps of Adam, binary cross-entropy on logits):", STEPS);
        context.say("  the linear stack:          accuracy %.2f  (a line cannot split XOR, however many layers)",
                linearAccuracy);
        context.say("  the same stack with tanh:  accuracy %.2f", nonlinearAccuracy);
        context.say("");
        context.say("The non-linearity is what makes depth worth having.");
        if (context.plot() != null) {
            new Figure(2,
                    Pictures.decisionChart("Linear stack: " + percent(linearAccuracy), stack, xor, Tensor::sigmoid),
                    Pictures.decisionChart("With tanh: " + percent(nonlinearAccuracy), nonlinear, xor, Tensor::sigmoid))
                    .save(context.plot());
            context.say("Saved both decision surfaces to %s", context.plot());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("demo", name());
        json.put("max_abs_difference", maxDifference);
        json.put("linear_accuracy", linearAccuracy);
        json.put("nonlinear_accuracy", nonlinearAccuracy);
        json.put("product_weight", NeuronDemo.toList(wv));
        json.put("product_bias", b.item());
        return json;
    }

    private static double train(Module model, TensorDataset data) {
        Trainer trainer = new Trainer(model, new BCEWithLogitsLoss(),
                Adam.builder(model.parameters()).lr(0.05).build(), Metric.binaryAccuracy(0));
        trainer.fit(new DataLoader(data, 4), null, STEPS);
        return trainer.evaluate(data, 4).accuracy();
    }

    private static String percent(double accuracy) {
        return String.format(Locale.ROOT, "%d of 4", Math.round(accuracy * 4));
    }
}
