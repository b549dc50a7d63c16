package dev.soma.app.demo;

import dev.soma.app.plot.Chart;
import dev.soma.app.plot.Figure;
import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.nn.Linear;
import dev.soma.nn.MSELoss;
import dev.soma.nn.Sequential;
import dev.soma.nn.Tanh;
import dev.soma.optim.Adam;
import dev.soma.optim.CosineAnnealingLR;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import dev.soma.train.Callback;
import dev.soma.train.EpochStats;
import dev.soma.train.Trainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * One hidden layer approximates a function (the universal approximation theorem of Cybenko, 1989,
 * and Hornik, 1991): {@code f(x) ≈ Σₖ vₖ·tanh(wₖx + bₖ) + c}. Trained on points of [-π, π] and
 * measured on a grid ten times finer.
 */
public final class ApproxDemo implements Demo {

    static final int TRAIN_POINTS = 128;
    static final int TEST_POINTS = 1281;
    static final int STEPS = 3000;

    /** A function to approximate and the hidden width the demo gives it. */
    record Target(String name, String formula, DoubleUnaryOperator f, int hidden) {
    }

    static final List<Target> TARGETS = List.of(
            new Target("sin", "sin(x)", Math::sin, 16),
            new Target("sin3x_damped", "sin(3x)·e^(−x²/4)", x -> Math.sin(3 * x) * Math.exp(-x * x / 4), 48));

    /** One fit: the network, its worst error on the test grid, and the grid values for a picture. */
    record Fit(Target target, Sequential network, double maxAbsError, double[] xs, double[] truth, double[] predicted) {
    }

    @Override
    public String name() {
        return "approx";
    }

    @Override
    public String summary() {
        return "one hidden layer of neurons approximates sin(x) (and a harder function)";
    }

    @Override
    public Map<String, Object> run(DemoContext context) throws IOException {
        Generator generator = new Generator(context.seed());
        context.say("A layer of tanh neurons, added up: f(x) ≈ Σₖ vₖ·tanh(wₖ·x + bₖ) + c.");
        context.say("Each neuron contributes one smooth step; enough of them, trained, fit any continuous curve.");
        context.say("Training on %d points of [-π, π] (mean squared error, Adam, %d steps); measuring on %d:",
                TRAIN_POINTS, STEPS, TEST_POINTS);
        List<Fit> fits = new ArrayList<>();
        for (Target target : TARGETS) {
            Fit fit = fit(target, generator);
            fits.add(fit);
            context.say("  %-18s %3d hidden neurons: largest error %.4f", fit.target().formula(), target.hidden(),
                    fit.maxAbsError());
        }
        if (context.plot() != null) {
            List<Chart> charts = new ArrayList<>();
            for (Fit fit : fits) {
                charts.add(new Chart(fit.target().formula() + ", " + fit.target().hidden() + " tanh neurons", "x", "y")
                        .line("target", fit.xs(), fit.truth())
                        .dashedLine("network", fit.xs(), fit.predicted()));
            }
            new Figure(2, charts.toArray(new Chart[0])).save(context.plot());
            context.say("Saved the fitted curves to %s", context.plot());
        }
        Fit sin = fits.getFirst();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("demo", name());
        json.put("function", sin.target().name());
        json.put("hidden", sin.target().hidden());
        json.put("max_abs_error", sin.maxAbsError());
        List<Map<String, Object>> others = new ArrayList<>();
        for (Fit fit : fits.subList(1, fits.size())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("function", fit.target().name());
            entry.put("hidden", fit.target().hidden());
            entry.put("max_abs_error", fit.maxAbsError());
            others.add(entry);
        }
        json.put("others", others);
        return json;
    }

    static Fit fit(Target target, Generator generator) {
        Sequential network = new Sequential(
                new Linear(1, target.hidden(), generator), new Tanh(),
                new Linear(target.hidden(), 1, generator));
        TensorDataset train = samples(target.f(), TRAIN_POINTS);
        Adam adam = Adam.builder(network.parameters()).lr(0.02).build();
        CosineAnnealingLR schedule = new CosineAnnealingLR(adam, STEPS, 1e-4);
        Trainer trainer = new Trainer(network, new MSELoss(), adam, null);
        trainer.callback(new Callback() {
            @Override
            public boolean onEpochEnd(EpochStats stats) {
                schedule.step();
                return false;
            }
        });
        trainer.fit(new DataLoader(train, TRAIN_POINTS), null, STEPS);
        TensorDataset test = samples(target.f(), TEST_POINTS);
        float[] predicted;
        try (NoGrad scope = NoGrad.enter()) {
            predicted = network.forward(test.inputs()).toArray();
        }
        float[] xs = test.inputs().toArray();
        float[] truth = test.targets().toArray();
        double maxError = 0;
        double[] x = new double[xs.length];
        double[] t = new double[xs.length];
        double[] p = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            x[i] = xs[i];
            t[i] = truth[i];
            p[i] = predicted[i];
            maxError = Math.max(maxError, Math.abs(truth[i] - predicted[i]));
        }
        return new Fit(target, network, maxError, x, t, p);
    }

    /** {@code n} evenly spaced points of [-π, π] with their function values, as {@code [n, 1]} tensors. */
    static TensorDataset samples(DoubleUnaryOperator f, int n) {
        Tensor x = Tensor.linspace((float) -Math.PI, (float) Math.PI, n).reshape(n, 1);
        float[] xs = x.toArray();
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            ys[i] = (float) f.applyAsDouble(xs[i]);
        }
        return new TensorDataset(x, Tensor.of(ys, n, 1));
    }
}
