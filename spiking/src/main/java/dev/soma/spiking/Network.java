package dev.soma.spiking;

import dev.soma.tensor.Generator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Populations, the projections between them and the inputs that drive them: what a simulator runs.
 * Neurons have global indices in the order populations were added ({@link #offset}), which
 * recorders use.
 *
 * <pre>{@code
 * var net = new Network();
 * var exc = net.population("exc", 3200, Lif.CUBA, ExponentialSynapses.CUBA);
 * net.connect(exc, exc, Receptor.EXCITATORY, SparseConnections.fixedProbability(3200, 3200, 0.02, 1.62, g), 0);
 * }</pre>
 */
public final class Network {

    private final List<Population> populations = new ArrayList<>();
    private final List<Projection> projections = new ArrayList<>();
    private final List<Input> inputs = new ArrayList<>();

    /** Adds a population of {@code size} neurons of {@code model}, at rest. */
    public Population population(String name, int size, NeuronModel model, ExponentialSynapses synapses) {
        Population p = model.population(name, size, synapses);
        populations.add(p);
        return p;
    }

    /** Adds a projection with the given connections and delay (ms). */
    public Projection connect(Population source, Population target, Receptor receptor, SparseConnections connections,
            double delayMs) {
        requireMember(source);
        requireMember(target);
        Projection projection = new Projection(source, target, receptor, connections, delayMs);
        projections.add(projection);
        return projection;
    }

    /** Adds an input. */
    public Network input(Input input) {
        requireMember(input.target());
        inputs.add(input);
        return this;
    }

    /** Sets each membrane potential of {@code population} uniformly at random in {@code [low, high)}. */
    public static void randomizeMembrane(Population population, double lowMv, double highMv, Generator g) {
        double[] v = population.membrane();
        for (int i = 0; i < v.length; i++) {
            v[i] = (lowMv + g.nextDouble() * (highMv - lowMv));
        }
    }

    public List<Population> populations() {
        return Collections.unmodifiableList(populations);
    }

    public List<Projection> projections() {
        return Collections.unmodifiableList(projections);
    }

    public List<Input> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    /** The global index of {@code population}'s first neuron. */
    public int offset(Population population) {
        int offset = 0;
        for (Population p : populations) {
            if (p == population) {
                return offset;
            }
            offset += p.size();
        }
        throw new IllegalArgumentException("population " + population.name() + " is not in this network");
    }

    /** All neurons. */
    public int neurons() {
        int n = 0;
        for (Population p : populations) {
            n += p.size();
        }
        return n;
    }

    /** All synapses. */
    public long synapses() {
        long n = 0;
        for (Projection p : projections) {
            n += p.connections().synapses();
        }
        return n;
    }

    /** Storage of all projections' connections, bytes per synapse. */
    public double bytesPerSynapse() {
        double bytes = 0;
        for (Projection p : projections) {
            bytes += p.connections().bytesPerSynapse() * p.connections().synapses();
        }
        return bytes / synapses();
    }

    private void requireMember(Population p) {
        if (!populations.contains(p)) {
            throw new IllegalArgumentException("population " + p.name() + " is not in this network");
        }
    }
}
