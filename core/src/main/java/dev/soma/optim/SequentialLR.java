package dev.soma.optim;

import java.util.List;

/**
 * Runs schedules one after another, switching at milestone epochs, as PyTorch's {@code SequentialLR}.
 * With milestones M₁ < M₂ < …, schedule k (from 0) runs for the epochs t with Mₖ ≤ t < Mₖ₊₁ (M₀ = 0), and
 * restarts its own count at the switch:
 *
 * <pre>
 *   ηₜ = scheduleₖ.lrAt(t − Mₖ)
 * </pre>
 *
 * Warm-up then cosine decay, the usual recipe for transformers, is {@link #warmupCosine}. The schedules
 * given are only read through {@link LrScheduler#lrAt}; their own epochs are not advanced.
 */
public final class SequentialLR extends LrScheduler {

    private final List<LrScheduler> schedulers;
    private final int[] milestones;

    /**
     * @param schedulers the schedules, all attached to {@code optimizer}
     * @param milestones the epochs at which the next schedule takes over, increasing, one fewer than
     *     the schedules
     */
    public SequentialLR(Optimizer optimizer, List<LrScheduler> schedulers, int... milestones) {
        if (schedulers.isEmpty() || milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR needs one milestone fewer than schedulers, got "
                    + schedulers.size() + " schedulers and " + milestones.length + " milestones");
        }
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("milestones must be ≥ 1 and increasing, got "
                        + java.util.Arrays.toString(milestones));
            }
        }
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("scheduler " + i + " belongs to another optimizer");
            }
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        super(optimizer);
    }

    /**
     * Linear warm-up from f·η₀ to η₀ over W epochs, then cosine annealing from η₀ to η_min at
     * {@code totalSteps}: {@code ηₜ = η₀(f + (1 − f)t/W)} for t < W, then
     * {@code η_min + (η₀ − η_min)(1 + cos(π(t − W)/(totalSteps − W)))/2}.
     *
     * @param warmupSteps W ≥ 1
     * @param startFactor f in (0, 1]
     * @param totalSteps the epoch at which the rate reaches η_min, > W
     */
    public static SequentialLR warmupCosine(Optimizer optimizer, int warmupSteps, double startFactor,
            int totalSteps, double etaMin) {
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("totalSteps must be > warmupSteps " + warmupSteps + ", got "
                    + totalSteps);
        }
        var warmup = new LinearWarmup(optimizer, startFactor, warmupSteps);
        var cosine = new CosineAnnealingLR(optimizer, totalSteps - warmupSteps, etaMin);
        return new SequentialLR(optimizer, List.of(warmup, cosine), warmupSteps);
    }

    @Override
    public double lrAt(int epoch) {
        int k = 0;
        while (k < milestones.length && epoch >= milestones[k]) {
            k++;
        }
        int start = k == 0 ? 0 : milestones[k - 1];
        return schedulers.get(k).lrAt(epoch - start);
    }
}
