package dev.soma.spiking;

import java.util.Locale;
import java.util.Map;

/**
 * Izhikevich's (2003) simple model, two variables fitted to cortical neurons:
 *
 * <pre>
 *   dv/dt = 0.04v² + 5v + 140 − u + I
 *   du/dt = a(bv − u)
 *   if v ≥ 30 mV:  v ← c,  u ← u + d
 * </pre>
 *
 * <p>with {@code v} in mV, {@code t} in ms and {@code I} dimensionless (Izhikevich's own scale, where
 * 10 drives a regular-spiking cell to fire). There is no closed form; the population integrates it
 * with forward Euler at the simulator's step (Izhikevich used 0.5 ms halves of a 1 ms step for
 * {@code v}; 0.1 ms or less is finer than that). The presets are the paper's Fig. 2 parameters.
 *
 * @param a time scale of the recovery variable u, 1/ms
 * @param b sensitivity of u to v
 * @param c reset of v after a spike, mV
 * @param d jump of u after a spike
 */
public record Izhikevich(double a, double b, double c, double d) implements NeuronModel {

    /** The spike cut-off, mV: {@code v} at or above it is a spike. */
    public static final double PEAK_MV = 30;

    /** Regular spiking (RS): excitatory cortical cells, adapting. */
    public static final Izhikevich REGULAR_SPIKING = new Izhikevich(0.02, 0.2, -65, 8);
    /** Fast spiking (FS): inhibitory interneurons, fast and without adaptation. */
    public static final Izhikevich FAST_SPIKING = new Izhikevich(0.1, 0.2, -65, 2);
    /** Intrinsically bursting (IB): a burst first, then single spikes. */
    public static final Izhikevich INTRINSICALLY_BURSTING = new Izhikevich(0.02, 0.2, -55, 4);
    /** Chattering (CH): repeated bursts of closely spaced spikes. */
    public static final Izhikevich CHATTERING = new Izhikevich(0.02, 0.2, -50, 2);

    /** The presets by their usual abbreviations. */
    public static final Map<String, Izhikevich> PRESETS = Map.of(
            "rs", REGULAR_SPIKING, "fs", FAST_SPIKING, "ib", INTRINSICALLY_BURSTING, "ch", CHATTERING);

    public Izhikevich {
        Check.positive("recovery rate a", a, "1/ms");
        Check.finite("b", b, "");
        Check.finite("reset c", c, "mV");
        Check.finite("d", d, "");
        if (!(c < PEAK_MV)) {
            throw new IllegalArgumentException("reset c (" + c + " mV) must be below the spike peak (" + PEAK_MV + " mV)");
        }
    }

    /** The preset called {@code name} (rs, fs, ib, ch; any case). */
    public static Izhikevich preset(String name) {
        Izhikevich preset = PRESETS.get(name.toLowerCase(Locale.ROOT));
        if (preset == null) {
            throw new IllegalArgumentException("unknown Izhikevich preset '" + name + "' (expected rs, fs, ib or ch)");
        }
        return preset;
    }

    @Override
    public String describe() {
        return "Izhikevich (a " + a + ", b " + b + ", c " + c + " mV, d " + d + ")";
    }

    @Override
    public Population population(String name, int size, ExponentialSynapses synapses) {
        return new IzhikevichPopulation(name, size, this, synapses);
    }
}
