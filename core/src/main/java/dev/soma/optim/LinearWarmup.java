package dev.soma.optim;

/**
 * Warms the learning rate up linearly from f·η₀ to η₀ over W epochs (or steps), then holds it, as
 * PyTorch's {@code LinearLR} with {@code end_factor = 1}:
 *
 * <pre>
 *   ηₜ = η₀ · (f + (1 − f) · min(t, W) / W)
 * </pre>
 *
 * To decay after the warm-up, chain it with {@link SequentialLR#warmupCosine}.
 */
public final class LinearWarmup extends LrScheduler {

    private final double startFactor;
    private final int warmupSteps;

    /**
     * @param startFactor f in (0, 1], the fraction of η₀ at t = 0
     * @param warmupSteps W ≥ 1, the epoch from which the rate is η₀
     */
    public LinearWarmup(Optimizer optimizer, double startFactor, int warmupSteps) {
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("startFactor must be in (0, 1], got " + startFactor);
        }
        this.startFactor = startFactor;
        this.warmupSteps = requirePositive("warmupSteps", warmupSteps);
        super(optimizer);
    }

    @Override
    public double lrAt(int epoch) {
        return baseLr() * (startFactor + (1 - startFactor) * Math.min(epoch, warmupSteps) / warmupSteps);
    }
}
