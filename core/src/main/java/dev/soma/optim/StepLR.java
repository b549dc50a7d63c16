package dev.soma.optim;

/**
 * Decays the learning rate by γ every {@code stepSize} epochs, as PyTorch's {@code StepLR}:
 * {@code ηₜ = η₀ · γ^⌊t / stepSize⌋}.
 */
public final class StepLR extends LrScheduler {

    private final int stepSize;
    private final double gamma;

    /** With PyTorch's default γ = 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /**
     * @param stepSize epochs between decays, ≥ 1
     * @param gamma the factor γ > 0 applied at each decay
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        this.stepSize = requirePositive("stepSize", stepSize);
        this.gamma = requirePositive("gamma", gamma);
        super(optimizer);
    }

    @Override
    public double lrAt(int epoch) {
        return baseLr() * Math.pow(gamma, epoch / stepSize);
    }
}
