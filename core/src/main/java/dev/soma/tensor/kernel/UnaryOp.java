package dev.soma.tensor.kernel;

/**
 * The elementwise functions of one argument that kernels evaluate, {@code y = f(x)}.
 *
 * <p>{@link ScalarKernels#apply(UnaryOp, float)} is the definition of each one.
 */
public enum UnaryOp {
    /** {@code -x}. */
    NEG,
    /** {@code eˣ}. */
    EXP,
    /** {@code ln x} (NaN below 0, -∞ at 0). */
    LOG,
    /** {@code √x}. */
    SQRT,
    /** {@code |x|}. */
    ABS,
    /** {@code -1, 0 or 1} by the sign of x (NaN stays NaN). */
    SIGN,
    /** {@code max(x, 0)}. */
    RELU,
    /** {@code 1 / (1 + e⁻ˣ)}, evaluated without overflow for any x. */
    SIGMOID,
    /** {@code tanh x}. */
    TANH,
    /** The error function {@code erf x = 2/√π ∫₀ˣ e^(-t²) dt}. */
    ERF
}
