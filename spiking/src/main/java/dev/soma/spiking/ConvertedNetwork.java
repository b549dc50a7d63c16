package dev.soma.spiking;

import dev.soma.nn.Module;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A trained ReLU network run as a spiking one, after Rueckauer, Lungu, Hu, Pfeiffer and Liu (2017),
 * "Conversion of continuous-valued deep networks to efficient event-driven networks for image
 * classification", Frontiers in Neuroscience 11:682.
 *
 * <p>Each ReLU unit becomes an integrate-and-fire neuron without leak, threshold {@code θ = 1}, reset
 * by subtraction ({@link NeuronLayer}). Layer {@code l} integrates, at every step,
 * <pre>
 *   Vₗ(t) = Vₗ(t − 1) + Wₗ·sₗ₋₁(t) + bₗ;   sₗ(t) = [Vₗ(t) ≥ 1];   Vₗ(t) ← Vₗ(t) − sₗ(t)
 * </pre>
 * so over {@code T} steps a neuron's rate {@code Nₗ/T} approximates its ReLU activation {@code aₗ}
 * (divided by {@code λₗ}) with an error below {@code 1/T} in the first layer, compounding deeper in.
 * The first layer takes the image as a constant current ({@code s₀(t) = x}), as in the paper; rate
 * coding ({@link Encoders#poisson}) is the alternative.
 *
 * <p>Data-based normalisation: a rate cannot exceed one spike per step, so each layer's weights are
 * scaled by {@code λₗ}, the {@code p}-th percentile (99.9 by default) of its non-zero activations on
 * calibration examples: {@code Wₗ ← Wₗ·λₗ₋₁/λₗ}, {@code bₗ ← bₗ/λₗ}, {@code λ₀ = 1}. The percentile
 * (rather than the maximum) keeps a few outliers from making every other neuron fire too slowly.
 *
 * <p>Layers ({@link ConversionPlan}): Linear and Conv2d (BatchNorm folded in) become
 * {@link DenseLayer} and {@link ConvolutionLayer}; average pooling is a linear layer like them
 * ({@link AveragePoolLayer}); max-pooling becomes a {@link PoolGate} passing the spikes of the unit
 * with the highest rate so far, and keeps its input's scale.
 *
 * <p>The output layer spikes like the others and the class is the neuron with the most spikes, ties
 * broken by the potential left over (with reset by subtraction {@code N_L + V_L(T)} is exactly the
 * input integrated so far). Each image's state lives in a {@link NetworkState}.
 */
public final class ConvertedNetwork {

    /** Rueckauer et al.'s default percentile of the activations that sets each layer's scale. */
    public static final double DEFAULT_PERCENTILE = 99.9;

    /** Calibration and ANN images per forward pass: bounds the memory of a CNN's activations. */
    private static final int CHUNK = 250;

    /** How the image enters the first layer. */
    public enum InputCoding {
        /** The intensities as a constant current at every step: the paper's choice. */
        CURRENT,
        /** Rate coding: input {@code i} spikes with probability {@code xᵢ} at each step. */
        POISSON
    }

    private final List<SpikingLayer> layers;
    private final List<String> names;
    private final double[] scales;

    private ConvertedNetwork(List<SpikingLayer> layers, List<String> names, double[] scales) {
        this.layers = List.copyOf(layers);
        this.names = List.copyOf(names);
        this.scales = scales;
    }

    /**
     * Converts {@code model} (unchanged), scaling each layer by the {@code percentile} of its
     * activations on {@code calibration}, examples shaped as the model's input ({@code [N, …]}).
     *
     * @throws IllegalArgumentException if the model does not fit {@link ConversionPlan}, or the
     *     percentile is not in (0, 100]
     */
    public static ConvertedNetwork convert(Module model, Tensor calibration, double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("the percentile must be in (0, 100], got " + percentile);
        }
        int[] shape = calibration.shape();
        ConversionPlan plan = ConversionPlan.of(model, Arrays.copyOfRange(shape, 1, shape.length));
        List<ConversionPlan.Stage> stages = plan.stages();
        Positives[] positives = new Positives[stages.size()];
        for (int s = 0; s < positives.length; s++) {
            positives[s] = new Positives();
        }
        try (NoGrad scope = NoGrad.enter()) {
            int n = calibration.size(0);
            for (int start = 0; start < n; start += CHUNK) {
                Tensor x = calibration.narrow(0, start, Math.min(CHUNK, n - start));
                for (int s = 0; s < stages.size(); s++) {
                    x = stages.get(s).forward(x);
                    if (stages.get(s).rescales()) {
                        positives[s].add(x.toArray());
                    }
                }
            }
        }
        double[] scales = new double[stages.size()];
        List<SpikingLayer> layers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        double previous = 1;
        try (NoGrad scope = NoGrad.enter()) { // the scaled weights are constants, not graph nodes
            for (int s = 0; s < stages.size(); s++) {
                ConversionPlan.Stage stage = stages.get(s);
                scales[s] = stage.rescales() ? positives[s].percentile(percentile) : previous;
                positives[s] = null;
                layers.add(stage.spiking(previous, scales[s]));
                names.add(name(stage) + Arrays.toString(stage.outputShape()));
                previous = scales[s];
            }
        }
        return new ConvertedNetwork(layers, names, scales);
    }

    private static String name(ConversionPlan.Stage stage) {
        return switch (stage) {
            case ConversionPlan.Affine affine -> affine.convolution() == null ? "dense" : "conv";
            case ConversionPlan.MaxPool pool -> "maxpool-gate";
            case ConversionPlan.AveragePool pool -> "avgpool";
        };
    }

    /**
     * The {@code p}-th percentile of the positive values, interpolated linearly between order
     * statistics as NumPy's default: the value at rank {@code p/100·(n − 1)} of the sorted values.
     * 1 when no value is positive (a layer that never fires keeps its weights).
     */
    static double percentileOfPositive(float[] values, double p) {
        Positives positives = new Positives();
        positives.add(values);
        return positives.percentile(p);
    }

    /** The positive values of one layer's activations, gathered chunk by chunk. */
    private static final class Positives {
        private float[] values = new float[16];
        private int size;

        void add(float[] more) {
            for (float v : more) {
                if (v > 0) {
                    if (size == values.length) {
                        values = Arrays.copyOf(values, 2 * size);
                    }
                    values[size++] = v;
                }
            }
        }

        /** The percentile as {@link #percentileOfPositive}; sorts the values in place. */
        double percentile(double p) {
            if (size == 0) {
                return 1;
            }
            Arrays.sort(values, 0, size);
            double rank = p / 100 * (size - 1);
            int below = (int) Math.floor(rank);
            int above = Math.min(below + 1, size - 1);
            return values[below] + (rank - below) * (values[above] - values[below]);
        }
    }

    /** The scale {@code λₗ} of each layer: the percentile of its activations (a gate keeps its input's). */
    public double[] scales() {
        return scales.clone();
    }

    /** Units per layer, the input first. */
    public int[] sizes() {
        int[] sizes = new int[layers.size() + 1];
        sizes[0] = layers.getFirst().inputs();
        for (int l = 0; l < layers.size(); l++) {
            sizes[l + 1] = layers.get(l).outputs();
        }
        return sizes;
    }

    /** Each layer's kind and output shape, e.g. {@code conv[16, 28, 28]}, {@code maxpool-gate[16, 14, 14]}. */
    public List<String> layerNames() {
        return names;
    }

    /** The multiply-adds of one forward pass of the ANN (padding left out; pooling by max costs none). */
    public long annMacs() {
        long macs = 0;
        for (SpikingLayer layer : layers) {
            macs += layer.annMacs();
        }
        return macs;
    }

    /**
     * The multiply-adds of one image's constant input current {@code W₁x + b₁}: computed once, since
     * it does not change from step to step.
     */
    public long inputMacs() {
        return layers.getFirst().annMacs();
    }

    /** The ANN's own predictions (argmax of its outputs) for {@code inputs} {@code [N, …]}. */
    public static int[] annPredictions(Module model, Tensor inputs) {
        int n = inputs.size(0);
        int[] predictions = new int[n];
        try (NoGrad scope = NoGrad.enter()) {
            for (int start = 0; start < n; start += CHUNK) {
                int size = Math.min(CHUNK, n - start);
                float[] outputs = model.forward(inputs.narrow(0, start, size)).toArray();
                int classes = outputs.length / size;
                for (int i = 0; i < size; i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (outputs[i * classes + c] > outputs[i * classes + best]) {
                            best = c;
                        }
                    }
                    predictions[start + i] = best;
                }
            }
        }
        return predictions;
    }

    /** The class indices in {@code targets} {@code [N]} (floats holding integers), as ints. */
    public static int[] labels(Tensor targets) {
        long[] values = targets.toLongArray();
        int[] labels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = (int) values[i];
        }
        return labels;
    }

    /** The share of {@code predictions} equal to {@code labels}, entry by entry; 0 for none. */
    public static double accuracy(int[] predictions, int[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException(predictions.length + " predictions for " + labels.length + " labels");
        }
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predictions[i] == labels[i] ? 1 : 0;
        }
        return labels.length == 0 ? 0 : (double) right / labels.length;
    }

    /**
     * What one simulation gives: for each checkpoint {@code k} (a number of steps), each image's
     * predicted class and the synaptic events (a spike times its fan-out: one addition) summed over the
     * images up to that step; and each output neuron's spike count at the last step.
     */
    public record Run(int[] checkpoints, int[][] predictions, long[] synapticEvents, int[][] outputCounts) {
    }

    /**
     * Simulates every image of {@code inputs} ({@code [N, …]}, intensities in [0, 1]) for as many
     * steps as the largest checkpoint, reading the prediction at each checkpoint on the way (a run of
     * {@code T} steps is the first {@code T} steps of a longer one). Images run in parallel, each from
     * its own stream of random numbers ({@code seed} and its index), so the result does not depend on
     * the threads.
     */
    public Run simulate(Tensor inputs, int[] checkpoints, InputCoding coding, long seed) {
        int[] sorted = checkpoints.clone();
        Arrays.sort(sorted);
        for (int t : sorted) {
            Encoders.requireSteps(t);
        }
        int n = inputs.size(0);
        int features = layers.getFirst().inputs();
        if ((long) n * features != inputs.numel()) {
            throw new IllegalArgumentException("inputs of shape " + Arrays.toString(inputs.shape()) + " do not have "
                    + features + " features per example");
        }
        int[][] predictions = new int[sorted.length][n];
        long[][] events = new long[n][sorted.length];
        int[][] outputCounts = new int[n][];
        for (int start = 0; start < n; start += CHUNK) {
            int size = Math.min(CHUNK, n - start);
            int first = start;
            float[] flat;
            float[] currents = null;
            int width = layers.getFirst().outputs();
            try (NoGrad scope = NoGrad.enter()) {
                Tensor chunk = inputs.narrow(0, start, size);
                flat = chunk.toArray();
                if (coding == InputCoding.CURRENT) {
                    currents = ((NeuronLayer) layers.getFirst()).current(chunk).toArray();
                }
            }
            float[] drive = currents;
            IntStream.range(0, size).parallel().forEach(i -> {
                int image = first + i;
                NetworkState state = new NetworkState(layers,
                        drive == null ? null : Arrays.copyOfRange(drive, i * width, (i + 1) * width),
                        drive != null ? null : Arrays.copyOfRange(flat, i * features, (i + 1) * features),
                        new Generator(seed * 1_000_003L + image));
                int k = 0;
                for (int t = 1; t <= sorted[sorted.length - 1]; t++) {
                    state.step();
                    while (k < sorted.length && sorted[k] == t) {
                        predictions[k][image] = state.prediction();
                        events[image][k] = state.events();
                        k++;
                    }
                }
                outputCounts[image] = state.outputCounts();
            });
        }
        long[] totals = new long[sorted.length];
        for (long[] image : events) {
            for (int k = 0; k < sorted.length; k++) {
                totals[k] += image[k];
            }
        }
        return new Run(sorted, predictions, totals, outputCounts);
    }
}
