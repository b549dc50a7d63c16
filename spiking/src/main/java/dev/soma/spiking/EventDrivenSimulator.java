package dev.soma.spiking;

import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Advances a network of {@link Lif} populations from event to event, with spike times not rounded to
 * any grid. Between events a neuron's state (V, g_e, g_i under a constant current) follows its closed
 * form ({@link LifPopulation}'s propagator over any interval {@code h}), so it is updated only when an
 * input reaches it. After each update the neuron's next threshold crossing is predicted from that
 * closed form and queued; an input that arrives first makes the prediction stale (a version number
 * per neuron) and a new one is queued.
 *
 * <p>Events, in time order (ties in the order they were queued): a predicted crossing (the neuron
 * spikes, resets and is held at the reset for t_ref while its synaptic inputs decay; its spikes
 * reach each projection's targets {@code delay} later, or each synapse's target after that synapse's
 * own delay, {@link SparseConnections#withDelays}, exactly), a spike's delivery, a spike of a
 * {@link SpikeTrainInput}, a {@link StepCurrent} switching. Poisson inputs are not supported.
 *
 * <p>Finding a crossing: {@code V(s + h) = E + I + (V − E − I)e^(−h/τ_m) + g_e·P_e(h) + g_i·P_i(h)}
 * has no closed-form root, so it is scanned in steps of {@code min(τ)/16} for the first sign change
 * of {@code V − θ}, which bisection narrows to 10⁻¹² ms. Once the synaptic terms have decayed (after
 * 40 of their time constants) only the membrane's exponential is left, and the crossing is its
 * closed form {@code τ·ln((V − V∞)/(θ − V∞))}. A crossing that starts and ends within one scan step
 * (a graze shorter than {@code min(τ)/16}) would be missed. This simulator is the exact reference,
 * not the fast one: each input costs one prediction, up to a few thousand evaluations.
 */
public final class EventDrivenSimulator {

    private static final int CROSSING = 0;
    private static final int DELIVERY = 1;
    private static final int TRAIN = 2;
    private static final int CURRENT = 3;
    private static final int SYNAPSE = 4;

    private record Event(double time, long sequence, int kind, int population, int neuron, long version, int item)
            implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Double.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final Network network;
    private final List<Population> populations;
    private final List<Projection> projections;
    private final List<Input> inputs;
    private final int[] offsets;
    private final double[][] lastUpdate;
    private final double[][] refractoryUntil;
    private final long[][] versions;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long sequence;
    private double now;
    private double[] spikeTimes = new double[256];
    private int[] spikeNeurons = new int[256];
    private int spikeCount;

    /** A simulator of {@code network}, whose populations must all be LIF, starting at time 0. */
    public EventDrivenSimulator(Network network) {
        this.network = network;
        this.populations = network.populations();
        this.projections = network.projections();
        this.inputs = network.inputs();
        int p = populations.size();
        this.offsets = new int[p];
        this.lastUpdate = new double[p][];
        this.refractoryUntil = new double[p][];
        this.versions = new long[p][];
        for (int k = 0; k < p; k++) {
            Population population = populations.get(k);
            if (!(population instanceof LifPopulation lif) || lif.conductanceBased()) {
                throw new IllegalArgumentException("the event-driven simulator runs LIF populations only; "
                        + population.name() + " is " + population.model().describe() + ", which has no closed form"
                        + " between events to integrate exactly: use the ClockDrivenSimulator for it");
            }
            offsets[k] = network.offset(population);
            lastUpdate[k] = new double[population.size()];
            refractoryUntil[k] = new double[population.size()];
            Arrays.fill(refractoryUntil[k], Double.NEGATIVE_INFINITY);
            versions[k] = new long[population.size()];
        }
        for (int k = 0; k < inputs.size(); k++) {
            switch (inputs.get(k)) {
                case SpikeTrainInput train -> {
                    double[] times = train.timesMs();
                    for (int j = 0; j < times.length; j++) {
                        schedule(times[j], TRAIN, -1, j, 0, k);
                    }
                }
                case StepCurrent step -> {
                    if (step.stopMs() > step.startMs()) {
                        schedule(step.startMs(), CURRENT, -1, 0, 0, k);
                        if (Double.isFinite(step.stopMs())) {
                            schedule(step.stopMs(), CURRENT, -1, 1, 0, k);
                        }
                    }
                }
                case PoissonInput poisson -> throw new IllegalArgumentException(
                        "the event-driven simulator takes step currents and spike trains, not Poisson input");
            }
        }
        for (int k = 0; k < p; k++) {
            for (int i = 0; i < populations.get(k).size(); i++) {
                predict(k, i);
            }
        }
    }

    /** The simulated time so far, ms. */
    public double timeMs() {
        return now;
    }

    /** The number of spikes so far. */
    public int spikeCount() {
        return spikeCount;
    }

    /** The spike times of the neuron with global index {@code neuron} ({@link Network#offset}), ms, in order. */
    public double[] spikeTimesOf(int neuron) {
        double[] times = new double[spikeCount];
        int n = 0;
        for (int k = 0; k < spikeCount; k++) {
            if (spikeNeurons[k] == neuron) {
                times[n++] = spikeTimes[k];
            }
        }
        return Arrays.copyOf(times, n);
    }

    /** Simulates {@code durationMs} more; every neuron's state is then brought to the end time. */
    public void run(double durationMs) {
        Check.nonNegative("duration", durationMs, "ms");
        double end = now + durationMs;
        while (!queue.isEmpty() && queue.peek().time <= end) {
            Event event = queue.poll();
            now = event.time;
            switch (event.kind) {
                case CROSSING -> cross(event);
                case DELIVERY -> deliver(event);
                case TRAIN -> train(event);
                case SYNAPSE -> deliverOne(event.item, event.neuron);
                default -> switchCurrent(event);
            }
        }
        now = end;
        for (int k = 0; k < populations.size(); k++) {
            for (int i = 0; i < populations.get(k).size(); i++) {
                advance(k, i, end);
            }
        }
    }

    private void schedule(double time, int kind, int population, int neuron, long version, int item) {
        queue.add(new Event(time, sequence++, kind, population, neuron, version, item));
    }

    private void cross(Event event) {
        int p = event.population;
        int i = event.neuron;
        if (event.version != versions[p][i]) {
            return;
        }
        LifPopulation population = (LifPopulation) populations.get(p);
        Lif lif = population.lif();
        advance(p, i, now);
        if (spikeCount == spikeTimes.length) {
            spikeTimes = Arrays.copyOf(spikeTimes, 2 * spikeCount);
            spikeNeurons = Arrays.copyOf(spikeNeurons, 2 * spikeCount);
        }
        spikeTimes[spikeCount] = now;
        spikeNeurons[spikeCount++] = offsets[p] + i;
        population.v[i] = lif.resetMv();
        refractoryUntil[p][i] = now + lif.refractoryMs();
        for (int k = 0; k < projections.size(); k++) {
            Projection projection = projections.get(k);
            if (projection.source() != population) {
                continue;
            }
            SparseConnections c = projection.connections();
            if (c.hasDelays()) {
                // One event per synapse, each at its own delay (its neuron field holds the synapse).
                for (int s = c.rowStart[i], end = c.rowStart[i + 1]; s < end; s++) {
                    schedule(now + c.delaysMs[s], SYNAPSE, p, s, 0, k);
                }
            } else {
                schedule(now + projection.delayMs(), DELIVERY, p, i, 0, k);
            }
        }
        versions[p][i]++;
        predict(p, i);
    }

    private void deliver(Event event) {
        Projection projection = projections.get(event.item);
        int target = populations.indexOf(projection.target());
        double[] input = projection.target().synapticInput(projection.receptor());
        SparseConnections c = projection.connections();
        for (int s = c.rowStart[event.neuron], end = c.rowStart[event.neuron + 1]; s < end; s++) {
            int j = c.targets[s];
            advance(target, j, now);
            input[j] += c.weight(s);
            versions[target][j]++;
            predict(target, j);
        }
    }

    /** Synapse {@code s} of projection {@code k} delivers its weight now. */
    private void deliverOne(int k, int s) {
        Projection projection = projections.get(k);
        int target = populations.indexOf(projection.target());
        SparseConnections c = projection.connections();
        int j = c.targets[s];
        advance(target, j, now);
        projection.target().synapticInput(projection.receptor())[j] += c.weight(s);
        versions[target][j]++;
        predict(target, j);
    }

    private void train(Event event) {
        SpikeTrainInput train = (SpikeTrainInput) inputs.get(event.item);
        int target = populations.indexOf(train.target());
        double[] input = train.target().synapticInput(train.receptor());
        for (int j = 0; j < input.length; j++) {
            advance(target, j, now);
            input[j] += train.weight();
            versions[target][j]++;
            predict(target, j);
        }
    }

    private void switchCurrent(Event event) {
        StepCurrent step = (StepCurrent) inputs.get(event.item);
        int target = populations.indexOf(step.target());
        double[] current = step.target().current();
        double change = event.neuron == 0 ? step.amplitude() : -step.amplitude();
        for (int j = 0; j < current.length; j++) {
            advance(target, j, now);
            current[j] += change;
            versions[target][j]++;
            predict(target, j);
        }
    }

    /** Brings neuron {@code i} of population {@code p} from its last update to {@code t} by the closed form. */
    private void advance(int p, int i, double t) {
        double from = lastUpdate[p][i];
        if (t <= from) {
            return;
        }
        LifPopulation population = (LifPopulation) populations.get(p);
        Lif lif = population.lif();
        ExponentialSynapses synapses = population.synapses();
        double free = refractoryUntil[p][i];
        if (free > from) {
            double held = Math.min(t, free) - from;
            population.excitatory[i] *= Math.exp(-held / synapses.tauExcitatoryMs());
            population.inhibitory[i] *= Math.exp(-held / synapses.tauInhibitoryMs());
            population.v[i] = lif.resetMv();
            from += held;
        }
        if (t > from) {
            double h = t - from;
            population.v[i] = membraneAfter(lif, synapses, population.v[i], population.current[i],
                    population.excitatory[i], population.inhibitory[i], h);
            population.excitatory[i] *= Math.exp(-h / synapses.tauExcitatoryMs());
            population.inhibitory[i] *= Math.exp(-h / synapses.tauInhibitoryMs());
        }
        lastUpdate[p][i] = t;
    }

    /** {@code V(h) = E + (V − E)e^(−h/τ) + I(1 − e^(−h/τ)) + g_e·P_e(h) + g_i·P_i(h)}. */
    static double membraneAfter(Lif lif, ExponentialSynapses synapses, double v, double current, double ge, double gi,
            double h) {
        double tau = lif.tauMs();
        double decay = Math.exp(-h / tau);
        return lif.restMv() + (v - lif.restMv()) * decay - current * Math.expm1(-h / tau)
                + ge * LifPopulation.propagator(h, tau, synapses.tauExcitatoryMs())
                + gi * LifPopulation.propagator(h, tau, synapses.tauInhibitoryMs());
    }

    /** Queues neuron {@code i}'s next threshold crossing, if it has one, from its state at its last update. */
    private void predict(int p, int i) {
        LifPopulation population = (LifPopulation) populations.get(p);
        Lif lif = population.lif();
        ExponentialSynapses synapses = population.synapses();
        double start = Math.max(lastUpdate[p][i], refractoryUntil[p][i]);
        double held = start - lastUpdate[p][i];
        double v = held > 0 ? lif.resetMv() : population.v[i];
        double ge = population.excitatory[i] * Math.exp(-held / synapses.tauExcitatoryMs());
        double gi = population.inhibitory[i] * Math.exp(-held / synapses.tauInhibitoryMs());
        double current = population.current[i];
        double h = firstCrossing(lif, synapses, v, current, ge, gi);
        if (Double.isFinite(h)) {
            schedule(start + h, CROSSING, p, i, versions[p][i], 0);
        }
    }

    /** The first {@code h ≥ 0} at which {@code V(h) > θ}, or +∞ when V stays at or below θ. */
    static double firstCrossing(Lif lif, ExponentialSynapses synapses, double v, double current, double ge, double gi) {
        double theta = lif.thresholdMv();
        if (v > theta) {
            return 0;
        }
        double tau = lif.tauMs();
        double tauE = synapses.tauExcitatoryMs();
        double tauI = synapses.tauInhibitoryMs();
        double vInfinity = lif.restMv() + current;
        // No crossing is possible when even the largest V could reach stays at or below θ: P_x(h) ≤ min(1, τ_x/τ_m).
        double ceiling = vInfinity + Math.max(0, v - vInfinity) + Math.max(0, ge) * Math.min(1, tauE / tau)
                + Math.max(0, gi) * Math.min(1, tauI / tau);
        if (ceiling <= theta) {
            return Double.POSITIVE_INFINITY;
        }
        double step = Math.min(tau, Math.min(tauE, tauI)) / 16;
        double synapticHorizon = 40 * Math.max(tauE, tauI);
        double low = 0;
        while (low < synapticHorizon) {
            double high = low + step;
            if (membraneAfter(lif, synapses, v, current, ge, gi, high) > theta) {
                for (int k = 0; k < 200 && high - low > 1e-12; k++) {
                    double mid = 0.5 * (low + high);
                    if (membraneAfter(lif, synapses, v, current, ge, gi, mid) > theta) {
                        high = mid;
                    } else {
                        low = mid;
                    }
                }
                return high;
            }
            low = high;
        }
        // Only the membrane's own exponential is left: V(low + x) = V∞ + (V(low) − V∞)e^(−x/τ).
        if (vInfinity <= theta) {
            return Double.POSITIVE_INFINITY;
        }
        double vLow = membraneAfter(lif, synapses, v, current, ge, gi, low);
        return low + tau * Math.log((vInfinity - vLow) / (vInfinity - theta));
    }
}
