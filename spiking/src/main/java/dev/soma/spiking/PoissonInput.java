package dev.soma.spiking;

import dev.soma.tensor.Generator;

/**
 * Independent Poisson spike trains into every neuron of a population, as Brian2's
 * {@code PoissonInput}: each neuron has {@code sources} inputs firing at {@code rateHz}, each adding
 * {@code weight} to the receptor's synaptic input. Each step, a neuron receives
 * {@code k ~ Poisson(sources·rate·dt)} spikes, drawn by inversion of the cumulative distribution.
 */
public record PoissonInput(Population target, Receptor receptor, int sources, double rateHz, double weight)
        implements Input {

    public PoissonInput {
        if (sources < 1) {
            throw new IllegalArgumentException("a Poisson input needs at least one source, got " + sources);
        }
        Check.nonNegative("Poisson rate", rateHz, "Hz");
        Check.finite("weight", weight, "");
    }

    @Override
    public void apply(long step, double dtMs, Generator g) {
        double mean = sources * rateHz * dtMs / 1000;
        if (mean == 0) {
            return;
        }
        if (mean > 500) {
            // e^(−mean) would underflow the inversion; no realistic input comes near this many spikes per step.
            throw new IllegalArgumentException("Poisson input of " + mean + " spikes per step is too many: lower the rate,"
                    + " the sources or dt");
        }
        double none = Math.exp(-mean);
        double[] input = target.synapticInput(receptor);
        for (int i = 0; i < input.length; i++) {
            int k = poisson(mean, none, g.nextDouble());
            if (k > 0) {
                input[i] += k * weight;
            }
        }
    }

    /** The smallest k with {@code P(X ≤ k) > u} for {@code X ~ Poisson(mean)}; {@code none = e^(−mean)}. */
    static int poisson(double mean, double none, double u) {
        int k = 0;
        double p = none;
        double cumulative = p;
        while (u >= cumulative && k < 10_000) {
            k++;
            p *= mean / k;
            cumulative += p;
        }
        return k;
    }
}
