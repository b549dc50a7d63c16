package dev.soma.optim;

/**
 * Anneals the learning rate from η₀ to η_min along half a cosine over T_max epochs, as PyTorch's
 * {@code CosineAnnealingLR} in its closed form:
 *
 * <pre>
 *   ηₜ = η_min + (η₀ − η_min) · (1 + cos(π t / T_max)) / 2
 * </pre>
 *
 * Past T_max the formula goes on, so the rate rises again towards η₀ at 2·T_max, as in PyTorch (no
 * restarts: see SGDR for those). Reference: Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent
 * with Warm Restarts", 2017.
 */
public final class CosineAnnealingLR extends LrScheduler {

    private final int tMax;
    private final double etaMin;

    /** Annealing to η_min = 0, PyTorch's default. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    /**
     * @param tMax T_max ≥ 1, the epochs from η₀ down to η_min
     * @param etaMin η_min ≥ 0, the final rate
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        this.tMax = requirePositive("tMax", tMax);
        this.etaMin = Optimizer.requireAtLeastZero("etaMin", etaMin);
        super(optimizer);
    }

    @Override
    public double lrAt(int epoch) {
        return etaMin + (baseLr() - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
