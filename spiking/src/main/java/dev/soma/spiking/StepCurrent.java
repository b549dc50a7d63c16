package dev.soma.spiking;

import dev.soma.tensor.Generator;

/**
 * A current of {@code amplitude} (the target model's unit) added to every neuron of a population
 * from {@code startMs} until {@code stopMs} (the steps whose start lies in {@code [start, stop)}).
 */
public record StepCurrent(Population target, double amplitude, double startMs, double stopMs) implements Input {

    public StepCurrent {
        Check.finite("amplitude", amplitude, "");
        Check.nonNegative("start", startMs, "ms");
        if (!(stopMs >= startMs)) {
            throw new IllegalArgumentException("step current stops (" + stopMs + " ms) before it starts (" + startMs + " ms)");
        }
    }

    @Override
    public void apply(long step, double dtMs, Generator g) {
        long on = Math.round(startMs / dtMs);
        long off = Math.round(stopMs / dtMs);
        if (step == on && on != off) {
            add(amplitude);
        } else if (step == off && on != off) {
            add(-amplitude);
        }
    }

    private void add(double value) {
        double[] current = target.current();
        for (int i = 0; i < current.length; i++) {
            current[i] += value;
        }
    }
}
