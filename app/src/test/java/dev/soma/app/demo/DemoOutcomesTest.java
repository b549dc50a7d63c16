package dev.soma.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lesson's claims, as outcomes that must hold for every seed tried. */
class DemoOutcomesTest {

    private static Map<String, Object> run(Demo demo, long seed) throws Exception {
        return demo.run(new DemoContext(seed, new PrintWriter(new StringWriter()), null));
    }

    private static double number(Map<String, Object> json, String key) {
        return ((Number) json.get(key)).doubleValue();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4})
    void aSingleNeuronLearnsAnd(long seed) throws Exception {
        assertEquals(1.0, number(run(new GatesDemo(), seed), "accuracy"));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void xorNeedsANetwork(long seed) throws Exception {
        Map<String, Object> json = run(new XorDemo(), seed);
        assertTrue(number(json, "single_neuron_accuracy") <= 0.75, "a single neuron got " + json);
        assertEquals(1.0, number(json, "network_accuracy"), "the network got " + json);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2})
    void linearLayersCollapse(long seed) throws Exception {
        Map<String, Object> json = run(new CollapseDemo(), seed);
        assertTrue(number(json, "max_abs_difference") < 1e-4, json.toString());
        assertTrue(number(json, "linear_accuracy") <= 0.75, json.toString());
        assertEquals(1.0, number(json, "nonlinear_accuracy"), json.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1})
    void oneHiddenLayerApproximatesSin(long seed) throws Exception {
        Map<String, Object> json = run(new ApproxDemo(), seed);
        assertEquals("sin", json.get("function"));
        assertTrue(number(json, "max_abs_error") < 0.05, json.toString());
    }
}
