package dev.soma.spiking;

/**
 * Izhikevich neurons, integrated with forward Euler: {@code v} and {@code u} both advance from the
 * values at the start of the step. The drive is the input current plus both synaptic inputs.
 * Starts at {@code v = c}, {@code u = b·c}.
 */
final class IzhikevichPopulation extends Population {

    private final Izhikevich model;
    private final double[] u;
    private double dt;

    IzhikevichPopulation(String name, int size, Izhikevich model, ExponentialSynapses synapses) {
        super(name, size, model, synapses, model.c());
        this.model = model;
        this.u = new double[size];
        java.util.Arrays.fill(u, model.b() * model.c());
    }

    /** The recovery variable u (the live array). */
    double[] recovery() {
        return u;
    }

    @Override
    void prepareModel(double dtMs) {
        dt = dtMs;
    }

    @Override
    void integrate() {
        double a = model.a();
        double b = model.b();
        for (int i = 0; i < size; i++) {
            double vi = v[i];
            double ui = u[i];
            double drive = current[i] + excitatory[i] + inhibitory[i];
            v[i] = vi + dt * (0.04 * vi * vi + 5 * vi + 140 - ui + drive);
            u[i] = ui + dt * a * (b * vi - ui);
        }
        decaySynapses();
    }

    @Override
    int fire(int[] spikes) {
        double c = model.c();
        double d = model.d();
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (v[i] >= Izhikevich.PEAK_MV) {
                v[i] = c;
                u[i] += d;
                spikes[count++] = i;
            }
        }
        return count;
    }
}
