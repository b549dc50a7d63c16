package dev.soma.playground;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lesson in one click each, as {@code soma demo} tells it: a single neuron learns AND but cannot
 * learn XOR (no line splits it); a 2-4-1 network with tanh learns XOR; the same network with linear
 * activations collapses into one linear map (a line again: {@link Session#collapsed} shows it); one
 * hidden layer fits a curve. The gates are clouds of 100 points (noise 10 %: std 0.05 around each
 * corner), half of them held out for testing.
 */
public final class Presets {

    private Presets() {
    }

    /** Every preset by name, in the order the page lists them. */
    public static Map<String, Settings> all() {
        Map<String, Settings> presets = new LinkedHashMap<>();
        presets.put("neuron-and", gate("and", List.of(), List.of()));
        presets.put("neuron-xor", gate("xor", List.of(), List.of()));
        presets.put("xor-2-4-1", gate("xor", List.of(4), List.of("tanh")));
        presets.put("xor-linear", gate("xor", List.of(4), List.of("linear")));
        presets.put("curve", new Settings("sine", 200, 0, 50, 10, 0, List.of("x1"), List.of(8), List.of("tanh"),
                "adam", 0.03, "none", 0, 0));
        presets.put("default", Settings.defaults());
        return presets;
    }

    /** The preset called {@code name}. */
    public static Settings of(String name) {
        Settings settings = all().get(name);
        if (settings == null) {
            throw new PlaygroundException("unknown preset '" + name + "' (expected one of " + String.join(", ", all().keySet()) + ")");
        }
        return settings;
    }

    private static Settings gate(String gate, List<Integer> layers, List<String> activations) {
        return new Settings(gate, 100, 10, 50, 10, 0, List.of("x1", "x2"), layers, activations, "adam", 0.05, "none", 0, 0);
    }
}
