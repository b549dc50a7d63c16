package dev.soma.tensor;

/**
 * A scope in which ops record no graph, like PyTorch's {@code torch.no_grad()}:
 *
 * <pre>{@code
 * try (var scope = NoGrad.enter()) {
 *     Tensor prediction = model.forward(x);   // no graph, no saved inputs
 * }
 * }</pre>
 *
 * Scopes nest; closing one restores the state that was current when it was entered. The state is per
 * thread.
 */
public final class NoGrad implements AutoCloseable {

    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private final boolean previous;
    private boolean closed;

    private NoGrad(boolean previous) {
        this.previous = previous;
    }

    /** Turns graph recording off on this thread until the returned scope is closed. */
    public static NoGrad enter() {
        NoGrad scope = new NoGrad(ENABLED.get());
        ENABLED.set(Boolean.FALSE);
        return scope;
    }

    /** Whether ops on this thread record the graph now. */
    public static boolean isGradEnabled() {
        return ENABLED.get();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ENABLED.set(previous);
        }
    }
}
