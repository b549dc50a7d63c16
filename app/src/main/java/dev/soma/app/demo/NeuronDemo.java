package dev.soma.app.demo;

import dev.soma.app.plot.Chart;
import dev.soma.nn.Activation;
import dev.soma.nn.Neuron;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One neuron computes {@code y = σ(w·x + b)}, shown with its arithmetic for ReLU, Sigmoid and Tanh. */
public final class NeuronDemo implements Demo {

    public static final float[] DEFAULT_INPUTS = {1.0f, 0.5f, -1.5f};
    public static final float[] DEFAULT_WEIGHTS = {0.8f, -0.4f, 0.3f};
    public static final float DEFAULT_BIAS = 0.1f;

    private static final List<Activation> SHOWN = List.of(Activation.RELU, Activation.SIGMOID, Activation.TANH);

    private final float[] inputs;
    private final float[] weights;
    private final float bias;

    public NeuronDemo(float[] inputs, float[] weights, float bias) {
        if (inputs.length == 0 || inputs.length != weights.length) {
            throw new IllegalArgumentException("demo neuron: --inputs and --weights need the same number of values"
                    + " (got " + inputs.length + " inputs and " + weights.length + " weights)");
        }
        this.inputs = inputs.clone();
        this.weights = weights.clone();
        this.bias = bias;
    }

    public NeuronDemo() {
        this(DEFAULT_INPUTS, DEFAULT_WEIGHTS, DEFAULT_BIAS);
    }

    @Override
    public String name() {
        return "neuron";
    }

    @Override
    public String summary() {
        return "one neuron computes y = σ(w·x + b), with the arithmetic";
    }

    @Override
    public Map<String, Object> run(DemoContext context) throws IOException {
        context.say("One artificial neuron multiplies each input by its weight, adds them up with a bias,");
        context.say("and passes the sum through a non-linearity σ:  y = σ(Σⱼ wⱼ·xⱼ + b)");
        context.say("");
        context.say("  inputs  x = %s", list(inputs));
        context.say("  weights w = %s", list(weights));
        context.say("  bias    b = %s", number(bias));
        Tensor x = Tensor.vector(inputs);
        Map<String, Object> outputs = new LinkedHashMap<>();
        double z = 0;
        try (NoGrad scope = NoGrad.enter()) {
            z = new Neuron(weights, bias, Activation.IDENTITY).forward(x).item();
            context.say("");
            context.say("  z = %s = %.4f", arithmetic(), z);
            context.say("");
            for (Activation activation : SHOWN) {
                float y = new Neuron(weights, bias, activation).forward(x).item();
                outputs.put(activation.id(), y);
                context.say("  %-8s y = %-20s = %.4f", label(activation), formula(activation), y);
            }
        }
        context.say("");
        context.say("Without σ a neuron is a linear function, and so is any stack of them: see 'soma demo collapse'.");
        if (context.plot() != null) {
            plot(z, context);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("demo", name());
        json.put("inputs", toList(inputs));
        json.put("weights", toList(weights));
        json.put("bias", bias);
        json.put("z", z);
        json.put("outputs", outputs);
        return json;
    }

    private void plot(double z, DemoContext context) throws IOException {
        int n = 201;
        double[] zs = new double[n];
        Chart chart = new Chart("Activations at z = " + String.format(Locale.ROOT, "%.4f", z), "z = w·x + b", "y = σ(z)");
        for (Activation activation : SHOWN) {
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                zs[i] = -4 + 8.0 * i / (n - 1);
                ys[i] = activation.apply(zs[i]);
            }
            chart.line(label(activation), zs.clone(), ys);
            chart.marker(z, activation.apply(z), String.format(Locale.ROOT, "%.3f", activation.apply(z)));
        }
        chart.save(context.plot());
        context.say("Saved the activation curves to %s", context.plot());
    }

    private String arithmetic() {
        StringBuilder out = new StringBuilder();
        for (int j = 0; j < inputs.length; j++) {
            if (j > 0) {
                out.append(" + ");
            }
            out.append(number(weights[j])).append('·').append(number(inputs[j]));
        }
        return out.append(" + ").append(number(bias)).toString();
    }

    private static String label(Activation activation) {
        return switch (activation) {
            case RELU -> "ReLU";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            default -> activation.id();
        };
    }

    private static String formula(Activation activation) {
        return switch (activation) {
            case RELU -> "max(z, 0)";
            case SIGMOID -> "1 / (1 + e^(-z))";
            case TANH -> "tanh(z)";
            default -> activation.id() + "(z)";
        };
    }

    static String number(float v) {
        String s = v == Math.rint(v) && Math.abs(v) < 1e6 ? String.format(Locale.ROOT, "%.1f", v) : Float.toString(v);
        return v < 0 ? "(" + s + ")" : s;
    }

    private static String list(float[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ", ").append(Float.toString(values[i]));
        }
        return out.append(']').toString();
    }

    static List<Double> toList(float[] values) {
        List<Double> out = new java.util.ArrayList<>();
        for (float v : values) {
            out.add((double) v);
        }
        return out;
    }
}
