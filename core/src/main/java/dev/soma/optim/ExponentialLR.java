package dev.soma.optim;

/** Decays the learning rate by γ every epoch, as PyTorch's {@code ExponentialLR}: {@code ηₜ = η₀ · γᵗ}. */
public final class ExponentialLR extends LrScheduler {

    private final double gamma;

    /** @param gamma the factor γ > 0 applied each epoch */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        this.gamma = requirePositive("gamma", gamma);
        super(optimizer);
    }

    @Override
    public double lrAt(int epoch) {
        return baseLr() * Math.pow(gamma, epoch);
    }
}
