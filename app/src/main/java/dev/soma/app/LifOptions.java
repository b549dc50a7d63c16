package dev.soma.app;

import dev.soma.spiking.Lif;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The LIF neuron's parameters as options, shared by {@code soma spike neuron} and {@code spike fi}
 * (a picocli mixin): rest at 0 mV, so the threshold and reset are measured from rest. The defaults
 * are the f–I neuron.
 */
final class LifOptions {

    @Option(names = "--tau", paramLabel = "MS", defaultValue = "10", description = "LIF membrane time constant, ms (default: ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--threshold", paramLabel = "MV", defaultValue = "10", description = "LIF threshold above rest, mV (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--reset", paramLabel = "MV", defaultValue = "0", description = "LIF reset, mV (default: ${DEFAULT-VALUE}).")
    double reset;

    @Option(names = "--refractory", paramLabel = "MS", defaultValue = "5", description = "LIF refractory period, ms (default: ${DEFAULT-VALUE}).")
    double refractory;

    /** The neuron, or a usage error carrying the model's message (a negative τ, a threshold below the reset…). */
    Lif lif(CommandSpec spec) {
        try {
            return new Lif(tau, 0, threshold, reset, refractory);
        } catch (IllegalArgumentException e) {
            throw SpikeCommand.badParameter(spec, e);
        }
    }
}
