package dev.soma.spiking;

import dev.soma.tensor.Generator;

/** Something that drives a population from outside: a current, or spikes from sources not simulated. */
public sealed interface Input permits StepCurrent, PoissonInput, SpikeTrainInput {

    /** The population driven. */
    Population target();

    /** Acts at the start of step {@code step} (time {@code step·dt}), before the neurons integrate. */
    void apply(long step, double dtMs, Generator g);
}
