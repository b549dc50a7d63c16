package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.AvgPool2d;
import dev.soma.nn.Conv2d;
import dev.soma.nn.Flatten;
import dev.soma.nn.Linear;
import dev.soma.nn.MaxPool2d;
import dev.soma.nn.Module;
import dev.soma.nn.Pair;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.nn.Sigmoid;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.optim.Adam;
import dev.soma.spiking.ConvertedNetwork.InputCoding;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ConvertedNetworkTest {

    @Test
    void anIntegrateAndFireNeuronFiresAtItsNormalisedActivationTimesTheSteps() {
        // y = relu(1·x): calibrated on x = 0.5 alone, λ = 0.5, so the weight becomes 1/0.5 = 2.
        Linear layer = new Linear(1, 1, new Generator(0));
        try (NoGrad scope = NoGrad.enter()) {
            layer.weight().denseStorage()[0] = 1;
            layer.bias().denseStorage()[0] = 0;
        }
        Sequential model = new Sequential(layer, new ReLU());
        ConvertedNetwork network = ConvertedNetwork.convert(model, Tensor.of(new float[] {0.5f}, 1, 1), 99.9);
        assertArrayEquals(new double[] {0.5}, network.scales(), 1e-7);
        // Constant current c = 2x per step; reset by subtraction: after T steps exactly ⌊T·c⌋ spikes.
        float[] x = {0, 0.1f, 0.25f, 0.5f};
        ConvertedNetwork.Run run = network.simulate(Tensor.of(x, 4, 1), new int[] {16}, InputCoding.CURRENT, 0);
        int[] counts = new int[4];
        for (int i = 0; i < 4; i++) {
            counts[i] = run.outputCounts()[i][0];
        }
        assertArrayEquals(new int[] {0, 3, 8, 16}, counts, "⌊16·2x⌋ for x = 0, 0.1, 0.25, 0.5");
        assertEquals(0, run.synapticEvents()[0], "one layer fed by a current: no spike reaches a synapse");
        assertEquals(1, network.annMacs());
    }

    @Test
    void thePercentileInterpolatesAsNumPyOverThePositiveValues() {
        float[] values = new float[202];
        for (int i = 0; i < 101; i++) {
            values[i] = i + 1;
            values[101 + i] = -i;
        }
        // numpy.percentile(range(1, 102), 99) = 100.0; 99.9 → 100.9; 50 → 51
        assertEquals(100.0, ConvertedNetwork.percentileOfPositive(values, 99), 1e-9);
        assertEquals(100.9, ConvertedNetwork.percentileOfPositive(values, 99.9), 1e-5);
        assertEquals(51.0, ConvertedNetwork.percentileOfPositive(values, 50), 1e-9);
        assertEquals(1.0, ConvertedNetwork.percentileOfPositive(new float[] {0, -1}, 99.9), "nothing fires: λ = 1");
    }

    @Test
    void aRandomMlpSpikesTheClassesItComputes() {
        Generator g = new Generator(11);
        Sequential model = new Sequential(new Flatten(), new Linear(20, 32, g), new ReLU(), new Linear(32, 16, g),
                new ReLU(), new Linear(16, 4, g));
        // Sparse inputs in [0, 1], as images are (x = u⁴, mean 0.2); the class is the brightest of four
        // blocks of five inputs, learnt in 300 full-batch Adam steps.
        Tensor calibration = Tensor.rand(g, 400, 2, 10).pow(4);
        Tensor test = Tensor.rand(g, 400, 2, 10).pow(4);
        train(model, calibration);
        ConvertedNetwork network = ConvertedNetwork.convert(model, calibration, 99.9);
        int[] ann = ConvertedNetwork.annPredictions(model, test);
        double learnt = ConvertedNetwork.accuracy(ann, brightestBlock(test));
        assertTrue(learnt >= 0.8, "the ANN learnt the task: " + learnt);
        int[] perClass = new int[4];
        for (int c : ann) {
            perClass[c]++;
        }
        for (int c = 0; c < 4; c++) {
            assertTrue(perClass[c] >= 20, "the ANN predicts every class: " + java.util.Arrays.toString(perClass));
        }
        int[] steps = {8, 64, 512};
        ConvertedNetwork.Run run = network.simulate(test, steps, InputCoding.CURRENT, 0);
        double[] agreement = new double[steps.length];
        for (int k = 0; k < steps.length; k++) {
            agreement[k] = ConvertedNetwork.accuracy(ann, run.predictions()[k]);
        }
        // Measured: agreement 0.935, 0.9925 and 1.0 at 8, 64 and 512 steps; 0.9725 with rate-coded input.
        assertTrue(agreement[2] >= 0.95, "agreement with the ANN at 512 steps: " + agreement[2]);
        assertTrue(agreement[2] > agreement[0], "longer runs agree better: " + java.util.Arrays.toString(agreement));
        assertTrue(run.synapticEvents()[2] > run.synapticEvents()[1], "events accumulate");
        assertEquals(20 * 32 + 32 * 16 + 16 * 4, network.annMacs());

        ConvertedNetwork.Run poisson = network.simulate(test, steps, InputCoding.POISSON, 5);
        double rateCoded = ConvertedNetwork.accuracy(ann, poisson.predictions()[2]);
        assertTrue(rateCoded >= 0.9, "rate-coded input, 512 steps: " + rateCoded);
        ConvertedNetwork.Run again = network.simulate(test, steps, InputCoding.POISSON, 5);
        assertArrayEquals(poisson.predictions()[1], again.predictions()[1], "the seed decides the spikes");
        assertArrayEquals(poisson.synapticEvents(), again.synapticEvents());
    }

    @Test
    void onlyReluNetworksConvert() {
        Generator g = new Generator(0);
        Tensor calibration = Tensor.rand(g, 4, 1, 8, 8);
        IllegalArgumentException pooledFirst = assertThrows(IllegalArgumentException.class, () -> ConvertedNetwork
                .convert(new Sequential(new MaxPool2d(2), new Flatten(), new Linear(16, 2, g)), calibration, 99.9));
        assertTrue(pooledFirst.getMessage().startsWith("the model must start with a Linear or Conv2d"),
                pooledFirst.getMessage());
        IllegalArgumentException sigmoid = assertThrows(IllegalArgumentException.class, () -> ConvertedNetwork.convert(
                new Sequential(new Flatten(), new Linear(64, 4, g), new Sigmoid(), new Linear(4, 2, g)), calibration, 99.9));
        assertTrue(sigmoid.getMessage().startsWith("layer 2 is Sigmoid"), sigmoid.getMessage());
        Sequential mlp = new Sequential(new Flatten(), new Linear(64, 4, g), new ReLU(), new Linear(4, 2, g));
        assertThrows(IllegalArgumentException.class, () -> ConvertedNetwork.convert(mlp, calibration, 0));
        ConvertedNetwork network = ConvertedNetwork.convert(mlp, calibration, 99.9);
        assertThrows(IllegalArgumentException.class,
                () -> network.simulate(calibration, new int[] {16, 0}, InputCoding.CURRENT, 0));
    }

    /** Pooling settings the spiking layers do not compute are refused by name, not converted wrong. */
    @Test
    void poolingSettingsThatDoNotConvertAreNamed() {
        Generator g = new Generator(0);
        int[] shape = {1, 7, 7};
        java.util.function.Function<Module, String> refusal = pool -> assertThrows(IllegalArgumentException.class,
                () -> ConversionPlan.of(new Sequential(new Conv2d(1, 2, 1), new ReLU(), pool, new Flatten(),
                        new Linear(2 * 16, 2, g)), shape)).getMessage();
        String tail = " does not convert; the spiking pooling layers take square, whole windows, padding counted";
        assertEquals("layer 2 (MaxPool2d): ceil_mode=True (a partial last window on [2, 7, 7])" + tail,
                refusal.apply(new MaxPool2d(new MaxPool2d.Spec(2).ceilMode(true))));
        assertEquals("layer 2 (MaxPool2d): dilation=(2, 2)" + tail,
                refusal.apply(new MaxPool2d(new MaxPool2d.Spec(2).dilation(Pair.of(2)))));
        assertEquals("layer 2 (MaxPool2d): kernel_size=(2, 3)" + tail,
                refusal.apply(new MaxPool2d(new MaxPool2d.Spec(new Pair(2, 3)))));
        assertEquals("layer 2 (AvgPool2d): count_include_pad=False with padding" + tail,
                refusal.apply(new AvgPool2d(new AvgPool2d.Spec(3, 2, 1).countIncludePad(false))));
        assertEquals("layer 2 (AvgPool2d): divisor_override=3" + tail,
                refusal.apply(new AvgPool2d(new AvgPool2d.Spec(2).divisorOverride(3))));
        assertEquals("layer 2 (AvgPool2d): ceil_mode=True (a partial last window on [2, 7, 7])" + tail,
                refusal.apply(new AvgPool2d(new AvgPool2d.Spec(2).ceilMode(true))));
        // settings that change nothing for this input convert: ceil mode where the windows fit anyway,
        // padding not counted where there is none
        ConversionPlan.of(new Sequential(new Conv2d(1, 2, 1), new ReLU(),
                new AvgPool2d(new AvgPool2d.Spec(3, 2, 0).ceilMode(true).countIncludePad(false)), new Flatten(),
                new Linear(2 * 9, 2, g)), shape);
    }

    private static void train(Sequential model, Tensor inputs) {
        int[] labels = brightestBlock(inputs);
        float[] targets = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = labels[i];
        }
        Tensor y = Tensor.of(targets, labels.length).toLong();
        Adam adam = Adam.builder(model.parameters()).lr(1e-2).build();
        CrossEntropyLoss loss = new CrossEntropyLoss();
        for (int step = 0; step < 300; step++) {
            adam.zeroGrad();
            loss.forward(model.forward(inputs), y).backward();
            adam.step();
        }
    }

    /** The class of each example {@code [N, 20]}: which block of five inputs has the largest sum. */
    private static int[] brightestBlock(Tensor inputs) {
        float[] x = inputs.toArray();
        int n = inputs.size(0);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double best = -1;
            for (int block = 0; block < 4; block++) {
                double sum = 0;
                for (int k = 0; k < 5; k++) {
                    sum += x[i * 20 + block * 5 + k];
                }
                if (sum > best) {
                    best = sum;
                    labels[i] = block;
                }
            }
        }
        return labels;
    }

}
