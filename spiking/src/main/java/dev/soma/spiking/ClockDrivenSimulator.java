package dev.soma.spiking;

import dev.soma.tensor.Generator;
import dev.soma.tensor.kernel.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Advances a {@link Network} in fixed steps of {@code dt}. One step, from {@code t} to {@code t + dt}:
 *
 * <ol>
 *   <li>inputs act (step currents switch, Poisson spikes add to synaptic inputs);
 *   <li>every population integrates (exactly for LIF; see each population);
 *   <li>neurons past threshold fire and reset; the spike recorder notes them at {@code t + dt};
 *   <li>each spike adds its synapses' weights to the targets' synaptic inputs (in large networks
 *       the threads take a range of targets each, every target's weights added in the same
 *       order as on one thread): directly when the
 *       delay is 0 (so they act from the next step, as in Brian2), otherwise into a ring buffer of
 *       inputs ({@link DelayedInputs}), one slot per step of delay up to the longest delay onto
 *       that receptor, emptied into the synaptic inputs when its step comes. The delay is the
 *       projection's, or each synapse's own ({@link SparseConnections#withDelays}), rounded to
 *       whole steps and held as a short per synapse while simulating (2 bytes);
 *   <li>plastic projections change their weights ({@link Stdp});
 *   <li>membrane recorders sample.
 * </ol>
 *
 * <p>Deterministic: the same network (built from the same seed) and the same generator give the
 * same spikes, bit for bit, on any number of threads (large LIF populations step in fixed parts on
 * {@link Workers}; see {@link LifPopulation}). A step allocates nothing once the spike buffers have
 * grown to the busiest step's size ({@code ThreadsTest}), but for the one small job object core's
 * workers make when a population's step is split over threads. Not thread-safe.
 */
public final class ClockDrivenSimulator {

    private final Network network;
    private final double dtMs;
    private final Generator generator;
    private final Workers workers;
    /**
     * Parts of the targets that deliver spikes at once: the threads, when the network has at least
     * {@link LifPopulation#PARALLEL_MIN} neurons and no delay per synapse; else 1.
     */
    private final int deliveryParts;
    private final IntConsumer deliverPart;
    private final List<Input> inputs;
    private final List<Population> populations;
    private final int[] offsets;
    private final int[][] spikes;
    private final int[] spikeCounts;
    private final Delivery[] deliveries;
    /** Per population and receptor (2p + receptor), the inputs on their way, or null when none is delayed. */
    private final DelayedInputs[] delayed;
    private final SpikeRecorder spikeRecorder;
    private final List<MembraneRecorder> membraneRecorders = new ArrayList<>();
    private final List<Plastic> plastic = new ArrayList<>();
    private static final Receptor[] RECEPTORS = Receptor.values();
    private long step;

    private record Plastic(int source, int target, StdpState state) {
    }

    /** One projection as this simulator delivers it: its delay in steps, or each synapse's ({@code synapseDelays}, else null). */
    private record Delivery(int source, int targetSlot, SparseConnections connections, int delaySteps,
            short[] synapseDelays) {
    }

    /**
     * A simulator of {@code network} with steps of {@code dtMs}, drawing input randomness from
     * {@code generator}, large populations stepping on core's threads ({@link Workers#active()}).
     */
    public ClockDrivenSimulator(Network network, double dtMs, Generator generator) {
        this(network, dtMs, generator, Workers.active());
    }

    /** As above, large populations stepping on {@code workers}: the same spikes whatever their number. */
    public ClockDrivenSimulator(Network network, double dtMs, Generator generator, Workers workers) {
        Check.timeStep(dtMs);
        this.workers = workers;
        this.network = network;
        this.dtMs = dtMs;
        this.generator = generator;
        this.populations = network.populations();
        this.inputs = network.inputs();
        int p = populations.size();
        this.offsets = new int[p];
        this.spikes = new int[p][];
        this.spikeCounts = new int[p];
        for (int i = 0; i < p; i++) {
            Population population = populations.get(i);
            population.prepare(dtMs);
            offsets[i] = network.offset(population);
            spikes[i] = new int[population.size()];
        }
        List<Projection> projections = network.projections();
        this.deliveries = new Delivery[projections.size()];
        int[] maxDelay = new int[2 * p];
        for (int k = 0; k < deliveries.length; k++) {
            Projection projection = projections.get(k);
            SparseConnections connections = projection.connections();
            int delay = steps(projection.delayMs());
            short[] synapseDelays = null;
            if (connections.hasDelays()) {
                synapseDelays = new short[connections.synapses()];
                for (int s = 0; s < synapseDelays.length; s++) {
                    int d = steps(connections.delaysMs[s]);
                    synapseDelays[s] = (short) d;
                    delay = Math.max(delay, d);
                }
            }
            int slot = 2 * populations.indexOf(projection.target()) + projection.receptor().ordinal();
            deliveries[k] = new Delivery(populations.indexOf(projection.source()), slot, connections, delay, synapseDelays);
            maxDelay[slot] = Math.max(maxDelay[slot], delay);
        }
        this.delayed = new DelayedInputs[2 * p];
        for (int slot = 0; slot < 2 * p; slot++) {
            if (maxDelay[slot] > 0) {
                delayed[slot] = new DelayedInputs(populations.get(slot / 2).size(), maxDelay[slot]);
            }
        }
        this.spikeRecorder = new SpikeRecorder(dtMs, network.neurons());
        boolean anySynapseDelays = false;
        for (Delivery delivery : deliveries) {
            anySynapseDelays |= delivery.synapseDelays != null;
        }
        this.deliveryParts = network.neurons() >= LifPopulation.PARALLEL_MIN && !anySynapseDelays ? workers.threads() : 1;
        this.deliverPart = part -> deliver(part, deliveryParts);
    }

    /** The recorder of every spike. */
    public SpikeRecorder spikes() {
        return spikeRecorder;
    }

    /** Starts recording the membrane potential of {@code neurons} of {@code population} after each step. */
    public MembraneRecorder recordMembrane(Population population, int... neurons) {
        if (!populations.contains(population)) {
            throw new IllegalArgumentException("population " + population.name() + " is not in this network");
        }
        MembraneRecorder recorder = new MembraneRecorder(population, neurons, dtMs);
        membraneRecorders.add(recorder);
        return recorder;
    }

    /**
     * Makes {@code projection}'s weights change by {@code rule} from now on: after each step's
     * spikes are delivered, they change the weights for the next (see {@link Stdp}).
     */
    public void stdp(Projection projection, Stdp rule) {
        if (!network.projections().contains(projection)) {
            throw new IllegalArgumentException("the projection is not in this network");
        }
        plastic.add(new Plastic(populations.indexOf(projection.source()), populations.indexOf(projection.target()),
                new StdpState(rule, projection.connections(), dtMs)));
    }

    public double dtMs() {
        return dtMs;
    }

    /** The simulated time so far, ms. */
    public double timeMs() {
        return step * dtMs;
    }

    /** Simulates {@code durationMs} more (rounded to whole steps). */
    public void run(double durationMs) {
        Check.nonNegative("duration", durationMs, "ms");
        long steps = Math.round(durationMs / dtMs);
        for (long k = 0; k < steps; k++) {
            step();
        }
    }

    /** One step of {@code dt}. */
    public void step() {
        // Indexed loops here and below: a step allocates nothing (no iterators).
        for (int k = 0; k < inputs.size(); k++) {
            inputs.get(k).apply(step, dtMs, generator);
        }
        for (int p = 0; p < populations.size(); p++) {
            Population population = populations.get(p);
            spikeCounts[p] = population.step(spikes[p], workers);
            spikeRecorder.record(step, offsets[p], spikes[p], spikeCounts[p]);
        }
        if (deliveryParts > 1) {
            workers.run(deliveryParts, deliverPart);
        } else {
            deliver(0, 1);
        }
        for (int slot = 0; slot < delayed.length; slot++) {
            if (delayed[slot] != null) {
                delayed[slot].drainInto(step, input(slot));
            }
        }
        for (int k = 0; k < plastic.size(); k++) {
            Plastic p = plastic.get(k);
            p.state.step(spikes[p.source], spikeCounts[p.source], spikes[p.target], spikeCounts[p.target]);
        }
        for (int k = 0; k < membraneRecorders.size(); k++) {
            membraneRecorders.get(k).sample();
        }
        step++;
    }

    /**
     * This step's spikes into the synaptic inputs (or the inputs in flight) of the targets in part
     * {@code part} of {@code parts} of each target population: projection by projection, spike by
     * spike, synapse by synapse, so every target receives its weights in the same order however many
     * parts there are, and the sums are the same bits.
     */
    private void deliver(int part, int parts) {
        for (Delivery delivery : deliveries) {
            int fired = spikeCounts[delivery.source];
            if (fired == 0) {
                continue;
            }
            int[] sources = spikes[delivery.source];
            SparseConnections connections = delivery.connections;
            if (delivery.synapseDelays != null) {
                double[] input = input(delivery.targetSlot);
                for (int k = 0; k < fired; k++) {
                    connections.deliver(sources[k], input, delayed[delivery.targetSlot], step, delivery.synapseDelays);
                }
                continue;
            }
            double[] destination = delivery.delaySteps == 0 ? input(delivery.targetSlot)
                    : delayed[delivery.targetSlot].arriving(step + delivery.delaySteps);
            if (parts == 1) {
                for (int k = 0; k < fired; k++) {
                    connections.deliver(sources[k], destination);
                }
            } else {
                long targets = connections.targetCount();
                int from = (int) (targets * part / parts);
                int to = (int) (targets * (part + 1) / parts);
                for (int k = 0; k < fired; k++) {
                    connections.deliver(sources[k], destination, from, to);
                }
            }
        }
    }

    /** The synaptic input of population {@code slot / 2} at receptor {@code slot % 2}. */
    private double[] input(int slot) {
        return populations.get(slot / 2).synapticInput(RECEPTORS[slot % 2]);
    }

    /** A delay in whole steps of dt, rounded; at most 32767 steps, the most a synapse's delay holds. */
    private int steps(double delayMs) {
        long steps = Math.round(delayMs / dtMs);
        if (steps > Short.MAX_VALUE) {
            throw new IllegalArgumentException("a delay of " + delayMs + " ms is " + steps + " steps of " + dtMs
                    + " ms; at most " + Short.MAX_VALUE + " steps are supported");
        }
        return (int) steps;
    }
}
