package dev.soma.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code soma spike}: real neurons, which talk in spikes. Each subcommand is a class of its own. */
@Command(
        name = "spike",
        mixinStandardHelpOptions = true,
        description = {
            "Real neurons: spiking models, simulated.",
            "",
            "  neuron   one neuron's membrane under a step current, spikes marked",
            "  fi       a LIF neuron's firing rate against its input, simulated and exact",
            "  network  the CUBA network (Vogels & Abbott 2005): 4000 LIF neurons, rates",
            "  convert  a trained ReLU MLP or CNN as spiking neurons: accuracy against steps",
            "neuron, fi and network save spikes, traces and rates with --record FILE.json.",
            ""},
        subcommands = {SpikeNeuronCommand.class, SpikeFiCommand.class, SpikeNetworkCommand.class,
            SpikeConvertCommand.class})
public final class SpikeCommand extends CommandGroup {


    /** A bad model parameter is a usage mistake: the model's own message, naming the value, on one line. */
    static ParameterException badParameter(CommandSpec spec, IllegalArgumentException e) {
        return new ParameterException(spec.commandLine(), e.getMessage());
    }

    /** A time step or a duration must be a positive, finite number of milliseconds. */
    static void requirePositiveMs(CommandSpec spec, String option, double ms) {
        if (!(ms > 0) || !Double.isFinite(ms)) {
            throw new ParameterException(spec.commandLine(), option + " must be > 0 ms, got " + ms);
        }
    }
}
