package dev.soma.spiking;

import dev.soma.tensor.Generator;

/**
 * Turning numbers into spikes: the three usual ways an image enters a spiking network. Intensities
 * are in {@code [0, 1]} (a pixel scaled by 1/255); values outside are clamped.
 *
 * <ul>
 *   <li>Rate (Poisson) coding: at every step input {@code i} spikes with probability {@code xᵢ}, so
 *       over {@code T} steps its count is Binomial({@code T}, {@code xᵢ}): mean {@code T·xᵢ}, variance
 *       {@code T·xᵢ(1 − xᵢ)}.
 *   <li>Constant current (analog input): no spikes at all; {@code xᵢ} is injected at every step. The
 *       usual first layer of converted networks (Rueckauer et al. 2017): it removes the sampling noise
 *       of rate coding, so the first layer's rate is exact up to one spike.
 *   <li>Latency (time-to-first-spike) coding: one spike at step {@code round((1 − xᵢ)·(T − 1))}; the
 *       brightest pixels spike first, a pixel of 0 never.
 * </ul>
 */
public final class Encoders {

    /** The step of {@link #latency} for an input that never spikes. */
    public static final int NEVER = -1;

    private Encoders() {
    }

    /**
     * One step of rate coding: {@code spikes[i] = 1} with probability {@code intensities[i]}, else 0.
     * Draws one number from {@code generator} per input, so the same seed gives the same spikes.
     * Modifies {@code spikes}; not {@code intensities}.
     */
    public static void poisson(float[] intensities, Generator generator, float[] spikes) {
        if (spikes.length != intensities.length) {
            throw new IllegalArgumentException("spikes has " + spikes.length + " entries for " + intensities.length
                    + " intensities");
        }
        for (int i = 0; i < intensities.length; i++) {
            spikes[i] = generator.nextFloat() < clamp(intensities[i]) ? 1 : 0;
        }
    }

    /** The whole rate-coded train, {@code [steps][inputs]}: {@link #poisson} at each step in turn. */
    public static float[][] poissonTrain(float[] intensities, int steps, Generator generator) {
        requireSteps(steps);
        float[][] train = new float[steps][intensities.length];
        for (int t = 0; t < steps; t++) {
            poisson(intensities, generator, train[t]);
        }
        return train;
    }

    /**
     * Latency coding over {@code steps} steps: input {@code i} spikes once, at step
     * {@code round((1 − xᵢ)·(steps − 1))}, or {@link #NEVER} when {@code xᵢ ≤ 0}. The step never rises
     * as the intensity rises.
     */
    public static int[] latency(float[] intensities, int steps) {
        requireSteps(steps);
        int[] first = new int[intensities.length];
        for (int i = 0; i < intensities.length; i++) {
            float x = clamp(intensities[i]);
            first[i] = x <= 0 ? NEVER : (int) Math.round((1 - x) * (steps - 1.0));
        }
        return first;
    }

    private static float clamp(float x) {
        return Float.isNaN(x) ? 0 : Math.min(1, Math.max(0, x));
    }

    static void requireSteps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("the number of time steps must be ≥ 1, got " + steps);
        }
    }
}
