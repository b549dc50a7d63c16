package dev.soma.app.demo;

import dev.soma.app.plot.Chart;
import dev.soma.data.TensorDataset;
import dev.soma.nn.Module;
import dev.soma.tensor.Tensor;
import java.util.function.UnaryOperator;

/** The demos' shared picture: a model's output over the plane under the labelled points. */
final class Pictures {

    static final double MIN = -0.5;
    static final double MAX = 1.5;

    private Pictures() {
    }

    /** A chart of {@code model}'s output (mapped into [0, 1] by {@code toUnit}) with {@code data}'s points. */
    static Chart decisionChart(String title, Module model, TensorDataset data, UnaryOperator<Tensor> toUnit) {
        float[] x = data.inputs().toArray();
        float[] t = data.targets().toArray();
        double[] xs = new double[t.length];
        double[] ys = new double[t.length];
        int[] classes = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            xs[i] = x[2 * i];
            ys[i] = x[2 * i + 1];
            classes[i] = Math.round(t[i]);
        }
        return new Chart(title, "x₁", "x₂")
                .heatmap(MIN, MAX, MIN, MAX, Surface.of(model, MIN, MAX, toUnit))
                .scatterByClass(xs, ys, classes)
                .xRange(MIN, MAX)
                .yRange(MIN, MAX);
    }
}
